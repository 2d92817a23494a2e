"""The end-to-end harness: the real core with the console adapter, driven the way a user drives it.
`say` pushes a message through the same entry point the console and the platforms use."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.adapters.console import ConsoleAdapter, render
from bot.app import App, build_app
from bot.config import Settings
from bot.messages import Choices, Incoming
from storage.models import OutboxMessage
from storage.repositories import Repos
from storage.state import StateStore


class Harness:
    def __init__(self, app: App, console: ConsoleAdapter, clock: list[datetime]) -> None:
        self.app = app
        self.console = console
        self._clock = clock
        self.user = "insp1"

    @classmethod
    async def start(cls, url: str, state: StateStore, tmp: Path, now: datetime, **overrides) -> "Harness":
        settings = Settings(database_url=url, media_dir=tmp / "media", _env_file=None, **overrides)
        clock = [now]
        app = await build_app(settings, clock=lambda: clock[0], state=state)
        console = ConsoleAdapter(write=lambda _text: None)
        app.core.add_adapter(console)
        return cls(app, console, clock)

    async def close(self) -> None:
        await self.app.engine.dispose()

    # ---- people
    async def register(self, user: str = "insp1", name: str = "张检查", bureau: str = "泽州县",
                       role: str = "inspector") -> None:
        from bot.console_session import ensure_console_member

        await ensure_console_member(self.app, user, bureau, role, name)
        self.user = user

    # ---- time
    def advance(self, **delta) -> None:
        self._clock[0] += timedelta(**delta)

    @property
    def now(self) -> datetime:
        return self._clock[0]

    # ---- talking
    async def send(self, line: str, user: str | None = None) -> list[str]:
        user = user or self.user
        start = len(self.console.sent)
        parsed = self.console.parse(line, user)
        if isinstance(parsed, str):
            return [parsed]
        await self.app.core.handle_now(parsed)
        return [render(m) for chat, m in self.console.sent[start:] if chat == user]

    async def say(self, line: str, user: str | None = None) -> str:
        """Send a line, return everything the bot replied, joined."""
        return "\n".join(await self.send(line, user))

    async def push(self, msg: Incoming) -> str:
        start = len(self.console.sent)
        await self.app.core.handle_now(msg)
        return "\n".join(render(m) for chat, m in self.console.sent[start:] if chat == msg.chat_id)

    def last_choices(self, user: str | None = None) -> Choices:
        return self.console.last_choices[user or self.user]

    # ---- records
    def repos(self) -> Repos:
        return self.app.core.repos()

    async def query(self, fn):
        repos = self.repos()
        try:
            return await fn(repos)
        finally:
            await repos.session.close()


# ---- the outbox, for delivery tests
async def outbox(app) -> list[OutboxMessage]:
    repos = app.core.repos()
    try:
        return list((await repos.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())
    finally:
        await repos.session.close()


async def pass_until_sent(app, seconds: float = 30) -> None:
    """What the maintenance loop does every few seconds: try the queue again."""
    deadline = asyncio.get_running_loop().time() + seconds
    while any(r.status != "sent" for r in await outbox(app)):
        assert asyncio.get_running_loop().time() < deadline, [(r.id, r.status, r.error) for r in await outbox(app)]
        await app.core.deliver()
        await asyncio.sleep(0.1)
