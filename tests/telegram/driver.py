"""Scripted Telegram users. What they do becomes updates from the fake Bot API, delivered by long
polling (queued for getUpdates) or by webhook (POSTed to the server); what they read is what the
real python-telegram-bot client sent to the fake."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

import httpx
from PIL import Image

from bot.adapters.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramAdapter
from bot.app import App
from tests.telegram.fake_api import FakeBotAPI, Sent

SECRET = "s3cret-Token_for-tests"


class Polling:
    """Updates are queued at the fake; the bot's poller fetches them."""

    name = "polling"

    def __init__(self, app: App, fake: FakeBotAPI) -> None:
        self.app = app
        self.fake = fake

    async def deliver(self, update: dict) -> None:
        self.fake.queue(update)
        deadline = time.monotonic() + 15
        while self.fake.confirmed <= update["update_id"]:  # confirmed: stored, the next getUpdates asked
            if time.monotonic() > deadline:
                raise TimeoutError(f"update {update['update_id']} was not fetched")
            await asyncio.sleep(0.01)
        await self.app.core.drain()


class Webhook:
    """Updates are POSTed to /telegram/webhook of the server, as Telegram does."""

    name = "webhook"

    def __init__(self, app: App, client: httpx.AsyncClient, secret: str = SECRET) -> None:
        self.app = app
        self.client = client
        self.secret = secret

    async def post(self, update: dict | bytes, secret: str | None = None) -> httpx.Response:
        headers = {SECRET_HEADER: self.secret if secret is None else secret}
        if isinstance(update, bytes):
            return await self.client.post(WEBHOOK_PATH, content=update, headers=headers)
        return await self.client.post(WEBHOOK_PATH, json=update, headers=headers)

    async def deliver(self, update: dict) -> None:
        response = await self.post(update)
        assert response.status_code == 200, response.text
        await self.app.core.drain()


def thumbnail(path: Path) -> bytes:
    """The small size Telegram adds to every photo (a different picture from the original)."""
    out = io.BytesIO()
    with Image.open(path) as img:
        img.resize((90, 68)).save(out, "JPEG")
    return out.getvalue()


class TgUser:
    def __init__(self, fake: FakeBotAPI, transport, user_id: int, name: str, chat_id: int | None = None):
        self.fake = fake
        self.transport = transport
        self.user_id = user_id
        self.name = name
        self.chat_id = chat_id or user_id
        self.presses = 0
        self.actions = 0
        self.last_press = ""  # the callback query id of the latest press

    async def _send(self, update: dict) -> str:
        self.actions += 1  # every message and press the user sends
        mark = self.fake.mark()
        await self.transport.deliver(update)
        return "\n".join(s.text for s in self.fake.sent_after(mark, self.chat_id))

    async def say(self, text: str) -> str:
        return await self._send(self.fake.text_update(self.user_id, self.name, text, self.chat_id))

    async def press(self, label: str) -> str:
        """Tap the button `label` of the latest question with buttons."""
        question = self.question()
        return await self.press_data(question, question.button(label)["callback_data"])

    async def press_data(self, question: Sent, data: str) -> str:
        self.presses += 1
        update = self.fake.callback_update(self.user_id, self.name, question, data)
        self.last_press = update["callback_query"]["id"]
        return await self._send(update)

    async def photo(self, path: Path, caption: str = "") -> str:
        return await self._send(self.fake.photo_update(self.user_id, self.name, path, thumbnail(path), caption,
                                                           self.chat_id))

    async def document(self, path: Path, mime: str, caption: str = "") -> str:
        return await self._send(self.fake.document_update(self.user_id, self.name, path, mime, caption,
                                                              self.chat_id))

    async def voice(self, data: bytes) -> str:
        return await self._send(self.fake.voice_update(self.user_id, self.name, data, self.chat_id))

    async def video(self, data: bytes) -> str:
        return await self._send(self.fake.video_update(self.user_id, self.name, data, self.chat_id))

    async def location(self, lat: float, lon: float) -> str:
        return await self._send(self.fake.location_update(self.user_id, self.name, lat, lon, self.chat_id))

    def question(self) -> Sent:
        return self.fake.last_keyboard(self.chat_id)


def adapter_of(app: App) -> TelegramAdapter:
    adapter = app.core.adapters["telegram"]
    assert isinstance(adapter, TelegramAdapter)
    return adapter
