"""Button presses that do not answer the question on screen: a forged callback and an old button."""

from __future__ import annotations

from sqlalchemy import select

from bot import texts
from storage.models import Answer
from tests.telegram.driver import TgUser
from tests.telegram.fake_api import FakeBotAPI
from tests.telegram.test_inspection import begin


async def answers(app) -> dict[str, str]:
    repos = app.core.repos()
    try:
        return {a.requirement_id: a.verdict for a in (await repos.session.scalars(select(Answer))).all()}
    finally:
        await repos.session.close()


async def test_forged_callback_data_gets_a_clear_reply_and_changes_nothing(tg_app, fake_api: FakeBotAPI,
                                                                          inspector: TgUser):
    await begin(inspector)
    question = inspector.question()
    original = question.text
    for forged in ("deadbeef:0", question.button("不符合")["callback_data"] + "9", "x" * 64, ""):
        reply = await inspector.press_data(question, forged)
        assert texts.STALE_BUTTON in reply and "1.1" in reply  # told, and asked again
    assert await answers(tg_app) == {}
    assert fake_api.sent[question.message_id].text == original  # no "chosen" shown for a forgery
    # the real buttons still work: the forgeries changed nothing
    current = inspector.question()
    assert "1.1：符合" in await inspector.press_data(current, current.button("符合")["callback_data"])
    assert await answers(tg_app) == {"1.1": "pass"}


async def test_a_button_of_an_old_question_is_refused(tg_app, fake_api: FakeBotAPI, inspector: TgUser):
    await begin(inspector)
    old = inspector.question()
    old_data = old.button("不符合")["callback_data"]
    await inspector.say("符合")  # 1.1 answered by typing; 1.2 is asked with new buttons
    reply = await inspector.press_data(old, old_data)
    assert texts.STALE_BUTTON in reply and "1.2" in reply
    assert await answers(tg_app) == {"1.1": "pass"}  # 1.1 was not changed to 不符合
    assert fake_api.sent[old.message_id].reply_markup is None
    assert "已选" not in fake_api.sent[old.message_id].text
