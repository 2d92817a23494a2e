from __future__ import annotations

from abc import ABC, abstractmethod

from bot.messages import Media, Outgoing


class Adapter(ABC):
    """Turns platform updates into `Incoming` (in the channel's own entry point) and `Outgoing`
    back into platform calls. `send` raises UnsupportedOutgoing for a type it cannot render."""

    channel: str

    @abstractmethod
    async def send(self, chat_id: str, message: Outgoing) -> None: ...

    @abstractmethod
    async def fetch_media(self, media: Media) -> bytes: ...

    def serves(self, chat_id: str) -> bool:
        """Whether this adapter can deliver to the chat now (a console terminal serves one user)."""
        return True

    async def close(self) -> None:
        return None
