"""A local fake of the Telegram Bot API, good enough for python-telegram-bot to talk to it over HTTP.

Starlette on uvicorn in a background thread, on a random port of 127.0.0.1. It implements the
methods the bot uses (getMe, getUpdates, setWebhook, deleteWebhook, sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, sendPhoto, sendMediaGroup, sendDocument, getFile,
setMyCommands, file download),
records every call, keeps what the bot sent, and builds the updates a user's phone would cause.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456:TEST-token_for-the-fake-api"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "检查助手", "username": "inspector_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
JSON_FIELDS = {"reply_markup", "allowed_updates", "chat_id", "message_id", "offset", "timeout", "limit", "media",
               "commands", "scope"}
MAX_WAIT = 2.0  # a long poll is held at most this long (keeps shutdown quick)


@dataclass
class Sent:
    """A message the bot sent (and its current state after edits)."""

    message_id: int
    chat_id: int
    kind: str  # text | photo | document
    text: str = ""
    reply_markup: dict | None = None
    filename: str = ""
    content: bytes = b""
    edits: list[str] = field(default_factory=list)
    album: int = 0  # sent in an album (sendMediaGroup): the id of its first message

    @property
    def labels(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["text"] for row in rows for b in row]

    def button(self, label: str) -> dict:
        """The button whose text is `label` or ends with it ('1. 符合' for '符合')."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        for b in (b for row in rows for b in row):
            if b["text"] == label or b["text"].split(". ", 1)[-1] == label:
                return b
        raise LookupError(f"no button {label!r} among {self.labels}")


class FakeBotAPI:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.flood_next = 0  # this many sendMessage calls answered 429 with retry_after 1
        self.blocked_by: set[str] = set()  # chats whose user blocked the bot (403)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict] = []
        self.confirmed = 0  # the highest offset a getUpdates asked for
        self.webhook: dict[str, Any] = {}
        self.menus: dict[str, list[tuple[str, str]]] = {}  # setMyCommands by scope ("all_private_chats", "chat:1001")
        self.sent: dict[int, Sent] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(5000)
        self._msg_ids = itertools.count(100)
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle
    def start(self) -> "FakeBotAPI":
        app = Starlette(routes=[
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ])
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Bot API did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=10)

    @property
    def base(self) -> str:
        """What TELEGRAM_API_BASE is set to."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ---- what the tests read
    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [p for m, p in self.calls if m == method]

    def mark(self) -> int:
        """The id the next sent message will be above: read replies after it with `sent_after`."""
        with self.lock:
            return max(self.sent, default=0)

    def sent_after(self, mark: int, chat_id: int | None = None) -> list[Sent]:
        with self.lock:
            return [s for i, s in sorted(self.sent.items())
                    if i > mark and (chat_id is None or s.chat_id == chat_id)]

    def last_keyboard(self, chat_id: int) -> Sent:
        """The latest message with inline buttons (a reply keyboard is not one)."""
        with self.lock:
            for _, s in sorted(self.sent.items(), reverse=True):
                if s.chat_id == chat_id and (s.reply_markup or {}).get("inline_keyboard"):
                    return s
        raise LookupError(f"no message with buttons in chat {chat_id}")

    # ---- building what a user's phone causes
    def _user(self, user_id: int, name: str) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}

    def _chat(self, chat_id: int, user_id: int, name: str) -> dict:
        if chat_id == user_id:
            return {"id": chat_id, "type": "private", "first_name": name}
        return {"id": chat_id, "type": "supergroup", "title": "泽州县回头看工作群"}

    def message_update(self, user_id: int, name: str, chat_id: int | None = None, **content: Any) -> dict:
        chat_id = chat_id or user_id
        message = {"message_id": next(self._msg_ids), "date": int(time.time()),
                   "chat": self._chat(chat_id, user_id, name), "from": self._user(user_id, name), **content}
        return {"update_id": next(self._update_ids), "message": message}

    def text_update(self, user_id: int, name: str, text: str, chat_id: int | None = None) -> dict:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}] \
            if text.startswith("/") else []
        return self.message_update(user_id, name, chat_id, text=text,
                                   **({"entities": entities} if entities else {}))

    def add_file(self, content: bytes, path: str) -> dict:
        n = next(self._ids)
        file_id = f"FILE{n:04d}-{path.rsplit('/', 1)[-1]}"
        with self.lock:
            self.files[file_id] = (path, content)
        return {"file_id": file_id, "file_unique_id": f"U{n:04d}", "file_size": len(content)}

    def photo_update(self, user_id: int, name: str, path: Path, thumb: bytes, caption: str = "",
                     chat_id: int | None = None) -> dict:
        """A photo as Telegram sends it: several sizes, the largest last."""
        small = {**self.add_file(thumb, f"photos/thumb{next(self._ids)}.jpg"), "width": 90, "height": 68}
        big = {**self.add_file(path.read_bytes(), f"photos/{path.name}"), "width": 320, "height": 240}
        extra = {"caption": caption} if caption else {}
        return self.message_update(user_id, name, chat_id, photo=[small, big], **extra)

    def document_update(self, user_id: int, name: str, path: Path, mime: str, caption: str = "",
                        chat_id: int | None = None) -> dict:
        doc = {**self.add_file(path.read_bytes(), f"documents/{path.name}"), "file_name": path.name,
               "mime_type": mime}
        extra = {"caption": caption} if caption else {}
        return self.message_update(user_id, name, chat_id, document=doc, **extra)

    def voice_update(self, user_id: int, name: str, data: bytes, chat_id: int | None = None) -> dict:
        """A voice message as Telegram sends it: OGG/Opus."""
        voice = {**self.add_file(data, f"voice/file_{next(self._ids)}.oga"), "duration": 7, "mime_type": "audio/ogg"}
        return self.message_update(user_id, name, chat_id, voice=voice)

    def video_update(self, user_id: int, name: str, data: bytes, chat_id: int | None = None) -> dict:
        video = {**self.add_file(data, f"videos/file_{next(self._ids)}.mp4"), "duration": 12, "width": 640,
                 "height": 360, "mime_type": "video/mp4"}
        return self.message_update(user_id, name, chat_id, video=video)

    def location_update(self, user_id: int, name: str, lat: float, lon: float, chat_id: int | None = None) -> dict:
        return self.message_update(user_id, name, chat_id, location={"latitude": lat, "longitude": lon})

    def callback_update(self, user_id: int, name: str, question: Sent, data: str) -> dict:
        """A press on a button of `question` carrying `data` (any data: a forged one too)."""
        with self.lock:
            message = self._message_json(question)
        query = {"id": f"cq{next(self._ids)}", "from": self._user(user_id, name), "chat_instance": "ci1",
                 "message": message, "data": data}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def queue(self, update: dict) -> None:
        with self.lock:
            self.updates.append(update)

    # ---- the API
    def _message_json(self, s: Sent) -> dict:
        chat = {"id": s.chat_id, "type": "private" if s.chat_id > 0 else "supergroup"}
        out: dict[str, Any] = {"message_id": s.message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER}
        if s.kind == "text":
            out["text"] = s.text
        else:
            if s.text:
                out["caption"] = s.text
            ref = {"file_id": f"SENT{s.message_id}", "file_unique_id": f"S{s.message_id}", "file_size": len(s.content)}
            if s.kind == "photo":
                out["photo"] = [{**ref, "width": 100, "height": 100}]
            else:
                out["document"] = {**ref, "file_name": s.filename}
        if (s.reply_markup or {}).get("inline_keyboard"):  # Telegram returns only inline keyboards
            out["reply_markup"] = s.reply_markup
        return out

    async def _params(self, request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        body = await request.body()
        ctype = request.headers.get("content-type", "")
        files: dict[str, tuple[str, bytes]] = {}
        if ctype.startswith("multipart/form-data"):
            msg = email.message_from_bytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body,
                                           policy=email.policy.HTTP)
            raw = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename() is not None:
                    files[name] = (part.get_filename(), payload)
                else:
                    raw[name] = payload.decode()
        elif ctype.startswith("application/json"):
            raw = json.loads(body or b"{}")
        else:
            raw = dict(parse_qsl(body.decode()))
        params = {}
        for key, value in raw.items():
            if key in JSON_FIELDS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params, files

    @staticmethod
    def _ok(result: Any) -> JSONResponse:
        return JSONResponse({"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str) -> JSONResponse:
        return JSONResponse({"ok": False, "error_code": code, "description": description}, status_code=code)

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.path_params["method"]
        params, files = await self._params(request)
        with self.lock:
            self.calls.append((method, {**params, **{k: v[0] for k, v in files.items()}}))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        if method == "sendMessage" and str(params.get("chat_id")) in self.blocked_by:
            return self._error(403, "Forbidden: bot was blocked by the user")
        if method == "sendMessage" and self.flood_next > 0:  # flood control: wait retry_after seconds
            with self.lock:
                self.flood_next -= 1
            return JSONResponse({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                 "parameters": {"retry_after": 1}}, status_code=429)
        return await handler(params, files)

    async def _m_getMe(self, params, files):
        return self._ok(BOT_USER)

    async def _m_getUpdates(self, params, files):
        if self.webhook.get("url"):
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), MAX_WAIT)
        while True:
            with self.lock:
                if offset:
                    self.confirmed = max(self.confirmed, offset)
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = self.updates[:limit]
            if ready or time.monotonic() >= deadline:
                return self._ok(ready)
            await asyncio.sleep(0.01)

    async def _m_setWebhook(self, params, files):
        self.webhook = {k: params.get(k) for k in ("url", "secret_token", "allowed_updates", "max_connections")}
        return self._ok(True)

    async def _m_setMyCommands(self, params, files):
        scope = params.get("scope") or {"type": "default"}
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        with self.lock:
            self.menus[key] = [(c["command"], c["description"]) for c in params.get("commands") or []]
        return self._ok(True)

    async def _m_deleteWebhook(self, params, files):
        self.webhook = {}
        return self._ok(True)

    def _store(self, chat_id: Any, kind: str, text: str = "", markup: dict | None = None,
               file: tuple[str, bytes] | None = None) -> JSONResponse:
        with self.lock:
            sent = Sent(next(self._msg_ids), int(chat_id), kind, text, markup or None,
                        *(file if file else ("", b"")))
            self.sent[sent.message_id] = sent
            return self._ok(self._message_json(sent))

    async def _m_sendMessage(self, params, files):
        text = params.get("text", "")
        if not text or len(text.encode("utf-16-le")) // 2 > 4096:
            return self._error(400, "Bad Request: message text is empty or too long")
        return self._store(params["chat_id"], "text", text, params.get("reply_markup"))

    def _upload(self, params, files, field_name: str) -> tuple[str, bytes] | None:
        ref = params.get(field_name, "")
        if isinstance(ref, str) and ref.startswith("attach://"):
            return files.get(ref[len("attach://"):])
        return files.get(field_name)

    async def _m_sendPhoto(self, params, files):
        upload = self._upload(params, files, "photo")
        if upload is None:
            return self._error(400, "Bad Request: there is no photo in the request")
        return self._store(params["chat_id"], "photo", params.get("caption", ""), file=upload)

    async def _m_sendMediaGroup(self, params, files):
        items = params.get("media") or []
        if not 2 <= len(items) <= 10:
            return self._error(400, "Bad Request: media group must include 2-10 items")
        uploads = []
        for item in items:
            ref = str(item.get("media", ""))
            upload = files.get(ref[len("attach://"):]) if ref.startswith("attach://") else None
            if item.get("type") != "photo" or upload is None:
                return self._error(400, "Bad Request: wrong media in the group")
            uploads.append((item.get("caption", ""), upload))
        with self.lock:
            out, first = [], 0
            for text, upload in uploads:
                sent = Sent(next(self._msg_ids), int(params["chat_id"]), "photo", text, None, *upload)
                first = first or sent.message_id
                sent.album = first
                self.sent[sent.message_id] = sent
                out.append(self._message_json(sent))
        return self._ok(out)

    async def _m_sendDocument(self, params, files):
        upload = self._upload(params, files, "document")
        if upload is None:
            return self._error(400, "Bad Request: there is no document in the request")
        return self._store(params["chat_id"], "document", params.get("caption", ""), file=upload)

    def _edit(self, params, text: str | None) -> JSONResponse:
        with self.lock:
            sent = self.sent.get(int(params.get("message_id") or 0))
            if sent is None or sent.chat_id != int(params.get("chat_id") or 0):
                return self._error(400, "Bad Request: message to edit not found")
            markup = params.get("reply_markup") or None
            if (text is None or text == sent.text) and markup == sent.reply_markup:
                return self._error(400, "Bad Request: message is not modified")
            if text is not None:
                sent.edits.append(sent.text)
                sent.text = text
            sent.reply_markup = markup
            return self._ok(self._message_json(sent))

    async def _m_editMessageText(self, params, files):
        return self._edit(params, params.get("text", ""))

    async def _m_editMessageReplyMarkup(self, params, files):
        return self._edit(params, None)

    async def _m_answerCallbackQuery(self, params, files):
        return self._ok(True)

    async def _m_getFile(self, params, files):
        with self.lock:
            found = self.files.get(params.get("file_id", ""))
        if found is None:
            return self._error(400, "Bad Request: invalid file_id")
        path, content = found
        return self._ok({"file_id": params["file_id"], "file_unique_id": "u", "file_size": len(content),
                         "file_path": path})

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        with self.lock:
            self.calls.append(("download", {"path": request.path_params["path"]}))
            content = next((c for p, c in self.files.values() if p == request.path_params["path"]), None)
        if content is None:
            return Response(status_code=404)
        return Response(content, media_type="application/octet-stream")
