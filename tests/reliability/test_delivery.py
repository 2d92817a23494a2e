"""Replies are never given up on silently: a reply a dead process was sending is taken back within
seconds and goes out before the chat's later ones; only after hours is one marked failed, counted
and reported. (The platforms down or rate-limiting: tests/wecom/test_retries.py,
tests/telegram/test_flood.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from bot import metrics
from storage.models import OutboxMessage
from tests.harness import outbox


async def test_a_reply_a_dead_process_was_sending_goes_out_before_the_next(bot):
    """Claimed by a process that died (status sending, never marked): taken back after the claim
    timeout, sent, and only then the chat's later replies."""
    await bot.register()
    bot.app.core.claim_timeout = 0.5
    await bot.say("开始检查")
    repos = bot.repos()
    try:
        [first] = (await repos.session.scalars(select(OutboxMessage))).all()
        stamp = datetime.now(timezone.utc) - timedelta(seconds=1)
        await repos.session.execute(update(OutboxMessage).where(OutboxMessage.id == first.id)
                                    .values(status="sending", claimed_at=stamp))
        await repos.commit()
    finally:
        await repos.session.close()
    start = len(bot.console.sent)
    await bot.say("帮助")
    shown = [text for _, text in bot.console.sent[start:]]
    rows = await outbox(bot.app)
    assert [r.status for r in rows] == ["sent"] * len(rows)
    assert len(shown) >= 2 and rows[0].attempts >= 1


async def test_replies_unsent_for_hours_are_marked_failed_counted_and_reported(bot):
    await bot.register()
    await bot.register("admin1", name="管理员", bureau="晋城市", role="admin")
    await bot.register()
    core = bot.app.core
    repos = bot.repos()
    try:
        repos.outbox.add("wecom", "nobody", {"type": "text", "text": "old"})
        await repos.commit()
        await repos.session.execute(update(OutboxMessage).values(
            created_at=datetime.now(timezone.utc) - timedelta(hours=25)))
        await repos.commit()
    finally:
        await repos.session.close()
    before = metrics.GIVEN_UP.labels("wecom")._value.get()
    await core.recover()
    await core._tell_admins_given_up()
    await core.deliver()
    rows = await outbox(bot.app)
    assert rows[0].status == "failed"
    assert metrics.GIVEN_UP.labels("wecom")._value.get() == before + 1
    told = [r for r in rows if r.chat_id == "admin1"]
    assert told and "未能发出" in told[0].payload["text"]
