"""Rendering `Outgoing` for Telegram: message length limits and inline keyboards."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import Awaitable, Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto

from bot.messages import Album, Choices

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Bot API limit, counted in UTF-16 code units
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_ALBUM = 10  # sendMediaGroup: 2 to 10 photos
SHORT_LABEL = 6  # labels this short share a row of the keyboard
PER_ROW = 3


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Chunks of at most `limit` units, cut at line ends where possible, inside a line otherwise."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if units(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while units(line) > limit:
            head = _cut(line, limit)
            chunks.append(head)
            line = line[len(head):]
        current = line
    if current or not chunks:
        chunks.append(current)
    return chunks


def _cut(line: str, limit: int) -> str:
    """The longest prefix of `line` within `limit` units (never splits a surrogate pair)."""
    size = 0
    for i, ch in enumerate(line):
        size += units(ch)
        if size > limit:
            return line[:i]
    return line


def caption(text: str) -> tuple[str, str]:
    """(caption within the limit, the rest to send as text)."""
    if units(text) <= MAX_CAPTION:
        return text, ""
    head = split_text(text, MAX_CAPTION)[0]
    return head, text[len(head):].lstrip("\n")


def keyboard(choices: Choices) -> InlineKeyboardMarkup | None:
    """One button per option (short ones share a row); None when an option's data cannot be a
    button (over 64 bytes): the question is then sent numbered, to be answered by typing."""
    if not choices.options:
        return None
    if any(len(o.data.encode()) > MAX_CALLBACK_DATA for o in choices.options):
        log.warning("callback data over %d bytes; sending the question without buttons", MAX_CALLBACK_DATA)
        return None
    buttons = [InlineKeyboardButton(o.label, callback_data=o.data) for o in choices.options]  # plain labels
    short = all(len(o.label) <= SHORT_LABEL for o in choices.options)
    per_row = PER_ROW if short else 1
    return InlineKeyboardMarkup([buttons[i:i + per_row] for i in range(0, len(buttons), per_row)])


async def send_album(bot: Bot, chat_id: str, album: Album, read: Callable[[str], Awaitable[bytes]]) -> None:
    """An album (sendMediaGroup) per ten photos, the album's caption on the first photo; a single
    photo as a photo. A caption past Telegram's limit continues as a message after the photos."""
    rest: list[str] = []
    for start in range(0, len(album.images), MAX_ALBUM):
        part = album.images[start:start + MAX_ALBUM]
        photos = []
        for n, image in enumerate(part):
            text = "\n".join(p for p in (album.caption if start == n == 0 else "", image.caption) if p)
            head, tail = caption(text)
            rest += [tail] if tail else []
            photos.append((await read(image.path), PurePosixPath(image.path).name, head or None))
        if len(photos) == 1:
            data, name, head = photos[0]
            await bot.send_photo(chat_id, photo=data, filename=name, caption=head)
        else:
            await bot.send_media_group(chat_id, [InputMediaPhoto(data, caption=head, filename=name)
                                                 for data, name, head in photos])
    if not album.images and album.caption:
        rest.append(album.caption)
    for text in rest:
        for chunk in split_text(text):
            await bot.send_message(chat_id, chunk)
