"""What an operator sees over HTTP: health, readiness, metrics, request ids, size limits."""

from __future__ import annotations

import httpx

from bot.http import create_http_app
from bot.messages import Incoming, Kind
from tests.harness import Harness


async def _client(app):
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot")


async def test_health_readiness_metrics_and_request_id(bot):
    await bot.register()
    await bot.say("开始检查")
    http = create_http_app(bot.app.settings, app=bot.app, maintain=False)
    async with await _client(http) as client:
        assert (await client.get("/healthz")).text == "ok"
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["database"] == "ok"
        assert ready.headers["x-request-id"]
        assert (await client.get("/healthz", headers={"X-Request-Id": "abc"})).headers["x-request-id"] == "abc"
        await bot.app.core.recover()  # the maintenance pass sets the queue gauges
        body = (await client.get("/metrics")).text
    assert 'inspector_bot_messages_received_total{channel="console"}' in body
    assert 'inspector_bot_messages_processed_total{channel="console",outcome="ok"}' in body
    assert "inspector_bot_message_seconds_bucket" in body and 'inspector_bot_queue_depth{queue="inbox"} 0.0' in body


async def test_readiness_fails_when_the_database_is_gone(tmp_path):
    from storage.state import MemoryStateStore

    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/x.db", MemoryStateStore(), tmp_path,
                              __import__("tests.conftest", fromlist=["DEFAULT_NOW"]).DEFAULT_NOW)
    http = create_http_app(bot.app.settings, app=bot.app, maintain=False)
    try:
        (tmp_path / "x.db").unlink()
        (tmp_path / "x.db").mkdir()  # the file is replaced by something that is no database
        await bot.app.engine.dispose()
        async with await _client(http) as client:
            ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"].startswith("error")
    finally:
        await bot.close()


async def test_failed_message_is_reported_to_the_user_and_kept(embedded_bot):
    """The database refuses the write while a message is handled: the user is told it was not
    processed; the message stays on record as failed."""
    from sqlalchemy import text

    from storage.models import InboxMessage
    from tests.conversations.test_inspection import begin, records

    bot = embedded_bot
    await bot.register()
    await begin(bot)
    async with bot.app.engine.begin() as conn:  # the answers table is gone: every answer fails
        await conn.execute(text("ALTER TABLE answers RENAME TO answers_away"))
    reply = await bot.push(Incoming(channel="console", user_id=bot.user, chat_id=bot.user, kind=Kind.TEXT,
                                    text="符合", msg_id="x-1"))
    assert "未能处理" in reply and "请稍后重发" in reply
    [row] = [r for r in await records(bot, InboxMessage) if r.dedupe_key == "x-1"]
    assert row.status == "failed" and "answers" in row.error
    async with bot.app.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE answers_away RENAME TO answers"))
    assert "1.1" in await bot.say("符合")  # resent: the conversation carries on from the database
