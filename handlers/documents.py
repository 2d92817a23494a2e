"""Documents by message: the typical case write-up and exports (see the documents issue)."""

from __future__ import annotations

from bot.context import Context
from handlers.router import Router

router = Router("documents")


async def handle_flow(ctx: Context) -> bool:
    """Continue a documents conversation (e.g. the typical case) if this member is in one."""
    return False
