"""POST /telegram/webhook: the secret, redeliveries, size limit, registration at start."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.adapters.telegram import add_telegram
from bot.app import build_app
from bot.http import create_http_app
from storage.models import InboxMessage, OutboxMessage
from tests.conftest import DEFAULT_NOW
from tests.telegram.conftest import INSPECTOR, WEBHOOK_URL, tg_settings
from tests.telegram.driver import SECRET, Webhook
from tests.telegram.fake_api import FakeBotAPI


async def count(app, model) -> int:
    repos = app.core.repos()
    try:
        return await repos.session.scalar(select(func.count()).select_from(model))
    finally:
        await repos.session.close()


async def test_wrong_or_missing_secret_is_403_and_changes_nothing(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    update = fake_api.text_update(INSPECTOR, "张检查", "开始检查")
    for secret in ("wrong", "", SECRET[:-1], SECRET + "x"):
        response = await webhook.post(update, secret=secret)
        assert response.status_code == 403
    await tg_app.core.drain()
    assert await count(tg_app, InboxMessage) == 0 and await count(tg_app, OutboxMessage) == 0
    assert fake_api.calls_of("sendMessage") == []
    # the same update with the right secret is taken
    await webhook.deliver(update)
    assert await count(tg_app, InboxMessage) == 1
    assert "被检查单位名称" in fake_api.sent_after(0)[-1].text


async def test_a_redelivered_update_is_handled_once(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    update = fake_api.text_update(INSPECTOR, "张检查", "开始检查")
    await webhook.deliver(update)
    await webhook.deliver(update)  # Telegram did not get our 200 in time and sends it again
    assert await count(tg_app, InboxMessage) == 1
    assert [s.text for s in fake_api.sent_after(0)] == ["请输入被检查单位名称（几个字即可，我来查找）："]


async def test_oversized_and_malformed_bodies_are_refused(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    big = fake_api.text_update(INSPECTOR, "张检查", "帮" * (tg_app.settings.max_request_bytes // 2))
    response = await webhook.post(big)
    assert response.status_code == 413
    assert (await webhook.post(b"{not json")).status_code == 400
    assert (await webhook.post(b"[1, 2]")).status_code == 400
    await tg_app.core.drain()
    assert await count(tg_app, InboxMessage) == 0


async def test_updates_the_bot_does_not_handle_are_acknowledged(tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    edited = fake_api.text_update(INSPECTOR, "张检查", "开始检查")
    edited["edited_message"] = edited.pop("message")
    response = await webhook.post(edited)
    assert response.status_code == 200  # or Telegram would send it again and again
    await tg_app.core.drain()
    assert await count(tg_app, InboxMessage) == 0 and fake_api.calls_of("sendMessage") == []


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
async def test_serving_registers_the_webhook_with_its_secret(backend, tmp_path, fake_api: FakeBotAPI):
    url, state = backend
    settings = tg_settings(url, tmp_path, fake_api, telegram_webhook_url=WEBHOOK_URL)
    app = await build_app(settings, clock=lambda: DEFAULT_NOW, state=state)
    try:
        add_telegram(app)
        http_app = create_http_app(settings, app=app, maintain=False)
        async with http_app.router.lifespan_context(http_app):
            assert fake_api.webhook["url"] == WEBHOOK_URL
            assert fake_api.webhook["secret_token"] == SECRET
            assert set(fake_api.webhook["allowed_updates"]) == {"message", "callback_query"}
    finally:
        await app.close()
