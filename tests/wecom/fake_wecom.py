"""A local fake of the WeCom server API, served over real HTTP on 127.0.0.1 (random port) by
uvicorn in a background thread, so wechatpy's real (synchronous) client talks to it.

It implements what the bot calls: gettoken, message/send, appchat/send, media/upload, media/get,
menu/create, webhook/send, webhook/upload_media, message/update_template_card; checks access tokens
like WeCom does (42001 for an expired one) and records every request it accepted.

Template cards (`button_interaction`) are checked against the documented limits, kept with the
ResponseCodes they were sent and tapped with (each usable once), and updated as WeCom does: the
buttons become one unclickable button with the replacement text."""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import hashlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CORP_ID = "wwfakecorp0001"
SECRET = "fake-secret-0123456789"
AGENT_ID = "1000002"


@dataclass
class Card:
    """A template card the bot sent, as the member's phone shows it now."""

    user: str
    task_id: str
    body: dict  # the template_card object
    replaced: str = ""  # after message/update_template_card: the one grey button's text
    updates: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.body["button_list"]]

    @property
    def text(self) -> str:
        """What the card says, as text: title, sub-title, then its buttons (or the choice shown)."""
        parts = [self.body.get("main_title", {}).get("title", ""), self.body.get("quote_area", {}).get("quote_text", ""),
                 self.body.get("sub_title_text", "")]
        buttons = f"[{self.replaced}]" if self.replaced else " ".join(f"[{label}]" for label in self.labels)
        return "\n".join(p for p in (*parts, buttons) if p)

    def key(self, label: str) -> str:
        for b in self.body["button_list"]:
            if b["text"] == label:
                return b["key"]
        raise LookupError(f"no button {label!r} on card {self.task_id} among {self.labels}")


def card_problem(card: dict) -> str:
    """Why WeCom would refuse this button_interaction card ("" when it would not)."""
    buttons = card.get("button_list") or []
    keys = [b.get("key") for b in buttons]
    if card.get("card_type") != "button_interaction":
        return "card_type"
    if not re.fullmatch(r"[0-9A-Za-z_\-@]{1,128}", card.get("task_id") or ""):
        return "task_id"
    if not card.get("main_title", {}).get("title"):
        return "main_title"
    if not 1 <= len(buttons) <= 6 or len(set(keys)) != len(keys) or any(not k or len(k.encode()) > 1024 for k in keys):
        return "button_list"
    return ""


@dataclass
class Call:
    path: str
    query: dict[str, str]
    body: Any  # JSON for messages, {"filename", "data"} for uploads
    at: float = field(default_factory=time.time)


class FakeWeCom:
    def __init__(self, corp_id: str = CORP_ID) -> None:
        self.corp_id = corp_id
        self.calls: list[Call] = []
        self.refused: list[Call] = []  # requests answered with an errcode
        self.token_fetches = 0
        self.hand_out_dead_tokens = False  # a broken server: every new token is already expired
        self.valid_tokens: set[str] = set()
        self.media: dict[str, bytes] = {}  # what media/get serves
        self.down = False  # message sending answers 502 (an outage)
        self.limit_next = 0  # this many message sends answered with errcode 45009 (frequency limit)
        self.uploads: dict[str, tuple[str, bytes]] = {}
        self.cards: dict[str, Card] = {}  # by task_id, in the order sent
        self.response_codes: dict[str, str] = {}  # unused ResponseCode -> task_id
        self.card_updates_refused = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(routes=[
            Route("/cgi-bin/gettoken", self.gettoken),
            Route("/cgi-bin/message/send", self.message, methods=["POST"]),
            Route("/cgi-bin/appchat/send", self.message, methods=["POST"]),
            Route("/cgi-bin/menu/create", self.message, methods=["POST"]),
            Route("/cgi-bin/message/update_template_card", self.update_card, methods=["POST"]),
            Route("/cgi-bin/media/upload", self.upload, methods=["POST"]),
            Route("/cgi-bin/media/get", self.media_get),
            Route("/cgi-bin/webhook/send", self.webhook, methods=["POST"]),
            Route("/cgi-bin/webhook/upload_media", self.webhook_upload, methods=["POST"]),
        ])

    # ---- lifecycle
    def start(self) -> "FakeWeCom":
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve()), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake WeCom server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/cgi-bin/"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    # ---- test controls and read-back
    def expire_tokens(self) -> None:
        """Every token handed out so far is now expired (errcode 42001 until a new one is fetched)."""
        with self._lock:
            self.valid_tokens.clear()

    def serve_media(self, data: bytes) -> str:
        media_id = f"MEDIA{next(self._ids):04d}"
        self.media[media_id] = data
        return media_id

    def sent(self, path: str = "message/send") -> list[Call]:
        return [c for c in self.calls if c.path == path]

    def texts_to(self, user: str, since: int = 0) -> list[str]:
        """Text contents the bot sent to `user` (app messages), from call number `since` on; a
        template card as the text it shows (Card.text)."""
        out = []
        for c in self.calls[since:]:
            if c.path != "message/send" or c.body.get("touser") != user:
                continue
            if c.body.get("msgtype") == "text":
                out.append(c.body["text"]["content"])
            elif c.body.get("msgtype") == "template_card":
                out.append(self.cards[c.body["template_card"]["task_id"]].text)
        return out

    def cards_to(self, user: str) -> list[Card]:
        with self._lock:
            return [c for c in self.cards.values() if c.user == user]

    def tap(self, card: Card) -> str:
        """A member taps a button of `card`: the ResponseCode WeCom puts in the callback."""
        code = f"RC{next(self._ids):05d}"
        with self._lock:
            self.response_codes[code] = card.task_id
        return code

    # ---- endpoints
    async def gettoken(self, request: Request) -> JSONResponse:
        q = request.query_params
        if q.get("corpid") != self.corp_id or q.get("corpsecret") != SECRET:
            return JSONResponse({"errcode": 40001, "errmsg": "invalid credential"})
        with self._lock:
            self.token_fetches += 1
            token = f"TOKEN{self.token_fetches:03d}"
            if not self.hand_out_dead_tokens:
                self.valid_tokens.add(token)
        return JSONResponse({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def _token_error(self, request: Request, body: Any) -> JSONResponse | None:
        if request.query_params.get("access_token") in self.valid_tokens:
            return None
        self.refused.append(Call(request.url.path.removeprefix("/cgi-bin/"), dict(request.query_params), body))
        return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})

    def _record(self, request: Request, body: Any) -> None:
        self.calls.append(Call(request.url.path.removeprefix("/cgi-bin/"), dict(request.query_params), body))

    async def message(self, request: Request) -> Response:
        body = json.loads(await request.body())
        if self.down:  # an outage: the gateway answers, WeCom does not
            return Response("bad gateway", status_code=502)
        if (error := self._token_error(request, body)) is not None:
            return error
        with self._lock:
            if self.limit_next > 0:  # frequency limit: refused, not recorded as delivered
                self.limit_next -= 1
                self.refused.append(Call(request.url.path.removeprefix("/cgi-bin/"), dict(request.query_params), body))
                return JSONResponse({"errcode": 45009, "errmsg": "reach max api daily quota limit"})
        answer = {"errcode": 0, "errmsg": "ok", "msgid": f"MSG{next(self._ids):05d}"}
        if body.get("msgtype") == "template_card":
            card = body.get("template_card") or {}
            if (problem := card_problem(card)) or card["task_id"] in self.cards:
                return JSONResponse({"errcode": 40058, "errmsg": f"invalid template_card {problem or 'task_id reused'}"})
            code = f"RC{next(self._ids):05d}"
            with self._lock:
                self.cards[card["task_id"]] = Card(str(body.get("touser")), card["task_id"], card)
                self.response_codes[code] = card["task_id"]
            answer["response_code"] = code  # usable once, like the ones taps bring
        self._record(request, body)
        return JSONResponse(answer)

    async def update_card(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        if (error := self._token_error(request, body)) is not None:
            return error
        with self._lock:
            task = self.response_codes.pop(str(body.get("response_code")), None)  # one use each
            card = self.cards.get(task or "")
            name = (body.get("button") or {}).get("replace_name", "")
            if card is None or not name or body.get("userids") != [card.user]:
                self.card_updates_refused += 1
                self.refused.append(Call("message/update_template_card", dict(request.query_params), body))
                return JSONResponse({"errcode": 40058, "errmsg": "invalid response_code"})
            card.replaced = name
            card.updates.append(name)
        self._record(request, body)
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def _file(self, request: Request) -> tuple[str, bytes]:
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        parsed = email.message_from_bytes(head + await request.body(), policy=email.policy.HTTP)
        part = next(p for p in parsed.iter_parts() if p.get_param("name", header="content-disposition") == "media")
        return part.get_filename() or "", part.get_payload(decode=True)

    async def upload(self, request: Request) -> JSONResponse:
        filename, data = await self._file(request)
        if (error := self._token_error(request, {"filename": filename})) is not None:
            return error
        media_id = f"UP{next(self._ids):04d}"
        self.uploads[media_id] = (filename, data)
        self._record(request, {"filename": filename, "data": data, "media_id": media_id})
        return JSONResponse({"errcode": 0, "errmsg": "ok", "type": request.query_params.get("type"),
                             "media_id": media_id, "created_at": str(int(time.time()))})

    async def media_get(self, request: Request) -> Response:
        if (error := self._token_error(request, None)) is not None:
            return error
        data = self.media.get(request.query_params.get("media_id", ""))
        if data is None:
            return JSONResponse({"errcode": 40007, "errmsg": "invalid media_id"})
        self._record(request, None)
        return Response(data, media_type="image/jpeg",
                        headers={"Content-Disposition": 'attachment; filename="photo.jpg"'})

    async def webhook(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        if body.get("msgtype") == "image":
            raw = base64.b64decode(body["image"]["base64"])
            if hashlib.md5(raw).hexdigest() != body["image"]["md5"]:
                return JSONResponse({"errcode": 40009, "errmsg": "image md5 mismatch"})
        self._record(request, body)
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def webhook_upload(self, request: Request) -> JSONResponse:
        filename, data = await self._file(request)
        media_id = f"RB{next(self._ids):04d}"
        self.uploads[media_id] = (filename, data)
        self._record(request, {"filename": filename, "data": data, "media_id": media_id})
        return JSONResponse({"errcode": 0, "errmsg": "ok", "type": "file", "media_id": media_id})
