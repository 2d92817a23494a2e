"""The console channel: chat in a terminal, or pipe a scripted session through stdin.
It is also the end-to-end harness of the tests: push a line, read the replies."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Callable

from bot import texts
from bot.adapters.base import Adapter
from bot.messages import (
    Album, Choices, Document, Image, Incoming, Kind, Media, Outgoing, PressResult, Text, UnsupportedOutgoing,
    classify_text,
)
from bot.sanitize import clean_text

CHANNEL = "console"
# /photo PATH [caption] sends a photo; /voice and /video a voice message or a video (as evidence)
FILE_COMMANDS = {"/photo": Kind.PHOTO, "/file": Kind.FILE, "/voice": Kind.VOICE, "/video": Kind.VIDEO}


def render(message: Outgoing) -> str:
    if isinstance(message, Text):
        return message.text
    if isinstance(message, Choices):
        return message.numbered()
    if isinstance(message, Image):
        return f"[{texts.CONSOLE_IMAGE}] {message.path} {message.caption}".rstrip()
    if isinstance(message, Document):
        return f"[{texts.CONSOLE_DOCUMENT}] {message.filename}: {message.path} {message.caption}".rstrip()
    if isinstance(message, Album):
        return "\n".join([f"[{texts.CONSOLE_ALBUM}] {message.caption}".rstrip(), *map(render, message.images)])
    if isinstance(message, PressResult):  # /button N: nothing when taken (the reply says so), else why not
        return "" if message.accepted else message.popup
    raise UnsupportedOutgoing(type(message).__name__)


class ConsoleAdapter(Adapter):
    channel = CHANNEL
    in_order = True  # one terminal, read line by line

    def __init__(self, write: Callable[[str], None] = print, user: str | None = None) -> None:
        self.write = write
        self.user = user  # a terminal shows its own user's messages; others wait for their session
        self.sent: list[tuple[str, Outgoing]] = []
        self.last_choices: dict[str, Choices] = {}

    def serves(self, chat_id: str) -> bool:
        return self.user is None or chat_id == self.user

    async def send(self, chat_id: str, message: Outgoing) -> None:
        shown = message
        if isinstance(message, (Image, Document)):
            shown = replace(message, path=await self._openable(message.path))
        elif isinstance(message, Album):
            shown = replace(message, images=tuple([replace(i, path=await self._openable(i.path))
                                                   for i in message.images]))
        text = render(shown)
        self.sent.append((chat_id, message))
        if isinstance(message, Choices):
            self.last_choices[chat_id] = message
        if text or not isinstance(message, PressResult):
            self.write(text)

    async def _openable(self, ref: str) -> str:
        """A file sent is shown as a path this terminal can open: a local copy of an object in
        object storage (MEDIA_DIR/.cache), the file itself otherwise."""
        if self.files is None:
            return ref
        try:
            return str(await self.files.local_file(ref))
        except Exception:  # noqa: BLE001 - the store is unreachable: show where the file is
            return ref

    async def fetch_media(self, media: Media) -> bytes:
        return Path(media.ref).read_bytes()

    def parse(self, line: str, user_id: str) -> Incoming | str:
        """A typed line as an incoming message, or an error text for the console itself."""
        line = clean_text(line.rstrip("\n"))  # no NUL or control character gets stored
        msg_id = uuid.uuid4().hex
        base = dict(channel=CHANNEL, user_id=user_id, chat_id=user_id, msg_id=msg_id)
        head, _, rest = line.strip().partition(" ")
        if head in FILE_COMMANDS:
            path_text, _, caption = rest.strip().partition(" ")
            path = Path(path_text).expanduser()
            if not path_text:
                return texts.CONSOLE_FILE_USAGE.format(command=head)
            if not path.is_file():
                return texts.CONSOLE_NO_FILE.format(path=path_text)
            kind = FILE_COMMANDS[head]
            return Incoming(**base, kind=kind, text=caption.strip(),
                            media=Media(ref=str(path.resolve()), filename=path.name, size=path.stat().st_size))
        if head == "/location":
            try:
                lat, lon = (float(x) for x in rest.split())
            except ValueError:
                return texts.CONSOLE_BAD_LOCATION
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                return texts.CONSOLE_BAD_LOCATION
            return Incoming(**base, kind=Kind.LOCATION, latitude=lat, longitude=lon)
        if head == "/button":  # press button N of the last question, as a tap on a phone would
            shown = self.last_choices.get(user_id)
            if shown is None or not rest.strip().isdigit() or not 1 <= int(rest) <= len(shown.options):
                return texts.CONSOLE_NO_BUTTON
            return Incoming(**base, kind=Kind.CHOICE, data=shown.options[int(rest) - 1].data)
        return Incoming(**base, kind=classify_text(line), text=line.strip())
