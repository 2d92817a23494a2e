"""What a handler gets for one incoming message: the member, their repositories (one transaction),
their conversation cursor, and a place to put replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from bot.messages import Incoming, Outgoing, Text
from storage.state import StateKey

if TYPE_CHECKING:
    from bot.campaign import Campaign
    from bot.media import EvidenceStore
    from bot.messages import Media
    from storage.models import Member
    from storage.repositories import Repos


@dataclass
class Context:
    msg: Incoming
    key: StateKey
    repos: "Repos"
    campaign: "Campaign"
    media: "EvidenceStore"
    now: datetime  # aware, in the configured time zone
    fetch_media: Callable[["Media"], Awaitable[bytes]]
    max_text: int = 2000
    member: "Member | None" = None
    cursor: dict[str, Any] | None = None
    cursor_restored: bool = False
    replies: list[tuple[str, Outgoing]] = field(default_factory=list)  # (chat_id, message)
    notices: list[tuple[str, str, Outgoing]] = field(default_factory=list)  # (channel, chat_id, message)

    @property
    def today(self) -> date:
        return self.now.date()

    def reply(self, *messages: Outgoing | str) -> None:
        for m in messages:
            self.replies.append((self.msg.chat_id, Text(m) if isinstance(m, str) else m))

    def notify(self, channel: str, chat_id: str, message: Outgoing | str) -> None:
        """Send to someone other than the sender (an admin, a group), in the same transaction."""
        self.notices.append((channel, chat_id, Text(message) if isinstance(message, str) else message))
