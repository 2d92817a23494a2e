"""One contract for every state store: in-process and Redis."""

from __future__ import annotations

import asyncio

import pytest

from storage.state import LockTimeout, StateKey


async def test_cursor_roundtrip_is_json_and_keyed_by_channel(state_store):
    wecom, telegram = StateKey("wecom", "42", "42"), StateKey("telegram", "42", "42")
    await state_store.set(wecom, {"flow": "inspection", "req": "2.3", "back": [["verdict", "1.1"]]})
    assert await state_store.get(wecom) == {"flow": "inspection", "req": "2.3", "back": [["verdict", "1.1"]]}
    assert await state_store.get(telegram) is None  # same id on another channel is another person
    await state_store.delete(wecom)
    assert await state_store.get(wecom) is None


async def test_cursor_expires(state_store):
    key = StateKey("console", "u", "u")
    await state_store.set(key, {"a": 1}, ttl=1)
    await asyncio.sleep(1.2)
    assert await state_store.get(key) is None


async def test_dedupe_marks_expire(state_store):
    """The core marks a received message id with a value that lives DEDUPE_TTL seconds."""
    await state_store.set_value("seen:wecom:msg-1", "1", ttl=1)
    assert await state_store.get_value("seen:wecom:msg-1") == "1"
    assert await state_store.get_value("seen:wecom:msg-2") is None
    await asyncio.sleep(1.2)
    assert await state_store.get_value("seen:wecom:msg-1") is None


async def test_rate_limit_counts_within_window(state_store):
    results = [await state_store.hit("robot:key", limit=3, window=60) for _ in range(5)]
    assert results == [True, True, True, False, False]


async def test_values_with_only_new(state_store):
    assert await state_store.set_value("token", "abc", ttl=60, only_new=True)
    assert not await state_store.set_value("token", "xyz", ttl=60, only_new=True)
    assert await state_store.get_value("token") == "abc"
    await state_store.delete_value("token")
    assert await state_store.get_value("token") is None


async def test_lock_is_exclusive_and_ordered_per_name(state_store):
    events: list[str] = []

    async def worker(name: str, tag: str) -> None:
        async with state_store.lock(name, ttl=5, wait=5):
            events.append(f"{tag}+")
            await asyncio.sleep(0.05)
            events.append(f"{tag}-")

    await asyncio.gather(worker("user:a", "1"), worker("user:a", "2"), worker("user:b", "3"))
    a_events = [e for e in events if e[0] in "12"]
    # holders of the same lock never overlap
    assert a_events in (["1+", "1-", "2+", "2-"], ["2+", "2-", "1+", "1-"])
    # a different name does not wait
    assert events.index("3+") < max(events.index("1-"), events.index("2-"))


async def test_lock_wait_times_out(state_store):
    async with state_store.lock("busy", ttl=5, wait=1):
        with pytest.raises(LockTimeout):
            async with state_store.lock("busy", ttl=5, wait=0.2):
                pass
