"""kill -9 of one of two `serve` processes: the other answers that user within seconds, and the
user's replies stay in order, once each. What the dead process left behind (a message it had
acknowledged but not handled, the user's lock it held) is taken over, not waited out."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core import USER_LOCK_TTL
from tests.servers import Servers, cli, serve_env
from tests.wecom.driver import ServedInspector, WeComChat, wecom_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDIS_DB_URL = "redis://127.0.0.1:6379/14"


async def test_after_kill_9_the_other_process_answers_within_seconds(pg_url, redis_store, tmp_path, fake):
    user = f"k{uuid.uuid4().hex[:8]}"
    org = tmp_path / "org.yaml"
    org.write_text(f"members:\n  - {{name: 检查员, bureau: 泽州县, role: inspector, wecom: {user}}}\n", encoding="utf-8")
    env = serve_env(pg_url, REDIS_DB_URL, {**wecom_settings(fake), "wecom_cards": False})  # typed answers
    subprocess.run([*cli(), "org", "import", str(org)], env=env, cwd=tmp_path, check=True, capture_output=True,
                   timeout=120)
    servers = Servers(env, tmp_path)
    engine = create_async_engine(pg_url)
    first_id = 7_300_000_000_000_000_000 + int(time.time() * 1000) * 1000
    ids = iter(range(first_id, first_id + 1000))
    redis = aioredis.from_url(REDIS_DB_URL)
    try:
        await servers.start()
        async with httpx.AsyncClient(timeout=30) as http:
            chat = WeComChat(None, fake, servers.urls[0], http)
            insp = ServedInspector(chat, user, servers, engine, http, ids)
            await insp.to_checklist("鸿运煤业")
            # Process 0 acknowledges 1.1's answer and dies at once, before or while handling it;
            # as if mid-handling, its lock on the user is left in Redis with a full lifetime.
            start = len(fake.calls)
            await insp.post("符合", 0)
            servers.kill(0)
            await redis.set(f"inspector-bot:lock:user:wecom:{user}:{user}", "dead-process",
                            px=int(USER_LOCK_TTL * 1000))
            began = time.monotonic()
            await insp.post("不适用", 1)  # the next answer reaches the surviving process
            while len(fake.texts_to(user, since=start)) < 2:
                assert time.monotonic() - began < 5, fake.texts_to(user, since=start)
                await asyncio.sleep(0.05)
            await insp.settled()
            said = fake.texts_to(user, since=start)
            assert said[0].startswith("1.1：符合 ✓") and any(s.startswith("1.2：不适用 ✓") for s in said)
            assert len(said) == len(set(said))  # once each
            assert await insp.record() == {"1.1": ("pass", ""), "1.2": ("na", "")}
    finally:
        servers.stop()
        await engine.dispose()
        await redis.aclose()
