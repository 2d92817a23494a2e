"""Jobs a server runs on a clock (the daily digest, reminders); `serve` starts them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

if TYPE_CHECKING:
    from bot.app import App


def background_jobs(app: "App") -> list[Callable[[], Awaitable[None]]]:
    """Coroutine functions to run for the life of the server."""
    return []
