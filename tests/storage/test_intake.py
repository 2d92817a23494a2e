"""The ack path's group commit (bot/intake.py), on SQLite and PostgreSQL: messages arriving together
are committed in one statement; the inbox's unique key decides what is a retry, within a batch too;
a failed write fails every caller of that batch and the next one succeeds."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.intake import InboxWriter
from storage import db
from storage.models import InboxMessage


@pytest.fixture
async def sessions(db_url):
    engine = db.create_engine(db_url)
    await db.upgrade(engine)
    yield db.sessionmaker(engine)
    await engine.dispose()


async def stored(sessions) -> list[tuple[str, str, dict]]:
    async with sessions() as s:
        rows = await s.execute(select(InboxMessage.dedupe_key, InboxMessage.status, InboxMessage.payload)
                               .order_by(InboxMessage.id))
        return [tuple(r) for r in rows.all()]


async def test_messages_arriving_together_are_one_commit_and_retries_are_none(sessions):
    writer = InboxWriter(sessions)
    first = await writer.add("wecom", "m0", "wecom:u:u", {"text": "开始检查"})
    assert first is not None and writer.batches == 1
    # 30 at once (a burst of callbacks), two of them retries of the same message, one of m0
    keys = [f"m{i}" for i in range(1, 29)] + ["m5", "m0"]
    ids = await asyncio.gather(*(writer.add("wecom", k, "wecom:u:u", {"k": k}) for k in keys))
    assert writer.batches == 2  # the burst waited for one write, not 30
    assert all(isinstance(i, int) for i in ids[:28]) and len(set(ids[:28])) == 28
    assert ids[28] is None and ids[29] is None  # retries: not new
    rows = await stored(sessions)
    assert [k for k, _, _ in rows] == ["m0"] + keys[:28]
    assert {s for _, s, _ in rows} == {"pending"} and rows[0][2] == {"text": "开始检查"}
    # the same key on another channel is another message
    assert await writer.add("telegram", "m0", "telegram:u:u", {}) is not None


async def test_a_failed_write_fails_its_callers_and_the_next_write_succeeds(sessions, monkeypatch):
    writer = InboxWriter(sessions)
    real = writer._write

    async def broken(rows):
        raise ConnectionError("database gone")

    monkeypatch.setattr(writer, "_write", broken)
    results = await asyncio.gather(*(writer.add("wecom", f"k{i}", "wecom:u:u", {}) for i in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)  # not stored: not acknowledged
    monkeypatch.setattr(writer, "_write", real)
    assert await writer.add("wecom", "k1", "wecom:u:u", {}) is not None  # the platform's retry
    assert [k for k, _, _ in await stored(sessions)] == ["k1"]
