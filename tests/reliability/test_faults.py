"""Faults with the real servers: Redis unreachable or dying mid-conversation, the database dropping
connections or refusing them, a crash between receiving and replying. Nothing is lost."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
import uuid

import pytest

from bot.adapters.console import render
from bot.messages import Incoming, Kind
from storage.models import Answer, InboxMessage
from storage.state import MemoryStateStore, RedisStateStore
from tests.conftest import DEFAULT_NOW, _pg_admin
from tests.conversations.test_inspection import begin, records
from tests.harness import Harness


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A Redis server of this test's own, so it can be stopped and started."""

    def __init__(self, tmp_path) -> None:
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = tmp_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


async def answers(bot) -> dict[str, str]:
    return {a.requirement_id: a.verdict for a in await records(bot, Answer)}


async def test_redis_unreachable_from_the_start(pg_url, tmp_path):
    dead = RedisStateStore.from_url(f"redis://127.0.0.1:{free_port()}/0", prefix="dead")
    bot = await Harness.start(pg_url, dead, tmp_path, DEFAULT_NOW)
    try:
        await bot.register()
        reply = await bot.say("开始检查")
        assert "缓存暂时不可用" in reply and "不会丢失" in reply and "被检查单位名称" in reply
        await bot.say("泽州县巴公煤业有限公司")
        await bot.say("1")
        await bot.say("煤矿")
        await bot.say("无")
        await bot.say("2023-05-10")
        await bot.say("跳过")
        reply = await bot.say("符合")
        assert "1.2" in reply and "缓存暂时不可用" not in reply  # said once, not on every message
        await bot.say("不适用")
        assert await answers(bot) == {"1.1": "pass", "1.2": "na"}
    finally:
        await bot.app.close()


async def test_redis_dies_mid_conversation_and_comes_back(pg_url, tmp_path, monkeypatch):
    import storage.resilient

    monkeypatch.setattr(storage.resilient, "RETRY_AFTER", 0.2)  # try Redis again soon
    redis = PrivateRedis(tmp_path)
    redis.start()
    store = RedisStateStore.from_url(f"redis://127.0.0.1:{redis.port}/0", prefix=f"t{uuid.uuid4().hex[:6]}")
    bot = await Harness.start(pg_url, store, tmp_path, DEFAULT_NOW)
    try:
        await bot.register()
        await begin(bot)
        await bot.say("符合")  # 1.1, cursor in Redis
        redis.stop()
        reply = await bot.say("不符合")  # 1.2: answered from memory and the database
        assert "缓存暂时不可用" in reply and "请写明发现的问题" in reply
        await bot.say("签到表代签")
        assert "1.3" in (reply := await bot.say("符合"))
        redis.start()  # back, and empty: this process's copy of the cursor carries on
        await asyncio.sleep(0.3)
        reply = await bot.say("符合")
        assert "证书登记" in reply and "已从记录中恢复" not in reply
        assert await answers(bot) == {"1.1": "pass", "1.2": "fail", "1.3": "pass", "2.1": "pass"}
    finally:
        redis.stop()
        await bot.app.close()


async def test_database_connections_dropped_are_reconnected(pg_url, redis_store, tmp_path, caplog):
    bot = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    name = pg_url.rsplit("/", 1)[1]
    try:
        await bot.register()
        await begin(bot)
        await _pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        assert "1.2" in await bot.say("符合")  # as after a database restart
        assert "database connection lost" in caplog.text  # found dead, retried on a fresh one
        assert await answers(bot) == {"1.1": "pass"}
    finally:
        await bot.close()


async def test_database_down_when_a_message_arrives_then_back(pg_url, redis_store, tmp_path):
    bot = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    name = pg_url.rsplit("/", 1)[1]
    try:
        await bot.register()
        await begin(bot)
        msg = Incoming(channel="console", user_id=bot.user, chat_id=bot.user, kind=Kind.TEXT, text="符合",
                       msg_id="platform-42")
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        # Not stored, so not acknowledged: the adapter answers the platform with an error and it retries.
        with pytest.raises(Exception):
            await bot.app.core.receive(msg)
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # The platform's retry: received once, handled once.
        start = len(bot.console.sent)
        assert await bot.app.core.handle_now(msg) is True
        assert await bot.app.core.handle_now(msg) is False
        replies = [render(m) for chat, m in bot.console.sent[start:] if chat == bot.user]
        assert sum("1.1：符合" in r for r in replies) == 1 and "1.2" in replies[-1], replies
        assert await answers(bot) == {"1.1": "pass"}
    finally:
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await bot.close()


async def test_database_down_between_receiving_and_processing(pg_url, redis_store, tmp_path):
    bot = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    name = pg_url.rsplit("/", 1)[1]
    try:
        await bot.register()
        await begin(bot)
        msg = Incoming(channel="console", user_id=bot.user, chat_id=bot.user, kind=Kind.TEXT, text="不适用",
                       msg_id="platform-43")
        assert await bot.app.core.receive(msg)  # stored and acknowledged
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await _pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        with pytest.raises(Exception):
            await bot.app.core.process(f"console:{bot.user}:{bot.user}")
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        start = len(bot.console.sent)
        await bot.app.core.recover()  # what the maintenance loop does every 30 s
        replies = [render(m) for chat, m in bot.console.sent[start:] if chat == bot.user]
        assert any("1.1：不适用" in r for r in replies)
        assert await answers(bot) == {"1.1": "na"}
        [row] = [r for r in await records(bot, InboxMessage) if r.dedupe_key == "platform-43"]
        assert row.status == "done"
    finally:
        await _pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await bot.close()


async def test_crash_between_receiving_and_replying(backend, tmp_path):
    url, state = backend
    first = await Harness.start(url, state, tmp_path, DEFAULT_NOW)
    await first.register()
    await begin(first)
    msg = Incoming(channel="console", user_id=first.user, chat_id=first.user, kind=Kind.TEXT, text="符合",
                   msg_id="platform-44")
    assert await first.app.core.receive(msg)  # acknowledged to the platform ...
    await first.app.engine.dispose()  # ... and the process dies before handling it

    second = await Harness.start(url, state if not isinstance(state, MemoryStateStore) else MemoryStateStore(),
                                 tmp_path, DEFAULT_NOW)
    second.user = first.user
    try:
        await second.app.core.recover()
        await second.app.core.recover()  # a second pass (another process) does not repeat it
        replies = "\n".join(render(m) for chat, m in second.console.sent if chat == second.user)
        if isinstance(state, MemoryStateStore):  # the cursor died with the process: the user is told
            assert replies.count("您刚才的“符合”没有作为回答保存") == 1 and "1.1" in replies
            assert await answers(second) == {}
        else:  # the cursor is in Redis: the message is simply handled, once
            assert replies.count("1.1：符合") == 1
            assert await answers(second) == {"1.1": "pass"}
    finally:
        await second.close()


async def test_two_messages_of_one_user_run_in_order_across_two_processes(pg_url, redis_store, tmp_path):
    """A photo and the 完成 right after it, arriving at two server processes at once."""
    a = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    b = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    try:
        await a.register()
        b.user = a.user
        await begin(a)
        base = dict(channel="console", user_id=a.user, chat_id=a.user, kind=Kind.TEXT)
        first = Incoming(**base, text="符合", msg_id="m1")
        second = Incoming(**base, text="不适用", msg_id="m2")
        assert await a.app.core.receive(first) and await b.app.core.receive(second)
        key = f"console:{a.user}:{a.user}"
        await asyncio.gather(b.app.core.process(key), a.app.core.process(key))
        assert await answers(a) == {"1.1": "pass", "1.2": "na"}
    finally:
        await a.close()
        await b.close()
