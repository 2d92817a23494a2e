"""Telegram webhook updates reach the bot in any order (several connections at once); a user's
messages are applied in update_id order, each to the question it was meant for."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.adapters.telegram import add_telegram
from bot.app import build_app
from storage.models import Answer, InboxMessage
from tests.conftest import DEFAULT_NOW
from tests.telegram.conftest import INSPECTOR, register, tg_settings
from tests.telegram.driver import TgUser, Webhook, adapter_of
from tests.telegram.fake_api import FakeBotAPI
from tests.telegram.test_inspection import begin


@pytest.fixture
async def tg_app(backend, tmp_path, fake_api):
    """As in conftest, with the ordering wait as deployed (the default)."""
    url, state = backend
    app = await build_app(tg_settings(url, tmp_path, fake_api, order_window_ms=300), clock=lambda: DEFAULT_NOW,
                          state=state)
    add_telegram(app)
    await register(app, INSPECTOR, "张检查", "inspector")
    yield app
    await app.core.drain()
    await adapter_of(app).close()
    await app.engine.dispose()


async def rows(app, model):
    repos = app.core.repos()
    try:
        return list((await repos.session.scalars(select(model).order_by(model.id))).all())
    finally:
        await repos.session.close()


@pytest.mark.parametrize("arrival", [[4, 3, 2, 1, 0], [1, 0, 3, 2, 4], [2, 4, 0, 3, 1]])
async def test_updates_arriving_out_of_order_are_applied_in_update_id_order(
        tg_app, webhook: Webhook, fake_api: FakeBotAPI, arrival):
    user = TgUser(fake_api, webhook, INSPECTOR, "张检查")
    await begin(user)
    words = ["符合", "不符合", "培训计划未经审批", "不适用", "符合"]
    updates = [fake_api.text_update(INSPECTOR, "张检查", w) for w in words]  # update ids in send order
    mark = fake_api.mark()
    for i in arrival:  # posted in another order, 20 ms apart
        response = await webhook.post(updates[i])
        assert response.status_code == 200
        await asyncio.sleep(0.02)
    await tg_app.core.drain()
    answers = {a.requirement_id: (a.verdict, a.note) for a in await rows(tg_app, Answer)}
    assert answers == {"1.1": ("pass", ""), "1.2": ("fail", "培训计划未经审批"), "1.3": ("na", ""),
                       "2.1": ("pass", "")}
    said = "\n".join(s.text for s in fake_api.sent_after(mark, INSPECTOR))
    assert said.count("1.1：符合 ✓") == 1 and said.count("1.3：不适用 ✓") == 1 and said.count("2.1：符合 ✓") == 1
    assert {m.status for m in await rows(tg_app, InboxMessage)} == {"done"}


async def test_a_message_arriving_after_a_later_one_was_applied_is_not_applied(
        tg_app, webhook: Webhook, fake_api: FakeBotAPI):
    """Beyond the wait: the earlier message answers no question now, and the user is told."""
    user = TgUser(fake_api, webhook, INSPECTOR, "张检查")
    await begin(user)
    early = fake_api.text_update(INSPECTOR, "张检查", "不适用")
    later = fake_api.text_update(INSPECTOR, "张检查", "符合")
    await webhook.deliver(later)  # waits out the ordering window and is applied to 1.1
    mark = fake_api.mark()
    await webhook.deliver(early)  # sent before it, arrives long after
    answers = {a.requirement_id: a.verdict for a in await rows(tg_app, Answer)}
    assert answers == {"1.1": "pass"}  # 1.2 not answered by the stray message
    said = "\n".join(s.text for s in fake_api.sent_after(mark, INSPECTOR))
    assert "「不适用」比后发的消息晚到，没有记录" in said
    assert [m.status for m in await rows(tg_app, InboxMessage)][-1] == "late"
