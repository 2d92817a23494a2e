"""The small machinery every flow shares.

A flow is a table of states, each an `ask` (send the question) and an `on` (take the answer).
The cursor (plain JSON in the state store) holds the flow, the state, the ids it works on, and the
options of the question on screen with a fresh token: a button press carries that token, so a
press on an old or forged button is refused instead of answering the wrong question.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from bot import texts
from bot.context import Context
from bot.messages import Choices, Kind, Option
from conversations.parsing import normalize, pick


@dataclass(frozen=True)
class Answer:
    """What the user gave, resolved against the question: a chosen option, free text, a photo, a place."""

    kind: str  # option | text | photo | location
    value: str = ""  # the option's value, or the text
    label: str = ""


Ask = Callable[[Context], Awaitable[None]]
On = Callable[[Context, Answer], Awaitable[None]]


@dataclass(frozen=True)
class State:
    ask: Ask
    on: On
    free_text: bool = False  # accepts text that is none of the options
    photos: bool = False  # accepts photos (as evidence)
    location: bool = False


def cursor(ctx: Context) -> dict[str, Any]:
    assert ctx.cursor is not None
    return ctx.cursor


def ask(ctx: Context, text: str, options: list[tuple[str, str]] | None = None, *, location: bool = False) -> None:
    """Put a question on screen; options are (label, value) pairs; `location`: the answer may be
    the user's location (a channel with a share-location button shows one)."""
    cur = cursor(ctx)
    token = secrets.token_hex(4)
    cur["token"] = token
    cur["opts"] = [list(o) for o in options or []]
    if options:
        ctx.reply(Choices(text, tuple(Option(label, f"{token}:{i}") for i, (label, _) in enumerate(options)),
                          location=location))
    else:
        ctx.reply(text)


class BadInput(Exception):
    """Input that does not answer the question: the reply says why and the question is asked again."""


class StaleButton(BadInput):
    """A press on a button that is not on the question on screen (answered meanwhile, an older
    message, forged): refused with a pop-up alone; the question on screen is still the one to answer."""


def refuse_press(ctx: Context, bad: BadInput) -> bool:
    """Settle a press that met BadInput: refused (taken back if `resolve` had taken it), with a
    pop-up. True when nothing more is to be said: a stale button, the question on screen unchanged."""
    if not ctx.is_press:
        return False
    if isinstance(bad, StaleButton):
        ctx.press_refused(str(bad))
        return True
    ctx.press_refused(texts.PRESS_NOT_TAKEN)  # the reason follows as a message, and the question
    return False


def not_an_option(labels: list[str], number: bool) -> str:
    """Why a typed answer (a number when `number`) is none of the options, and what to type."""
    if len(labels) == 1:  # not "请回复 1 到 1 之间的数字"
        return (texts.CHOICE_OUT_OF_RANGE_ONE if number else texts.CHOICE_UNKNOWN_ONE).format(label=labels[0])
    return (texts.CHOICE_OUT_OF_RANGE if number else texts.CHOICE_UNKNOWN).format(n=len(labels))


def resolve(ctx: Context, state: State) -> Answer:
    msg = ctx.msg
    cur = cursor(ctx)
    options = [tuple(o) for o in cur.get("opts", [])]
    if msg.kind == Kind.CHOICE:
        token, _, index = msg.data.partition(":")
        if token != cur.get("token") or not index.isdigit() or int(index) >= len(options):
            raise StaleButton(texts.PRESS_STALE)
        label, value = options[int(index)]
        ctx.press_taken(label)  # shown as chosen; taken back if the answer is then refused
        return Answer("option", value, label)
    if msg.kind == Kind.PHOTO:
        if not state.photos:
            raise BadInput(texts.PHOTO_NOT_HERE)
        return Answer("photo")
    if msg.kind == Kind.LOCATION:
        if not state.location:
            raise BadInput(texts.LOCATION_NOT_HERE)
        return Answer("location")
    if msg.kind == Kind.FILE:
        raise BadInput(texts.FILE_NOT_IMAGE)
    if msg.kind not in (Kind.TEXT, Kind.COMMAND):
        raise BadInput(texts.NOT_SUPPORTED_HERE)
    text = normalize(msg.text)
    if not text:
        raise BadInput(texts.EMPTY_TEXT)
    if options:
        i = pick(text, [label for label, _ in options], {value: n for n, (_, value) in enumerate(options)})
        if i is not None:
            return Answer("option", options[i][1], options[i][0])
        if not state.free_text:
            raise BadInput(not_an_option([label for label, _ in options], text.isdigit()))
    return Answer("text", text)
