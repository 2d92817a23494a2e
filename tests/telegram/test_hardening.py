"""The Telegram webhook under attack and outage: control characters and NUL cleaned before anything is
stored (PostgreSQL refuses NUL), JSON nested too deep refused with 400, and the bot token in no log
line and no database row while the Bot API fails."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage.models import InboxMessage, OutboxMessage
from tests.logcapture import database_dump, served_logs
from tests.telegram.conftest import INSPECTOR
from tests.telegram.driver import SECRET, Webhook
from tests.telegram.fake_api import TOKEN, FakeBotAPI


async def query(app, fn):
    repos = app.core.repos()
    try:
        return await fn(repos)
    finally:
        await repos.session.close()


async def inbox(app) -> list[InboxMessage]:
    return list(await query(app, lambda r: r.session.scalars(select(InboxMessage).order_by(InboxMessage.id))))


async def test_nul_and_control_characters_are_cleaned_before_they_are_stored(tg_app, webhook: Webhook,
                                                                             fake_api: FakeBotAPI):
    update = fake_api.text_update(INSPECTOR, "张\x00检\x1b查", "开始\x00检查\x07\x1b")
    await webhook.deliver(update)
    [stored] = await inbox(tg_app)
    assert stored.status == "done" and stored.error == ""
    assert (stored.payload["text"], stored.payload["display_name"]) == ("开始检查", "张检查")
    assert "被检查单位名称" in fake_api.sent_after(0)[-1].text  # answered, not "系统错误"
    mark = fake_api.mark()
    await webhook.deliver(fake_api.text_update(INSPECTOR, "张检查", "巴公\r\n煤业\x00"))
    assert (await inbox(tg_app))[-1].payload["text"] == "巴公\n煤业"
    assert fake_api.sent_after(mark)


async def test_json_nested_too_deep_is_refused_and_changes_nothing(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    assert (await webhook.post(b"[" * 60_000 + b"]" * 60_000)).status_code == 400
    assert (await webhook.post(b'{"a":' * 40_000 + b"1" + b"}" * 40_000)).status_code == 400
    update = fake_api.text_update(INSPECTOR, "张检查", "开始检查")
    nested: dict = {}
    for _ in range(100):
        nested = {"x": [nested]}
    assert (await webhook.post({**update, "extra": nested})).status_code == 400
    await tg_app.core.drain()
    assert await inbox(tg_app) == [] and fake_api.calls_of("sendMessage") == []
    # A real update (Telegram's nest about ten deep), with brackets in its text, still goes through.
    await webhook.deliver(fake_api.text_update(INSPECTOR, "张检查", "开始检查 [[[[{{{{" * 20))
    assert len(await inbox(tg_app)) == 1


async def test_no_token_in_logs_or_database_when_the_bot_api_fails(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    with served_logs() as logs:
        logging.getLogger("httpx").setLevel(logging.INFO)  # as if an operator turned request logs on
        await webhook.deliver(fake_api.text_update(INSPECTOR, "张检查", "开始检查"))
        assert "被检查单位名称" in fake_api.sent_after(0)[-1].text
        fake_api.stop()  # the Bot API is down from now on
        await webhook.deliver(fake_api.text_update(INSPECTOR, "张检查", "巴公"))
        await tg_app.core.deliver()
    pending = list(await query(tg_app, lambda r: r.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status != "sent"))))
    assert pending and all(row.error for row in pending)
    stored, logged = await query(tg_app, database_dump), logs.getvalue()
    assert "/bot123456:[redacted]/sendMessage" in logged or "[redacted]/sendMessage" in logged
    for secret in (TOKEN, TOKEN.split(":", 1)[1], SECRET):
        assert secret not in logged, secret
        assert secret not in stored, secret
