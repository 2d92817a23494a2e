from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from bot.messages import Media, Outgoing

if TYPE_CHECKING:
    from bot.media import EvidenceStore


class Adapter(ABC):
    """Turns platform updates into `Incoming` (in the channel's own entry point) and `Outgoing`
    back into platform calls. `send` raises UnsupportedOutgoing for a type it cannot render."""

    channel: str
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
