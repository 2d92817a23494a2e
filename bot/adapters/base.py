from __future__ import annotations

import asyncio
import contextvars
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from bot.messages import Media, Outgoing

if TYPE_CHECKING:
    from bot.media import EvidenceStore


class Parts:
    """How far a message sent in several parts (an image and its caption, a long text split) got:
    the core sets `skip` to the parts a failed try already delivered, and reads `sent` after a
    failure, so a retry resumes where it stopped instead of repeating the first parts."""

    current: "contextvars.ContextVar[Parts | None]"

    def __init__(self, skip: int = 0) -> None:
        self.skip = skip
        self.sent = skip

    @classmethod
    def todo(cls, payloads: list) -> list[tuple[int, object]]:
        """The (index, part) pairs still to send; call `done(index)` after each."""
        progress = cls.current.get()
        start = progress.skip if progress else 0
        return list(enumerate(payloads))[start:]

    @classmethod
    def done(cls, index: int) -> None:
        progress = cls.current.get()
        if progress is not None:
            progress.sent = index + 1


Parts.current = contextvars.ContextVar("outgoing_parts", default=None)


class RetryLater(Exception):
    """The platform is rate-limiting or asked to wait: send again after `seconds` (the outbox keeps
    the message and the order of its chat)."""

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(f"retry after {seconds:.0f} s: {reason}")
        self.seconds = float(seconds)


class Undeliverable(Exception):
    """The platform will never take this message (the user blocked the bot, left the app's
    visible range, the chat is gone): marked failed at once, so the chat's later replies go on."""


class Adapter(ABC):
    """Turns platform updates into `Incoming` (in the channel's own entry point) and `Outgoing`
    back into platform calls. `send` raises UnsupportedOutgoing for a type it cannot render."""

    channel: str
    # True when the channel hands a user's messages over one at a time in the order sent (the
    # console, Telegram long polling): the core need not wait for earlier ones still on their way.
    in_order: bool = False
    # The evidence store, set by Core.add_adapter: an outgoing Image / Document names its file by
    # the store's reference (an S3 object, or a path on this disk), read with `file_bytes`.
    files: "EvidenceStore | None" = None

    @abstractmethod
    async def send(self, chat_id: str, message: Outgoing) -> None: ...

    @abstractmethod
    async def fetch_media(self, media: Media) -> bytes: ...

    async def file_bytes(self, ref: str) -> bytes:
        """The content of an outgoing Image / Document, wherever the store keeps it."""
        if self.files is not None:
            return await self.files.read_ref(ref)
        return await asyncio.to_thread(Path(ref).read_bytes)

    def serves(self, chat_id: str) -> bool:
        """Whether this adapter can deliver to the chat now (a console terminal serves one user)."""
        return True

    async def close(self) -> None:
        return None
