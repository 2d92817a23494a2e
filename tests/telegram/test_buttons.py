"""Button presses: the question shows "✅ 已选" only once the core has taken the press; a press it
refuses (an old button, a forged one, a stranger's, one after the conversation was lost) gets a
short pop-up and leaves the question as it was."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot import texts
from storage.models import Answer, Inspection
from storage.state import StateKey
from tests.telegram.driver import TgUser
from tests.telegram.fake_api import FakeBotAPI
from tests.telegram.test_inspection import begin

EDITS = {"editMessageText", "editMessageReplyMarkup"}


async def answers(app) -> dict[str, str]:
    repos = app.core.repos()
    try:
        return {a.requirement_id: a.verdict for a in (await repos.session.scalars(select(Answer))).all()}
    finally:
        await repos.session.close()


def calls_after(fake: FakeBotAPI, start: int) -> list[tuple[str, dict]]:
    """The Bot API calls the bot made since `start` (polling's getUpdates left out)."""
    with fake.lock:
        return [(m, p) for m, p in fake.calls[start:] if m != "getUpdates"]


def answer_of(fake: FakeBotAPI, press_id: str) -> dict:
    [call] = [c for c in fake.calls_of("answerCallbackQuery") if c["callback_query_id"] == press_id]
    return call


async def test_a_taken_press_marks_the_question_then_the_next_one_comes(tg_app, fake_api: FakeBotAPI,
                                                                        inspector: TgUser):
    await begin(inspector)
    question = inspector.question()
    original = question.text  # `question` is the fake's record: edits change it
    start = len(fake_api.calls)
    reply = await inspector.press("不适用")
    assert "1.2" in reply and "1.1：不适用" not in reply  # the question shows the choice: not said again
    calls = calls_after(fake_api, start)
    methods = [m for m, _ in calls]
    # settled first, silently: the callback answered without a pop-up, the question marked ...
    assert methods[:2] == ["answerCallbackQuery", "editMessageText"], methods
    answered, edited = calls[0][1], calls[1][1]
    assert answered["callback_query_id"] == inspector.last_press and not answered.get("text")
    assert int(edited["message_id"]) == question.message_id
    pressed = fake_api.sent[question.message_id]
    assert pressed.text == f"{original}\n\n✅ 已选：不适用" and pressed.reply_markup is None
    # ... then the next question, one message, with its own buttons
    assert methods[2:] == ["sendMessage"]
    assert "1.2" in fake_api.sent_after(question.message_id)[-1].text and inspector.question().reply_markup
    assert await answers(tg_app) == {"1.1": "na"}


async def test_a_press_on_a_question_answered_by_typing_gets_a_popup_and_changes_nothing(
        tg_app, fake_api: FakeBotAPI, inspector: TgUser):
    await begin(inspector)
    old = inspector.question()
    old_data = old.button("不符合")["callback_data"]
    await inspector.say("符合")  # 1.1 answered by typing; 1.2 is asked with new buttons
    before = (fake_api.sent[old.message_id].text, list(fake_api.sent[old.message_id].edits))
    start = len(fake_api.calls)
    assert await inspector.press_data(old, old_data) == ""  # no new chat message
    assert [m for m, _ in calls_after(fake_api, start)] == ["answerCallbackQuery"]  # the question not edited
    popup = answer_of(fake_api, inspector.last_press)
    assert popup["text"] == texts.PRESS_STALE and popup.get("show_alert") in (None, False, "false")
    assert (fake_api.sent[old.message_id].text, fake_api.sent[old.message_id].edits) == before
    assert "已选" not in fake_api.sent[old.message_id].text
    assert await answers(tg_app) == {"1.1": "pass"}  # 1.1 was not changed to 不符合
    # the current question still takes its own buttons
    assert "1.3" in await inspector.press("符合")
    assert await answers(tg_app) == {"1.1": "pass", "1.2": "pass"}


async def test_forged_presses_get_a_popup_and_store_nothing(tg_app, fake_api: FakeBotAPI, inspector: TgUser):
    await begin(inspector)
    question = inspector.question()
    original = question.text
    start = len(fake_api.calls)
    for forged in ("deadbeef:0", question.button("不符合")["callback_data"] + "9", "x" * 64, ""):
        assert await inspector.press_data(question, forged) == ""
        assert answer_of(fake_api, inspector.last_press)["text"] == texts.PRESS_STALE
    assert [m for m, _ in calls_after(fake_api, start)] == ["answerCallbackQuery"] * 4
    assert await answers(tg_app) == {}
    assert fake_api.sent[question.message_id].text == original  # no "chosen" shown for a forgery
    # the real buttons still work: the forgeries changed nothing
    assert "1.2" in await inspector.press_data(question, question.button("符合")["callback_data"])
    assert await answers(tg_app) == {"1.1": "pass"}


async def test_a_press_after_the_conversation_was_lost_is_not_applied(tg_app, fake_api: FakeBotAPI,
                                                                     inspector: TgUser):
    """A restart or a flushed state store: the press cannot be tied to a question any more."""
    await begin(inspector)
    question = inspector.question()
    await tg_app.core.state.delete(StateKey("telegram", str(inspector.chat_id), str(inspector.user_id)))
    reply = await inspector.press("不符合")
    assert answer_of(fake_api, inspector.last_press)["text"] == texts.PRESS_RESTORED
    assert "已选" not in fake_api.sent[question.message_id].text
    assert "1.1" in reply and texts.RESTORED_NOT_APPLIED[:6] not in reply  # asked again, with new buttons
    assert inspector.question().message_id != question.message_id
    assert await answers(tg_app) == {}
    assert "1.1 不符合：请写明发现的问题" in await inspector.press("不符合")  # the new buttons work


async def test_presses_the_bot_cannot_take_are_still_answered(tg_app, fake_api: FakeBotAPI, inspector: TgUser):
    await begin(inspector)
    question = inspector.question()
    # a stranger's press (someone not, or no longer, registered) on a keyboard in their own chat:
    # refused, with the reason as a message
    stranger = TgUser(fake_api, inspector.transport, 4242, "陌生人")
    theirs = replace(question, chat_id=stranger.chat_id)
    reply = await stranger.press_data(theirs, question.button("符合")["callback_data"])
    assert answer_of(fake_api, stranger.last_press)["text"] == texts.PRESS_NOT_TAKEN
    assert "4242" in reply  # told who they are, as any stranger is
    # a press Telegram sends without data, or on a message it no longer gives: answered by the adapter
    for strip in ("data", "message"):
        update = fake_api.callback_update(inspector.user_id, inspector.name, question, "x")
        del update["callback_query"][strip]
        await inspector.transport.deliver(update)
        assert answer_of(fake_api, update["callback_query"]["id"])["text"] == texts.PRESS_STALE
    assert "已选" not in fake_api.sent[question.message_id].text
    assert await answers(tg_app) == {}
    repos = tg_app.core.repos()
    try:
        assert len((await repos.session.scalars(select(Inspection))).all()) == 1
    finally:
        await repos.session.close()
