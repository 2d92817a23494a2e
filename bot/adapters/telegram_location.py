"""The location step on Telegram: a reply keyboard whose first button shares the phone's location
(request_location) and whose others type the options; taken away with the next message, so its
buttons never answer a later question."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from telegram import Bot, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot import texts
from bot.adapters.telegram_send import split_text
from bot.messages import Choices, Outgoing, Text

if TYPE_CHECKING:
    from storage.state import StateStore

log = logging.getLogger(__name__)

TTL = 7 * 24 * 3600


def _key(chat_id: str) -> str:
    return f"telegram:reply-keyboard:{chat_id}"


def location_keyboard(message: Choices) -> ReplyKeyboardMarkup:
    rows = [[KeyboardButton(texts.TG_SHARE_LOCATION, request_location=True)]]
    rows += [[KeyboardButton(o.label) for o in message.options]] if message.options else []
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


async def ask(bot: Bot, state: "StateStore", chat_id: str, message: Choices) -> None:
    """The question with the share-location keyboard (typed answers work as ever)."""
    chunks = split_text(message.full_text)
    for chunk in chunks[:-1]:
        await bot.send_message(chat_id, chunk)
    await bot.send_message(chat_id, chunks[-1], reply_markup=location_keyboard(message))
    try:
        await state.set_value(_key(chat_id), "1", ttl=TTL)
    except Exception:  # noqa: BLE001 - state store down: one_time_keyboard still hides it after use
        log.warning("could not remember the location keyboard of %s", chat_id, exc_info=True)


async def close(bot: Bot, state: "StateStore", chat_id: str, message: Outgoing) -> Outgoing | None:
    """Before a text or question: take the location keyboard away if one is up. A text carries the
    removal itself (None: sent); a question's lead (or a short line) goes first with it, and the
    question is returned to be sent as usual, with its own buttons."""
    if not isinstance(message, (Text, Choices)) or (isinstance(message, Choices) and message.location):
        return message
    try:
        if not await state.get_value(_key(chat_id)):
            return message
        await state.delete_value(_key(chat_id))
    except Exception:  # noqa: BLE001
        log.warning("state store unavailable for the location keyboard of %s", chat_id, exc_info=True)
        return message
    text = message.text if isinstance(message, Text) else (message.lead or texts.TG_LOCATION_STEP_DONE)
    chunks = split_text(text)
    for chunk in chunks[:-1]:
        await bot.send_message(chat_id, chunk)
    await bot.send_message(chat_id, chunks[-1], reply_markup=ReplyKeyboardRemove())
    return replace(message, lead="") if isinstance(message, Choices) else None
