"""The project's own message types. Adapters translate platform updates into `Incoming` and
render `Outgoing` back; nothing else sees a platform object.

Both are plain, JSON-serialisable dataclasses, so an incoming message can be persisted in the
inbox before it is acknowledged and replayed after a crash.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    CHOICE = "choice"  # a button press: `data` is the callback payload
    PHOTO = "photo"
    VOICE = "voice"  # a voice message (WeCom AMR, Telegram OGG/Opus): `media`
    VIDEO = "video"  # a short video (MP4): `media`
    FILE = "file"  # a document that is not known to be an image
    LOCATION = "location"
    EVENT = "event"  # menu click, enter_agent ...: `text` holds the event name, `data` its key
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Media:
    """A reference the adapter that produced it can resolve to bytes (path, MediaId, file_id)."""

    ref: str
    filename: str = ""
    mime: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    channel: str
    user_id: str
    chat_id: str
    kind: Kind
    text: str = ""
    data: str = ""
    media: Media | None = None
    latitude: float | None = None
    longitude: float | None = None
    msg_id: str = ""  # the platform's id, for de-duplication; empty when the platform has none
    is_group: bool = False
    display_name: str = ""
    # The order the user sent it in, as the platform tells it (see `send_order`); empty when the
    # channel delivers in order by itself. Sorts as text.
    order: str = ""
    # A button press (CHOICE): what the adapter needs to settle it once the core has decided (see
    # `PressResult`): the platform's id of the press (Telegram: the callback query id), the message
    # the button was on and that message's text. Empty otherwise.
    press_id: str = ""
    question_id: str = ""
    question_text: str = ""

    @property
    def command(self) -> tuple[str, str] | None:
        """`/inspect args` -> ("inspect", "args"); None for anything that is not a command."""
        if self.kind != Kind.COMMAND:
            return None
        head, _, rest = self.text.strip().lstrip("/").partition(" ")
        return head.split("@", 1)[0].lower(), rest.strip()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Incoming":
        raw = dict(raw)
        media = raw.pop("media", None)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known},
                   media=Media(**media) if media else None)


def send_order(sent_at: float | int | str | None, seq: int | str | None = None) -> str:
    """A sortable key of when the user sent a message: the platform's send time (whole seconds
    for WeCom's CreateTime), then the platform's own sequence number (WeCom MsgId, Telegram
    update_id) to order messages of the same second. Non-numeric parts count as 0."""
    def number(value: object) -> int:
        text = str(value or "").strip()
        return int(text) if text.isdigit() and len(text) <= 20 else 0
    return f"{number(int(float(sent_at)) if isinstance(sent_at, float) else sent_at):012d}{number(seq):020d}"


def classify_text(text: str) -> Kind:
    return Kind.COMMAND if text.strip().startswith("/") else Kind.TEXT


# ---- outgoing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    label: str
    data: str  # callback payload; adapters put it on a button, or accept the number / label typed


@dataclass(frozen=True)
class Text:
    text: str
    type: str = field(default="text", init=False)


@dataclass(frozen=True)
class Choices:
    """A question with options. `token` ties button presses to this very question."""

    text: str
    options: tuple[Option, ...]
    # What was said just before the question, shown in the same message above it (the reply to the
    # previous answer: one message per answered question). WeCom cards send it as text first.
    lead: str = ""
    # The answer may be the user's location: a channel with a share-location button offers it.
    location: bool = False
    type: str = field(default="choices", init=False)

    @property
    def full_text(self) -> str:
        return f"{self.lead}\n\n{self.text}" if self.lead else self.text

    def numbered(self) -> str:
        lines = [self.full_text] + [f"{i}. {o.label}" for i, o in enumerate(self.options, 1)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Image:
    path: str
    caption: str = ""
    type: str = field(default="image", init=False)


@dataclass(frozen=True)
class Album:
    """Photos that belong together (a requirement's evidence): one grouped message where the
    platform has one (a Telegram album, sendMediaGroup, 10 at most each), else one image after the
    other. `caption` says what they are, once, before or on the first."""

    images: tuple[Image, ...]
    caption: str = ""
    type: str = field(default="album", init=False)


@dataclass(frozen=True)
class Document:
    path: str
    filename: str
    caption: str = ""
    type: str = field(default="document", init=False)


@dataclass(frozen=True)
class PressResult:
    """What became of a button press (an incoming CHOICE), queued before any other reply to it.
    Accepted: the press answered the question on screen; `label` is the option taken (Telegram
    marks the question with it). Refused: nothing was recorded and the question stays as it is;
    `popup` says why in a line (Telegram: the answerCallbackQuery text, at most 200 characters).
    Channels without presses skip it."""

    press_id: str
    question_id: str
    accepted: bool
    label: str = ""
    popup: str = ""
    question_text: str = ""
    type: str = field(default="press", init=False)

    @classmethod
    def of(cls, msg: Incoming, accepted: bool, label: str = "", popup: str = "") -> "PressResult":
        return cls(msg.press_id, msg.question_id, accepted, label, popup[:200],
                   msg.question_text if accepted else "")


Outgoing = Text | Choices | Image | Album | Document | PressResult

_OUT_TYPES: dict[str, type] = {"text": Text, "choices": Choices, "image": Image, "document": Document,
                               "press": PressResult, "album": Album}


def outgoing_to_json(msg: Outgoing) -> dict[str, Any]:
    return asdict(msg)


def outgoing_from_json(raw: dict[str, Any]) -> Outgoing:
    raw = dict(raw)
    cls = _OUT_TYPES[raw.pop("type")]
    if cls is Choices:
        raw["options"] = tuple(Option(**o) for o in raw["options"])
    if cls is Album:
        raw["images"] = tuple(Image(**{k: v for k, v in i.items() if k != "type"}) for i in raw["images"])
    return cls(**raw)


class UnsupportedOutgoing(TypeError):
    """An adapter was handed an outgoing type it cannot render: fail loudly, never drop."""
