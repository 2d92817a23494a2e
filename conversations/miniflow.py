"""Short flows beside the inspection (orders, follow-up visits, review): a table of states, and the
two words every one of them understands: 取消 (stop; what was recorded stays) and 帮助."""

from __future__ import annotations

from typing import Awaitable, Callable

from bot.context import Context
from bot.messages import Kind
from conversations.flow import BadInput, State, cursor, refuse_press, resolve
from conversations.parsing import normalize

STOP_WORDS = {"取消", "/cancel", "暂停", "/pause"}
HELP_WORDS = {"帮助", "/help", "?", "？"}


class MiniFlow:
    def __init__(self, name: str, states: dict[str, State], help_text: str,
                 on_stop: Callable[[Context], Awaitable[None]]) -> None:
        self.name = name
        self.states = states
        self.help_text = help_text
        self.on_stop = on_stop

    def active(self, ctx: Context) -> bool:
        return bool(ctx.cursor and ctx.cursor.get("flow") == self.name)

    def begin(self, ctx: Context, **values) -> None:
        ctx.cursor = {"flow": self.name, **values}

    async def goto(self, ctx: Context, state: str) -> None:
        cursor(ctx)["state"] = state
        await self.states[state].ask(ctx)

    async def handle(self, ctx: Context) -> None:
        state_name = cursor(ctx)["state"]
        state = self.states[state_name]
        word = normalize(ctx.msg.text).lower() if ctx.msg.kind in (Kind.TEXT, Kind.COMMAND) else ""
        if word in STOP_WORDS:
            await self.on_stop(ctx)
            ctx.cursor = None
            return
        if word in HELP_WORDS:
            ctx.reply(self.help_text)
            await state.ask(ctx)
            return
        try:
            await state.on(ctx, resolve(ctx, state))
        except BadInput as bad:
            if refuse_press(ctx, bad):
                return
            ctx.reply(str(bad))
            if self.active(ctx) and cursor(ctx).get("state") == state_name:
                await state.ask(ctx)
