"""The Telegram channel through python-telegram-bot: webhook route, sending, media download.

Updates arrive by webhook (`POST /telegram/webhook`, served by `inspector-bot serve`) or by long
polling (`inspector-bot telegram`, bot/adapters/telegram_polling.py); both go through
`TelegramAdapter.handle_update`: convert, commit to the inbox, then process in the background.
Telegram redelivers an update with the same update_id; the inbox turns the repeat into a no-op.

A button press is settled only once the core has handled it: the conversation queues a
`PressResult` before its other replies, and `send` turns it into answerCallbackQuery (a pop-up
when refused) and, when taken, the question marked "✅ 已选：…" without its buttons. Telegram wants
the answer within about 15 s; until then the client shows a spinner on the button.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot import jsonsafe, texts
from bot.adapters import telegram_location
from bot.adapters.base import Adapter, RetryLater, Undeliverable
from bot.adapters.telegram_convert import ALLOWED_UPDATES, CHANNEL, to_incoming
from bot.adapters.telegram_menu import set_command_menus
from bot.adapters.telegram_send import MAX_TEXT, caption, keyboard, send_album, split_text, units
from bot.messages import (
    Album, Choices, Document, Image, Media, Outgoing, PressResult, Text, UnsupportedOutgoing,
)

if TYPE_CHECKING:
    from bot.app import App
    from bot.config import Settings
    from bot.core import Core

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KEYBOARD_TTL = 30 * 24 * 3600


def api_urls(base: str) -> tuple[str, str]:
    """(base_url, base_file_url) for python-telegram-bot from TELEGRAM_API_BASE, which may be given
    as `https://host` or `https://host/bot` (the token is appended by the library)."""
    root = base.strip().rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def make_bot(settings: "Settings") -> Bot:
    urls: dict[str, str] = {}
    if settings.telegram_api_base:
        urls["base_url"], urls["base_file_url"] = api_urls(settings.telegram_api_base)
    return Bot(settings.telegram_token, **urls,
               request=HTTPXRequest(connection_pool_size=16, read_timeout=30, write_timeout=30,
                                    media_write_timeout=60),
               get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=10))


class TelegramAdapter(Adapter):
    channel = CHANNEL

    def __init__(self, settings: "Settings", core: "Core", bot: Bot | None = None) -> None:
        self.settings = settings
        self.core = core
        self.bot = bot or make_bot(settings)
        # The bot's id is the token's first part: update ids are counted per bot.
        self.bot_id = settings.telegram_token.split(":", 1)[0]
        self._ready = False

    async def ready(self) -> Bot:
        """The bot, initialized once (getMe: also checks the token)."""
        if not self._ready:
            await self.bot.initialize()
            self._ready = True
        return self.bot

    async def close(self) -> None:
        if self._ready:
            await self.bot.shutdown()
            self._ready = False

    # ---- incoming
    async def handle_update(self, update: Update) -> bool:
        """Commit the update to the inbox, schedule processing. False when the update is ignored
        or a redelivery. Raises when it could not be stored: the caller must then not acknowledge
        it to Telegram (it will come again). A press is answered once the core has decided
        (`PressResult`); one that is no message at all (no data, no message of the bot's) is
        answered here, so its spinner stops too."""
        msg = to_incoming(update, self.bot_id)
        if msg is None:
            if update.callback_query is not None:
                await self._answer_press(update.callback_query.id, texts.PRESS_STALE)
            return False
        fresh = await self.core.receive(msg)
        self.core.schedule(msg)
        return fresh

    async def _answer_press(self, press_id: str, popup: str = "") -> None:
        """answerCallbackQuery: stops the spinner; `popup` is shown briefly (never as an alert)."""
        try:
            await (await self.ready()).answer_callback_query(press_id, text=popup or None, show_alert=False)
        except (BadRequest, Forbidden) as exc:  # too old (about 15 s) or answered already: nothing to retry
            log.info("answerCallbackQuery %s failed: %r", press_id, exc)

    async def _settle_press(self, chat_id: str, result: PressResult) -> None:
        """Answer the press; when it was taken, show the choice on the question and take its
        buttons away. A refused press leaves the question as it is."""
        if result.press_id:
            await self._answer_press(result.press_id, result.popup)
        if not result.accepted or not result.question_id.lstrip("-").isdigit():
            return
        bot = await self.ready()
        message_id = int(result.question_id)
        chosen = texts.TG_CHOSEN.format(text=result.question_text, label=result.label)
        try:
            if result.question_text and units(chosen) <= MAX_TEXT:
                await bot.edit_message_text(chosen, chat_id=chat_id, message_id=message_id, reply_markup=None)
            else:
                await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
        except (BadRequest, Forbidden) as exc:  # deleted, too old to edit, not modified
            log.info("could not mark the pressed question %s/%s: %r", chat_id, message_id, exc)
        await self._forget_keyboard(chat_id, message_id)

    # ---- outgoing
    async def send(self, chat_id: str, message: Outgoing) -> None:
        try:
            await self._send(chat_id, message)
        except RetryAfter as exc:  # flood control (429): the outbox waits as long as Telegram asks
            wait = exc.retry_after
            raise RetryLater(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait),
                             "Telegram flood control") from exc
        except Forbidden as exc:  # the user blocked the bot, or it was removed from the group
            raise Undeliverable(f"Telegram: {exc.message}") from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise Undeliverable(f"Telegram: {exc.message}") from exc
            raise

    async def _send(self, chat_id: str, message: Outgoing) -> None:
        bot = await self.ready()
        if isinstance(message, Choices) and message.location:
            await telegram_location.ask(bot, self.core.state, chat_id, message)
            return
        message = await telegram_location.close(bot, self.core.state, chat_id, message)
        if message is None:
            return  # a text that took the location keyboard away with it
        if isinstance(message, Text):
            for chunk in split_text(message.text):
                await bot.send_message(chat_id, chunk)
        elif isinstance(message, Choices):
            markup = keyboard(message)
            chunks = split_text(message.full_text if markup else message.numbered())
            for chunk in chunks[:-1]:
                await bot.send_message(chat_id, chunk)
            sent = await bot.send_message(chat_id, chunks[-1], reply_markup=markup)
            if markup is not None:
                await self._new_keyboard(chat_id, sent.message_id)
        elif isinstance(message, Image):
            head, rest = caption(message.caption)
            data = await self.file_bytes(message.path)  # from the evidence store
            await bot.send_photo(chat_id, photo=data, filename=PurePosixPath(message.path).name,
                                 caption=head or None)
            await self._rest(chat_id, rest)
        elif isinstance(message, Document):
            head, rest = caption(message.caption)
            data = await self.file_bytes(message.path)
            await bot.send_document(chat_id, document=data, filename=message.filename, caption=head or None)
            await self._rest(chat_id, rest)
        elif isinstance(message, Album):
            await send_album(bot, chat_id, message, self.file_bytes)
        elif isinstance(message, PressResult):
            await self._settle_press(chat_id, message)
        else:
            raise UnsupportedOutgoing(type(message).__name__)

    async def _rest(self, chat_id: str, text: str) -> None:
        if text:
            await self.send(chat_id, Text(text))

    async def fetch_media(self, media: Media) -> bytes:
        bot = await self.ready()
        file = await bot.get_file(media.ref)
        return bytes(await file.download_as_bytearray())

    # ---- the question on screen: only its buttons are live (kept in the state store)
    async def _keyboard_message(self, chat_id: str) -> int | None:
        try:
            value = await self.core.state.get_value(_keyboard_key(chat_id))
        except Exception:  # noqa: BLE001 - state store down: treat the press as on the current question
            log.warning("state store unavailable for the keyboard of %s", chat_id, exc_info=True)
            return None
        return int(value) if value and value.lstrip("-").isdigit() else None

    async def _new_keyboard(self, chat_id: str, message_id: int) -> None:
        """A new question with buttons: the buttons of the previous one are void, so remove them."""
        previous = await self._keyboard_message(chat_id)
        try:
            await self.core.state.set_value(_keyboard_key(chat_id), str(message_id), ttl=KEYBOARD_TTL)
        except Exception:  # noqa: BLE001
            log.warning("could not remember the keyboard of %s", chat_id, exc_info=True)
        if previous is not None and previous != message_id:
            try:
                await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=previous, reply_markup=None)
            except TelegramError as exc:  # already edited, deleted, too old: nothing to remove
                log.debug("old keyboard %s/%s not removed: %r", chat_id, previous, exc)

    async def _forget_keyboard(self, chat_id: str, message_id: int) -> None:
        if await self._keyboard_message(chat_id) == message_id:
            try:
                await self.core.state.delete_value(_keyboard_key(chat_id))
            except Exception:  # noqa: BLE001
                log.warning("could not forget the keyboard of %s", chat_id, exc_info=True)


def _keyboard_key(chat_id: str) -> str:
    return f"telegram:keyboard:{chat_id}"


# ---- wiring ------------------------------------------------------------------------------------


def add_telegram(app: "App") -> TelegramAdapter:
    """Register the Telegram adapter; when serving, the webhook is registered at start."""
    adapter = TelegramAdapter(app.settings, app.core)
    app.core.add_adapter(adapter)

    async def register() -> None:
        await register_webhook(app.settings, adapter)
        await set_command_menus(adapter)

    app.on_start.append(register)
    return adapter


def webhook_url(settings: "Settings") -> str:
    return settings.telegram_webhook_url


async def register_webhook(settings: "Settings", adapter: TelegramAdapter, url: str = "") -> bool:
    """setWebhook with the secret. Without a URL (TELEGRAM_WEBHOOK_URL) nothing is registered: the
    bot is then reached by `inspector-bot telegram` (polling) or a webhook set by hand."""
    url = url or webhook_url(settings)
    if not url:
        log.info("TELEGRAM_WEBHOOK_URL not set: webhook not registered")
        return False
    if not settings.telegram_webhook_secret:
        log.error("TELEGRAM_WEBHOOK_SECRET not set: refusing to register an unprotected webhook")
        return False
    try:
        bot = await adapter.ready()
        await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret,
                              allowed_updates=ALLOWED_UPDATES, max_connections=40)
    except TelegramError as exc:
        log.error("setWebhook %s failed: %r", url, exc)
        return False
    log.info("Telegram webhook registered: %s", url)
    return True


def http_routes(settings: "Settings", holder: dict[str, Any]) -> list[Route]:
    """POST /telegram/webhook. A wrong or missing secret gets 403 and changes nothing; any answer
    but 200 makes Telegram deliver the update again."""
    secret = settings.telegram_webhook_secret.encode()

    async def webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            return PlainTextResponse("forbidden", status_code=403)
        body = await _read_limited(request, settings.max_request_bytes)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        app = holder.get("app")
        adapter = app.core.adapters.get(CHANNEL) if app is not None else None
        if not isinstance(adapter, TelegramAdapter):
            return PlainTextResponse("not ready", status_code=503)
        try:
            update = Update.de_json(jsonsafe.loads(body), adapter.bot)  # bounded nesting: deep JSON is a 400
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            log.warning("undecodable Telegram update: %r", exc)
            return PlainTextResponse("bad update", status_code=400)
        if update is None:
            return PlainTextResponse("bad update", status_code=400)
        await adapter.handle_update(update)
        return PlainTextResponse("ok")

    return [Route(WEBHOOK_PATH, webhook, methods=["POST"])]


async def _read_limited(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
