"""Telegram's flood control (429 with retry_after): the reply waits as long as Telegram asks, then
goes out once."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.harness import outbox, pass_until_sent
from tests.telegram.conftest import INSPECTOR
from tests.telegram.driver import TgUser


async def test_telegram_flood_control_is_waited_out(tg_app, fake_api, webhook):
    fake_api.flood_next = 2  # 429 with retry_after 1, twice
    user = TgUser(fake_api, webhook, INSPECTOR, "张检查")
    mark = fake_api.mark()
    await webhook.post(fake_api.text_update(INSPECTOR, "张检查", "开始检查"))
    await tg_app.core.drain()
    rows = await outbox(tg_app)
    assert rows[-1].status == "pending" and rows[-1].next_attempt_at is not None
    wait = (rows[-1].next_attempt_at.replace(tzinfo=rows[-1].next_attempt_at.tzinfo or timezone.utc)
            - datetime.now(timezone.utc)).total_seconds()
    assert 0 < wait <= 1.1  # as long as Telegram asked, not the default back-off
    await pass_until_sent(tg_app)
    texts = [s.text for s in fake_api.sent_after(mark, user.chat_id)]
    assert sum("被检查单位名称" in t for t in texts) == 1




async def test_a_user_who_blocked_the_bot_is_not_retried_for_hours(tg_app, fake_api, webhook):
    fake_api.blocked_by.add(str(INSPECTOR))
    await webhook.post(fake_api.text_update(INSPECTOR, "张检查", "开始检查"))
    await tg_app.core.drain()
    rows = await outbox(tg_app)
    assert rows and all(r.status == "failed" and r.attempts == 1 for r in rows)
    assert "blocked" in rows[0].error
