"""The one entry point the core calls for every message."""

from __future__ import annotations

from dataclasses import replace

from bot import texts
from bot.context import Context
from bot.messages import Incoming, Kind, Text
from conversations import inspection as flow
from handlers import common, documents, enforcement, groups, inspections, progress
from handlers.access import identify
from handlers.router import compose

match = compose(inspections.router, enforcement.router, progress.router, documents.router, common.router)
group_match = compose(groups.router, progress.group_router)

# WeCom app menu keys (installed by `inspector-bot wecom menu`) and what they stand for.
EVIDENCE = {Kind.PHOTO, Kind.VOICE, Kind.VIDEO}  # kept with the step the inspector is at
MENU_KEYS = {"start_inspection": "开始检查", "my_inspections": "我的检查", "progress": "进度", "help": "帮助"}


async def handle(ctx: Context) -> None:
    await _handle(ctx)
    if ctx.is_press and ctx.press_result() is None:
        # Every press is settled, so the client stops waiting: refused unless a flow took it (a
        # stranger, a group, a question no longer asked ...).
        ctx.press_refused(texts.PRESS_NOT_TAKEN if ctx.replies else texts.PRESS_STALE)
    ctx.compact()  # one message per answer: what is said before the next question goes above it


async def _handle(ctx: Context) -> None:
    msg = ctx.msg
    if msg.kind in (Kind.TEXT, Kind.COMMAND) and len(msg.text) > ctx.max_text:
        ctx.reply(texts.TEXT_TOO_LONG.format(n=ctx.max_text))
        return
    if not await identify(ctx):
        return
    if msg.kind == Kind.EVENT:
        await _event(ctx)
        return
    if msg.kind == Kind.UNSUPPORTED:
        ctx.reply(texts.NOT_SUPPORTED)
        return
    if msg.is_group:
        found = group_match(ctx)
        if found:
            fn, arg = found
            await fn(ctx, arg)
        else:
            ctx.reply(texts.GROUP_NO_PRIVATE)
        return
    if flow.in_flow(ctx):
        await flow.handle(ctx)
        return
    if await documents.handle_flow(ctx):
        return
    if await enforcement.handle_flow(ctx):
        return
    found = match(ctx)
    if found:
        fn, arg = found
        await fn(ctx, arg)
        return
    if await flow.restore(ctx):
        if msg.kind in EVIDENCE and flow.accepts_evidence(ctx):
            await flow.handle(ctx)  # evidence is never dropped: it goes to the restored step
        elif msg.kind == Kind.TEXT:  # an answer to a question we can no longer see
            ctx.replies.insert(0, (msg.chat_id, Text(texts.RESTORED_NOT_APPLIED.format(text=msg.text[:20]))))
        elif msg.kind == Kind.CHOICE:  # the same for a press: a pop-up, then the question again
            ctx.press_refused(texts.PRESS_RESTORED)
        return
    if msg.kind in (Kind.PHOTO, Kind.FILE):
        ctx.reply(texts.PHOTO_OUTSIDE_FLOW)
    elif msg.kind in (Kind.VOICE, Kind.VIDEO):
        ctx.reply(texts.RECORDING_OUTSIDE_FLOW)
    elif msg.kind == Kind.LOCATION:
        ctx.reply(texts.LOCATION_OUTSIDE_FLOW)
    elif msg.kind == Kind.CHOICE:  # a button of a question that is no longer asked
        ctx.press_refused(texts.PRESS_STALE)
    elif not msg.text.strip():
        ctx.reply(texts.EMPTY_OUTSIDE_FLOW)
    else:
        ctx.reply(texts.UNKNOWN.format(text=msg.text[:20]))


async def _event(ctx: Context) -> None:
    word = MENU_KEYS.get(ctx.msg.data)
    if word is None:
        await common.welcome(ctx)
        return
    ctx.msg = _as_text(ctx, word)
    await handle(ctx)


def _as_text(ctx: Context, word: str) -> Incoming:
    return replace(ctx.msg, kind=Kind.TEXT, text=word, data="")
