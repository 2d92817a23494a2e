"""Outgoing WeCom messages: the app channel ("wecom": a member, or an app group chat bound to a
bureau) and group robots ("wecom_robot": the chat id is the robot's webhook key).

Choices go out as template cards with buttons where they fit (bot/adapters/wecom_cards.py; a tap
comes back as a button press and is settled on the card), else as numbered lines; the user may
always type the number or the label. INSPECTOR_BOT_WECOM_CARDS=false keeps every choice numbered
text (政务微信 clients without cards). Texts longer than WeCom's limit are split between lines.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import time
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable

from wechatpy.exceptions import WeChatClientException

from bot import texts
from bot.adapters import wecom_cards
from bot.adapters.base import Adapter, Parts, RetryLater, Undeliverable
from bot.messages import (
    Album, Choices, Document, Image, Media, Outgoing, PressResult, Text, UnsupportedOutgoing,
)

if TYPE_CHECKING:
    from bot.adapters.wecom_client import WeComApi
    from storage.repositories import Repos
    from storage.state import StateStore

log = logging.getLogger(__name__)

CHANNEL = "wecom"
ROBOT_CHANNEL = "wecom_robot"
TEXT_LIMIT = 2048  # bytes, text messages (app and robot)
MARKDOWN_LIMIT = 4096  # bytes, robot markdown
ROBOT_IMAGE_LIMIT = 2 * 1024 * 1024
ROBOT_RATE = 20  # messages ...
ROBOT_WINDOW = 60  # ... per this many seconds, per robot


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut between lines; a line longer than the limit on
    its own is cut between characters."""
    pieces: list[str] = []
    current = ""
    for line in _fit_lines(text.split("\n"), limit):
        candidate = f"{current}\n{line}" if current else line
        if current and len(candidate.encode()) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:1] or " "]


def _fit_lines(lines: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        while len(line.encode()) > limit:
            cut = limit
            while len(line[:cut].encode()) > limit:
                cut -= max(1, (len(line[:cut].encode()) - limit) // 3)
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def choices_text(message: Choices) -> str:
    return f"{message.numbered()}\n{texts.WECOM_CHOICES_HINT}"


def _text_payloads(text: str) -> list[dict]:
    return [{"msgtype": "text", "text": {"content": part}} for part in split_text(text)]


class WeComAdapter(Adapter):
    """The self-built app: members get message/send, bound app group chats get appchat/send."""

    channel = CHANNEL
    cards = True  # INSPECTOR_BOT_WECOM_CARDS: short choices as template cards
    state: "StateStore | None" = None  # remembers the choice each tapped card shows

    def __init__(self, api: "WeComApi", repos: Callable[[], "Repos"], max_download: int,
                 rate_limit_wait: float = 60.0) -> None:
        self.api = api
        self.repos = repos
        self.max_download = max_download
        self.rate_limit_wait = rate_limit_wait  # seconds to wait after a frequency-limit errcode

    async def send(self, chat_id: str, message: Outgoing) -> None:
        if isinstance(message, PressResult):
            await wecom_cards.settle_press(self, chat_id, message)  # a tap on a card
            return
        group = await self.is_group(chat_id)
        post = self.api.send_appchat if group else self.api.send_message
        for i, payload in Parts.todo(await self._payloads(message, group)):  # a retry resumes after sent parts
            await rate_limited(asyncio.to_thread(post, chat_id, payload), self.rate_limit_wait)
            Parts.done(i)

    async def send_markdown(self, chat_id: str, content: str) -> None:
        post = self.api.send_appchat if await self.is_group(chat_id) else self.api.send_message
        for part in split_text(content, MARKDOWN_LIMIT):
            await asyncio.to_thread(post, chat_id, {"msgtype": "markdown", "markdown": {"content": part}})

    async def is_group(self, chat_id: str) -> bool:
        """An app group chat bound to a bureau (GroupBinding, channel "wecom"); else a member."""
        repos = self.repos()
        try:
            return await repos.org.binding(CHANNEL, chat_id) is not None
        finally:
            await repos.session.close()

    async def _payloads(self, message: Outgoing, group: bool = False) -> list[dict]:
        if isinstance(message, Text):
            return _text_payloads(message.text)
        if isinstance(message, Choices):
            if self.cards and not group and wecom_cards.fits(message):  # appchat has no template cards
                before, card = wecom_cards.card_message(message)
                return (_text_payloads(before) if before else []) + [card]
            return _text_payloads(choices_text(message))
        if isinstance(message, Album):  # what they are, then the images one after the other
            return _caption(album_caption(message)) + [
                p for image in message.images for p in await self._payloads(replace(image, caption=""))]
        if isinstance(message, Image):
            data = await self.file_bytes(message.path)
            media_id = await asyncio.to_thread(self.api.upload, "image", PurePosixPath(message.path).name, data)
            return [{"msgtype": "image", "image": {"media_id": media_id}}] + _caption(message.caption)
        if isinstance(message, Document):
            data = await self.file_bytes(message.path)
            media_id = await asyncio.to_thread(self.api.upload, "file", message.filename, data)
            return [{"msgtype": "file", "file": {"media_id": media_id}}] + _caption(message.caption)
        raise UnsupportedOutgoing(type(message).__name__)

    async def fetch_media(self, media: Media) -> bytes:
        return await asyncio.to_thread(self.api.download, media.ref, self.max_download)

    async def close(self) -> None:
        await asyncio.to_thread(self.api.close)


# WeCom's answers that mean "too many, too fast" (API frequency, per-member message limits,
# concurrency), and -1 "system busy": wait and send again rather than count a failure.
RATE_LIMIT_ERRCODES = {-1, 45009, 45033, 45035, 45047, 45011}


# Answers that will not change by waiting: no such user (40003, 60111), nobody in the app's
# visible range (81013), no such group chat (86003).
UNDELIVERABLE_ERRCODES = {40003, 60111, 81013, 86003}


async def rate_limited(call, wait: float):
    """Await `call`; a WeCom rate-limit errcode becomes RetryLater(`wait`), one that waiting will
    not change Undeliverable."""
    try:
        return await call
    except WeChatClientException as exc:
        if exc.errcode in RATE_LIMIT_ERRCODES:
            raise RetryLater(wait, f"WeCom errcode {exc.errcode}") from exc
        if exc.errcode in UNDELIVERABLE_ERRCODES:
            raise Undeliverable(f"WeCom errcode {exc.errcode}: {exc.errmsg}") from exc
        raise


def album_caption(album: Album) -> str:
    """The album's caption, then each image's own (numbered as the images come)."""
    lines = [album.caption] if album.caption else []
    lines += [f"{n}. {i.caption}" for n, i in enumerate(album.images, 1) if i.caption]
    return "\n".join(lines)


def _caption(caption: str) -> list[dict]:
    return _text_payloads(caption) if caption.strip() else []


class RobotRateLimited(Exception):
    """The robot's budget stayed used up; the outbox keeps the message and retries later."""


class WeComRobotAdapter(Adapter):
    """Group robot webhooks: text, markdown, image (base64 + md5), files. At most `rate` messages
    per `window` seconds per robot, counted in the state store so all processes share the budget."""

    channel = ROBOT_CHANNEL

    def __init__(self, api: "WeComApi", state: "StateStore", rate: int = ROBOT_RATE,
                 window: int = ROBOT_WINDOW) -> None:
        self.api = api
        self.state = state
        self.rate = rate
        self.window = window

    async def send(self, chat_id: str, message: Outgoing) -> None:
        if isinstance(message, PressResult):
            return  # a group robot receives nothing, so no press either
        for i, payload in Parts.todo(await self._payloads(chat_id, message)):
            await self._post(chat_id, payload)
            Parts.done(i)

    async def send_markdown(self, key: str, content: str) -> None:
        for part in split_text(content, MARKDOWN_LIMIT):
            await self._post(key, {"msgtype": "markdown", "markdown": {"content": part}})

    async def _post(self, key: str, payload: dict) -> None:
        try:
            await self.wait_turn(key)
        except RobotRateLimited as exc:  # the budget stayed used up: the outbox tries after a window
            raise RetryLater(self.window, "robot rate") from exc
        await rate_limited(asyncio.to_thread(self.api.robot_send, key, payload), self.window)

    async def wait_turn(self, key: str) -> None:
        """Count one message against the robot's budget, waiting for the next window if it is used up."""
        name = "wecom_robot:" + hashlib.sha256(key.encode()).hexdigest()[:16]  # the key is a secret
        for _ in range(3):
            if await self.state.hit(name, self.rate, self.window):
                return
            await asyncio.sleep(self.window - time.time() % self.window + 0.05)
        raise RobotRateLimited(name)

    async def _payloads(self, key: str, message: Outgoing) -> list[dict]:
        if isinstance(message, Text):
            return _text_payloads(message.text)
        if isinstance(message, Choices):
            return _text_payloads(message.numbered())
        if isinstance(message, Album):
            return _caption(album_caption(message)) + [
                p for image in message.images for p in await self._payloads(key, replace(image, caption=""))]
        if isinstance(message, Image):
            data = await self.file_bytes(message.path)
            if len(data) > ROBOT_IMAGE_LIMIT:  # too big for an image message: send it as a file
                return await self._file(key, PurePosixPath(message.path).name, data) + _caption(message.caption)
            image = {"base64": base64.b64encode(data).decode(), "md5": hashlib.md5(data).hexdigest()}
            return [{"msgtype": "image", "image": image}] + _caption(message.caption)
        if isinstance(message, Document):
            data = await self.file_bytes(message.path)
            return await self._file(key, message.filename, data) + _caption(message.caption)
        raise UnsupportedOutgoing(type(message).__name__)

    async def _file(self, key: str, filename: str, data: bytes) -> list[dict]:
        media_id = await asyncio.to_thread(self.api.robot_upload, key, filename, data)
        return [{"msgtype": "file", "file": {"media_id": media_id}}]

    async def fetch_media(self, media: Media) -> bytes:
        raise UnsupportedOutgoing("a group robot receives nothing")
