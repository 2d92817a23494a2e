"""Driving the bot the way WeCom does: encrypted callbacks (built with wechatpy's own crypto) posted
over HTTP to `inspector-bot serve`'s app, replies read back from what the fake WeCom received."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, AsyncIterator

from sqlalchemy import text

import httpx
import uvicorn
import xmltodict
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.org_import import OrgFile, import_org
from tests.wecom.fake_wecom import AGENT_ID, CORP_ID, SECRET, FakeWeCom

if TYPE_CHECKING:
    from tests.servers import Servers

TOKEN = "callbacktoken"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"  # any 43-character key


def wecom_settings(fake: FakeWeCom, **more) -> dict:
    # A short ordering wait: these tests send one message at a time (test_burst_order.py: bursts).
    return {**dict(wecom_corp_id=CORP_ID, wecom_secret=SECRET, wecom_agent_id=AGENT_ID,
                   wecom_token=TOKEN, wecom_aes_key=AES_KEY, wecom_api_base=fake.url, order_window_ms=20),
            **more}


@contextlib.asynccontextmanager
async def serve(asgi_app) -> AsyncIterator[str]:
    """Serve an ASGI app on 127.0.0.1 (random port) in this event loop, as `serve` does."""
    server = uvicorn.Server(uvicorn.Config(asgi_app, host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def xml_message(user: str, msg_type: str, fields: dict, msg_id: str | None, created: int) -> str:
    parts = [f"<ToUserName><![CDATA[{CORP_ID}]]></ToUserName>", f"<FromUserName><![CDATA[{user}]]></FromUserName>",
             f"<CreateTime>{created}</CreateTime>", f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    parts += [f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    parts.append(f"<AgentID>{AGENT_ID}</AgentID>")
    return "<xml>" + "".join(parts) + "</xml>"


class WeComChat:
    def __init__(self, harness, fake: FakeWeCom, base_url: str, http: httpx.AsyncClient) -> None:
        self.h = harness
        self.fake = fake
        self.base_url = base_url
        self.http = http
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
        self.user = "zhangjc"
        self._ids = itertools.count(1)
        self._created = int(time.time())
        self.last_reply = ""
        self.last_tap = ""  # the XML of the latest tap (to send it again as WeCom's retry would)

    # ---- people
    async def register(self, wecom: str = "zhangjc", name: str = "张检查", bureau: str = "泽州县",
                       role: str = "inspector") -> None:
        org = OrgFile.model_validate({"members": [{"name": name, "bureau": bureau, "role": role, "wecom": wecom}]})
        repos = self.h.repos()
        try:
            await import_org(repos, org, Path("org.yaml"))
            await repos.commit()
        finally:
            await repos.session.close()
        self.user = wecom

    # ---- the wire
    def encrypt(self, xml: str, crypto: WeChatCrypto | None = None) -> tuple[bytes, dict]:
        """The POST body and query string WeCom would send for this message."""
        nonce = f"n{next(self._ids)}"
        envelope = (crypto or self.crypto).encrypt_message(xml, nonce, str(int(time.time())))
        parsed = xmltodict.parse(envelope)["xml"]
        body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{parsed['Encrypt']}]]>"
                f"</Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>").encode()
        return body, {"msg_signature": parsed["MsgSignature"], "timestamp": parsed["TimeStamp"], "nonce": nonce}

    async def post(self, body: bytes, params: dict) -> httpx.Response:
        return await self.http.post(f"{self.base_url}/wecom/callback", params=params, content=body)

    async def settle(self) -> None:
        """Wait until the bot has processed everything acknowledged and sent its replies."""
        for _ in range(1000):
            if not self.h.app.core.busy:
                return
            await self.h.app.core.drain(timeout=60)
        raise AssertionError("the bot did not settle")

    async def send_xml(self, xml: str, user: str | None = None) -> str:
        start = len(self.fake.calls)
        body, params = self.encrypt(xml)
        response = await self.post(body, params)
        assert response.status_code == 200 and response.content == b""
        await self.settle()
        self.last_reply = "\n".join(self.fake.texts_to(user or self.user, since=start))
        return self.last_reply

    def _next(self) -> tuple[str, int]:
        n = next(self._ids)
        return str(7_000_000_000_000 + n), self._created + n

    # ---- what a user does in the WeCom app
    async def say(self, text: str, user: str | None = None) -> str:
        msg_id, created = self._next()
        return await self.send_xml(xml_message(user or self.user, "text", {"Content": text}, msg_id, created), user)

    async def photo(self, path: Path, user: str | None = None) -> str:
        media_id = self.fake.serve_media(Path(path).read_bytes())
        msg_id, created = self._next()
        fields = {"PicUrl": "http://wework.qpic.cn/fake", "MediaId": media_id}
        return await self.send_xml(xml_message(user or self.user, "image", fields, msg_id, created), user)

    async def voice(self, data: bytes, user: str | None = None) -> str:
        """A voice message: WeCom keeps it as AMR (Format amr) for media/get."""
        media_id = self.fake.serve_media(data)
        msg_id, created = self._next()
        fields = {"MediaId": media_id, "Format": "amr"}
        return await self.send_xml(xml_message(user or self.user, "voice", fields, msg_id, created), user)

    async def video(self, data: bytes, user: str | None = None) -> str:
        media_id = self.fake.serve_media(data)
        msg_id, created = self._next()
        fields = {"MediaId": media_id, "ThumbMediaId": self.fake.serve_media(b"thumb")}
        return await self.send_xml(xml_message(user or self.user, "video", fields, msg_id, created), user)

    async def location(self, lat: float, lon: float, label: str = "泽州县", user: str | None = None) -> str:
        msg_id, created = self._next()
        fields = {"Location_X": lat, "Location_Y": lon, "Scale": 15, "Label": label}
        return await self.send_xml(xml_message(user or self.user, "location", fields, msg_id, created), user)

    async def event(self, event: str, key: str = "", user: str | None = None) -> str:
        _, created = self._next()
        fields = {"Event": event, "EventKey": key}
        return await self.send_xml(xml_message(user or self.user, "event", fields, None, created), user)

    def card(self, user: str | None = None):
        """The latest template card sent to the user."""
        cards = self.fake.cards_to(user or self.user)
        assert cards, "no template card was sent"
        return cards[-1]

    async def tap(self, label: str, card=None, user: str | None = None, created: int | None = None) -> str:
        """Tap the button `label` of `card` (default: the latest card): the template_card_event
        callback WeCom sends, with a fresh ResponseCode."""
        card = card or self.card(user)
        _, now = self._next()
        self.last_tap = self.tap_xml(card, label, created or now, user)
        return await self.send_xml(self.last_tap, user)

    def tap_xml(self, card, label: str, created: int, user: str | None = None) -> str:
        fields = {"Event": "template_card_event", "EventKey": card.key(label), "TaskId": card.task_id,
                  "CardType": "button_interaction", "ResponseCode": self.fake.tap(card)}
        return xml_message(user or self.user, "event", fields, None, created)

    def options(self) -> list[str]:
        """The numbered options of the last reply (WeCom shows choices as numbered lines)."""
        return [m.group(2) for m in re.finditer(r"^(\d+)\. (.+)$", self.last_reply, re.M)]


class ServedInspector:
    """A WeCom user talking to `serve` subprocesses (tests.servers.Servers); settled = the database
    says every message of theirs was handled and every reply sent."""

    def __init__(self, chat: WeComChat, user: str, servers: "Servers", engine, http: httpx.AsyncClient,
                 ids) -> None:
        self.chat, self.user, self.servers, self.engine, self.http, self.ids = chat, user, servers, engine, http, ids
        self.sent = 0

    async def post(self, words: str, server: int) -> None:
        msg_id = next(self.ids)  # WeCom's MsgIds grow with time
        xml = xml_message(self.user, "text", {"Content": words}, str(msg_id), int(time.time()))
        body, params = self.chat.encrypt(xml)
        response = await self.http.post(f"{self.servers.urls[server]}/wecom/callback", params=params, content=body)
        assert response.status_code == 200

    async def settled(self) -> None:
        """Every message of this user handled and every reply to them sent."""
        for _ in range(600):
            async with self.engine.connect() as conn:
                waiting = await conn.scalar(text(
                    "SELECT (SELECT count(*) FROM inbox WHERE user_key = :k AND status = 'pending')"
                    " + (SELECT count(*) FROM outbox WHERE chat_id = :u AND status <> 'sent')"),
                    {"k": f"wecom:{self.user}:{self.user}", "u": self.user})
            if not waiting:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.user}: the bot did not settle")

    async def say(self, words: str) -> str:
        start = len(self.chat.fake.calls)
        await self.post(words, self.sent % 2)
        self.sent += 1
        await self.settled()
        return "\n".join(self.chat.fake.texts_to(self.user, since=start))

    async def burst(self, words: list[str]) -> None:
        """One message every 20 ms, alternating between the two processes, not waiting for replies."""
        tasks = []
        for i, w in enumerate(words):
            tasks.append(asyncio.create_task(self.post(w, i % 2)))
            await asyncio.sleep(0.02)
        await asyncio.gather(*tasks)
        await self.settled()

    async def to_checklist(self, enterprise: str) -> None:
        """开始检查 a new enterprise (煤矿), no companions, today's date, no location: at 1.1."""
        assert "被检查单位" in await self.say("开始检查")
        options = await self.say(enterprise)
        new = [line.split(".")[0] for line in options.splitlines() if re.match(r"^\d+\. 新建", line)][0]
        assert "行业" in await self.say(new)
        assert "同行检查人员" in await self.say("1")
        assert "日期" in await self.say("无")
        assert "定位" in await self.say("1")
        assert "1.1" in await self.say("跳过")

    async def record(self) -> dict[str, tuple[str, str]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(text(
                "SELECT a.requirement_id, a.verdict, a.note FROM answers a JOIN inspections i ON i.id = a.inspection_id"
                " JOIN identities d ON d.member_id = i.created_by WHERE d.external_id = :u"), {"u": self.user})
            return {req: (verdict, note) for req, verdict, note in rows.all()}

    async def inbox_statuses(self) -> list[str]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(text("SELECT status FROM inbox WHERE user_key = :k"),
                                      {"k": f"wecom:{self.user}:{self.user}"})
            return [s for (s,) in rows.all()]
