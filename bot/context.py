"""What a handler gets for one incoming message: the member, their repositories (one transaction),
their conversation cursor, and a place to put replies."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from bot.messages import Choices, Incoming, Kind, Outgoing, PressResult, Text
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

    # ---- a button press is settled once: taken or refused, before any other reply to it
    @property
    def is_press(self) -> bool:
        return self.msg.kind == Kind.CHOICE

    def press_result(self) -> PressResult | None:
        return next((m for _, m in self.replies if isinstance(m, PressResult)), None)

    def press_taken(self, label: str) -> None:
        """The press answered the question on screen with the option `label`."""
        self._settle_press(PressResult.of(self.msg, accepted=True, label=label))

    def press_refused(self, popup: str) -> None:
        """The press was not taken (also when it was taken first and the answer then refused):
        the question stays as it is and `popup` says why."""
        self._settle_press(PressResult.of(self.msg, accepted=False, popup=popup))

    def _settle_press(self, result: PressResult) -> None:
        if not self.is_press:
            return
        self.replies = [r for r in self.replies if not isinstance(r[1], PressResult)]
        self.replies.insert(0, (self.msg.chat_id, result))

    def echo(self, text: str) -> None:
        """A reply that only repeats the choice just recorded ("1.1：符合 ✓"): left out when that
        choice was a press the platform already shows as chosen on the question."""
        result = self.press_result()
        if not (result is not None and result.accepted):
            self.reply(text)

    def compact(self) -> None:
        """One message where the replies would be several in a row to the same chat: texts joined,
        and texts right before a question put above it in the question's message (`lead`)."""
        out: list[tuple[str, Outgoing]] = []
        for chat_id, message in self.replies:
            last = out[-1] if out else None
            if last is not None and last[0] == chat_id and isinstance(last[1], Text):
                if isinstance(message, Text):
                    out[-1] = (chat_id, Text(f"{last[1].text}\n{message.text}"))
                    continue
                if isinstance(message, Choices):
                    lead = f"{last[1].text}\n{message.lead}" if message.lead else last[1].text
                    out[-1] = (chat_id, replace(message, lead=lead))
                    continue
            out.append((chat_id, message))
        self.replies = out

    def notify(self, channel: str, chat_id: str, message: Outgoing | str) -> None:
        """Send to someone other than the sender (an admin, a group), in the same transaction."""
        self.notices.append((channel, chat_id, Text(message) if isinstance(message, str) else message))
