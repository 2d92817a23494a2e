"""WeCom interactive template cards (模板卡片, `button_interaction`) for questions with options.

A question with at most six short options goes out as a card with one button per option (field
names and limits as in the WeCom API documentation; see docs/wecom.md): the button's key is the
option's data (`token:index`), so a tap arrives as a `template_card_event` callback carrying it as
EventKey, with the card's TaskId and a one-use ResponseCode. The core then checks the tap against
the question on screen exactly like a Telegram press, and the adapter settles it on the card with
`message/update_template_card`: the buttons become one grey, unclickable button reading the choice
(taken) or "已失效" (refused).

Longer option lists, long labels and app group chats keep the numbered text; typed numbers and
labels work with cards too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from typing import TYPE_CHECKING, Any

from wechatpy.exceptions import WeChatClientException

from bot import texts
from bot.messages import Choices, Incoming, Kind, PressResult

if TYPE_CHECKING:
    from bot.adapters.wecom_send import WeComAdapter

log = logging.getLogger(__name__)

CARD_EVENT = "template_card_event"  # the callback of a tap: TaskId, EventKey, ResponseCode

MAX_BUTTONS = 6  # button_list: at most 6
MAX_LABEL = 10  # button text: "建议不超过10个字"
MAX_KEY = 1024  # button key: bytes
MAX_TITLE = 36  # main_title.title: "建议不超过36个字"
MAX_SUBTITLE = 160  # sub_title_text: "建议不超过160个字"
MAX_QUOTE = 160  # quote_area.quote_text: no figure given; kept as short as the sub-title
MAX_TASK_ID = 128  # bytes; digits, letters and _-@ only, unique within the app
CARD_TTL = 72 * 3600  # a ResponseCode can be used once, within 72 hours
_NOT_TASK_CHAR = re.compile(r"[^0-9A-Za-z_\-@]")


def fits(message: Choices) -> bool:
    """Whether the question can be a button card: 1 to 6 options with short labels."""
    return (0 < len(message.options) <= MAX_BUTTONS
            and all(0 < len(o.label) <= MAX_LABEL and len(o.data.encode()) <= MAX_KEY for o in message.options))


def task_id(message: Choices) -> str:
    """A TaskId unique within the app: the question's token (the part of the options' data before
    the colon) and a random tail."""
    token = _NOT_TASK_CHAR.sub("", message.options[0].data.partition(":")[0])[:32] if message.options else ""
    return f"q{token}_{secrets.token_hex(8)}"[:MAX_TASK_ID]


def _title(line: str) -> str:
    return line if len(line) <= MAX_TITLE else line[:MAX_TITLE - 1] + "…"


def card_message(message: Choices) -> tuple[str, dict]:
    """(text to send before the card, the card's message/send payload). What leads the question
    (`Choices.lead`: the reply to the previous answer) is the card's quote area, so one answer gets
    one message; a long lead goes as text before the card, and so does the whole question when it
    is too long for the card's lines (the card under it then repeats the head and takes the tap)."""
    first, _, rest = message.text.strip().partition("\n")
    before, quote = "", message.lead.strip()
    if len(first) > MAX_TITLE or len(rest) > MAX_SUBTITLE:
        before, rest, quote = message.full_text, texts.WECOM_CARD_TAP, ""
    elif len(quote) > MAX_QUOTE:
        before, quote = quote, ""
    card: dict = {
        "card_type": "button_interaction",
        "main_title": {"title": _title(first)},
        "task_id": task_id(message),
        "button_list": [{"type": 0, "text": o.label, "style": 1, "key": o.data} for o in message.options],
    }
    if quote:
        card["quote_area"] = {"type": 0, "quote_text": quote}
    if rest.strip():
        card["sub_title_text"] = rest.strip()
    return before, {"msgtype": "template_card", "template_card": card}


def update_payload(user_id: str, agent_id: int, response_code: str, replace_name: str) -> dict:
    """message/update_template_card: the card's buttons become one unclickable button `replace_name`."""
    return {"userids": [user_id], "agentid": agent_id, "response_code": response_code,
            "button": {"replace_name": replace_name}}


def memory_key(task: str) -> str:
    """State-store key of the choice a card shows (so a later refused tap leaves it as it is)."""
    return f"wecom:card:{task}"


# ---- a tap, coming in
def tap_incoming(raw: dict[str, Any], base: dict[str, Any], user: str, created: str) -> Incoming:
    """A template_card_event as a press of the tapped option: `data` is the button's key (the
    option's data), `press_id` the ResponseCode to settle it with, `question_id` the TaskId. WeCom's
    retries repeat the user, CreateTime, TaskId and EventKey: together they are the dedupe id."""
    task, key = str(raw.get("TaskId") or ""), str(raw.get("EventKey") or "")
    tapped = hashlib.sha256(f"{task}/{key}".encode()).hexdigest()[:32]
    return Incoming(**base, kind=Kind.CHOICE, data=key, press_id=str(raw.get("ResponseCode") or ""),
                    question_id=task, msg_id=f"{user}:{created}:{CARD_EVENT}:{tapped}")


# ---- a tap, settled (the core's PressResult)
async def settle_press(adapter: "WeComAdapter", chat_id: str, result: PressResult) -> None:
    """Taken: the card's buttons become "已选：<label>". Refused: a card that shows a choice already
    keeps it (a second tap before the update reached the phone); any other card is void (an older
    question, or one asked again below it) and says so. WeCom shows no pop-up. An update WeCom
    refuses (the code used, or past 72 hours) is logged and dropped: the card is only a display."""
    if not (result.press_id and result.question_id):
        return  # not a card tap: no ResponseCode to update with
    key = memory_key(result.question_id)
    if result.accepted:
        name = texts.WECOM_CARD_CHOSEN.format(label=result.label)
        await _remember(adapter, key, result.label)
    elif await _remembered(adapter, key):
        return
    else:
        name = texts.WECOM_CARD_VOID
    payload = update_payload(chat_id, adapter.api.agent_id, result.press_id, name)
    try:
        await asyncio.to_thread(adapter.api.update_card, payload)
    except WeChatClientException as exc:
        log.info("template card %s not updated: %r", result.question_id, exc)


async def _remember(adapter: "WeComAdapter", key: str, label: str) -> None:
    if adapter.state is None:
        return
    try:
        await adapter.state.set_value(key, label, ttl=CARD_TTL)
    except Exception:  # noqa: BLE001 - state store down: a later refused tap may mark the card void
        log.warning("could not remember the choice of %s", key, exc_info=True)


async def _remembered(adapter: "WeComAdapter", key: str) -> bool:
    if adapter.state is None:
        return False
    try:
        return bool(await adapter.state.get_value(key))
    except Exception:  # noqa: BLE001
        log.warning("state store unavailable for %s", key, exc_info=True)
        return False
