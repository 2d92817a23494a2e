"""The WeCom (企业微信 / 政务微信) channel: the callback route and the adapters' wiring.

`GET /wecom/callback` answers WeCom's URL check with the decrypted echostr. `POST /wecom/callback`
verifies the signature (constant-time) and the corp id, decrypts the message, commits it to the
inbox through the core (which drops WeCom's retries), acknowledges with 200 and an empty body, and
processes it in the background: WeCom gives up after 5 seconds, so replies go through the send
API, never in the HTTP answer. A bad signature, a foreign corp id, an undecryptable body or a message
for another app of the corp (its AgentID is not INSPECTOR_BOT_WECOM_AGENT_ID) gets 403 and changes
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import struct
from typing import TYPE_CHECKING, Any
from xml.parsers.expat import ExpatError

import xmltodict
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from bot.adapters import wecom_cards
from bot.adapters.wecom_client import WeComApi, token_store
from bot.adapters.wecom_send import CHANNEL, WeComAdapter, WeComRobotAdapter
from bot.messages import Incoming, Kind, Media, classify_text, send_order
from bot.sanitize import clean_incoming

if TYPE_CHECKING:
    from bot.app import App
    from bot.config import Settings

log = logging.getLogger(__name__)

# Everything a forged or damaged request can make the decryption raise. InvalidSignatureException
# and InvalidCorpIdException are unrelated classes: both must be caught.
REFUSED = (InvalidSignatureException, InvalidCorpIdException, ValueError, KeyError, TypeError, IndexError,
           AttributeError, struct.error, ExpatError)
# Events that need no answer: sent by the platform, not by a person asking something.
GREETING_EVENTS = {"enter_agent", "subscribe"}


# ---- wiring -------------------------------------------------------------------------------------
def make_api(settings: "Settings", prefix: str = "inspector-bot") -> WeComApi:
    return WeComApi(settings.wecom_corp_id, settings.wecom_secret, settings.wecom_agent_id,
                    settings.wecom_api_base, token_store(settings.redis_url, prefix))


def state_prefix(state: Any) -> str:
    """The Redis key prefix of the state store (possibly wrapped), so the token lives beside it."""
    for candidate in (state, getattr(state, "primary", None)):
        prefix = getattr(candidate, "prefix", None)
        if isinstance(prefix, str):
            return prefix
    return "inspector-bot"


def add_wecom(app: "App") -> WeComAdapter:
    """Register the app adapter ("wecom") and the group robot adapter ("wecom_robot")."""
    if not app.settings.wecom_agent_id.strip().isdigit():
        log.warning("INSPECTOR_BOT_WECOM_AGENT_ID is not set to the app's numeric AgentId: sending will fail")
    api = make_api(app.settings, state_prefix(app.state))
    # Downloads stop past the largest file anything may be (the photo, voice and video limits).
    largest = max(app.settings.max_photo_bytes, app.settings.max_voice_bytes, app.settings.max_video_bytes)
    adapter = WeComAdapter(api, app.core.repos, largest,
                           rate_limit_wait=app.settings.wecom_rate_limit_wait_s)
    app.core.add_adapter(adapter)
    adapter.cards, adapter.state = app.settings.wecom_cards, app.state
    app.core.add_adapter(WeComRobotAdapter(api, app.state))
    return adapter


def http_routes(settings: "Settings", holder: dict[str, "App"]) -> list[Route]:
    """`GET/POST /wecom/callback`; none (with a warning) when no callback token / key is set."""
    if not (settings.wecom_token and settings.wecom_aes_key):
        log.warning("WeCom callback not served: INSPECTOR_BOT_WECOM_TOKEN / _AES_KEY are not set")
        return []
    callback = Callback(settings, holder)
    return [Route("/wecom/callback", callback.handle, methods=["GET", "POST"])]


# ---- the callback -------------------------------------------------------------------------------
class Callback:
    def __init__(self, settings: "Settings", holder: dict[str, "App"]) -> None:
        try:
            self.crypto = WeChatCrypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
        except (AssertionError, ValueError) as exc:
            raise ValueError("INSPECTOR_BOT_WECOM_AES_KEY is not a 43-character EncodingAESKey") from exc
        self.token = settings.wecom_token
        self.agent_id = settings.wecom_agent_id.strip()  # empty: not checked (sending is off anyway)
        self.max_bytes = settings.max_request_bytes
        self.holder = holder

    async def handle(self, request: Request) -> Response:
        q = request.query_params
        signature, timestamp, nonce = q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")
        if request.method == "GET":
            try:
                # base64 has no spaces: a "+" that reached us unescaped was decoded to one
                echo = self.verify_url(signature, timestamp, nonce, q.get("echostr", "").replace(" ", "+"))
            except REFUSED as exc:
                log.warning("WeCom URL check refused: %r", exc)
                return Response(status_code=403)
            return PlainTextResponse(echo)
        body = await _read_limited(request, self.max_bytes)
        if body is None:
            return Response(status_code=413)
        try:
            xml = self.decrypt(body, signature, timestamp, nonce)
        except REFUSED as exc:
            log.warning("WeCom callback refused: %r", exc)
            return Response(status_code=403)
        try:
            raw = _parsed(xml)  # once, for both
            agent, msg = agent_of(raw), clean_incoming(to_incoming(raw))
        except Exception:  # noqa: BLE001 - authentic but unreadable: a retry would not help
            log.exception("WeCom message could not be read: %.500s", xml)
            return Response(status_code=200)
        if self.agent_id and agent != self.agent_id:
            if agent:  # another app of this corp: not this one's to answer
                log.warning("WeCom callback for AgentID %s refused (this app is %s)", agent, self.agent_id)
                return Response(status_code=403)
            log.info("WeCom callback without an AgentID ignored")  # corp-wide events: nothing for the app
            return Response(status_code=200)
        if msg is None:
            return Response(status_code=200)
        app = self.holder["app"]
        try:
            fresh = await app.core.receive(msg)
        except Exception:  # noqa: BLE001 - not stored: a non-200 makes WeCom send it again
            log.exception("could not store the WeCom message %s", msg.msg_id)
            return Response(status_code=503)
        if fresh:
            app.core.schedule(msg)
        return Response(status_code=200)

    def _check(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        """Constant-time signature check (wechatpy's own compare is not)."""
        parts = sorted([self.token, timestamp, nonce, encrypted])
        expected = hashlib.sha1("".join(parts).encode()).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise InvalidSignatureException()

    def verify_url(self, signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        self._check(signature, timestamp, nonce, echostr)
        return self.crypto.check_signature(signature, timestamp, nonce, echostr)

    def decrypt(self, body: bytes, signature: str, timestamp: str, nonce: str) -> str:
        envelope = xmltodict.parse(body.decode("utf-8"))["xml"]
        self._check(signature, timestamp, nonce, envelope["Encrypt"])
        return self.crypto.decrypt_message(envelope, signature, timestamp, nonce)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, total = [], 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                return None
            chunks.append(chunk)
    except ClientDisconnect:
        return b""
    return b"".join(chunks)


# ---- WeCom XML -> Incoming ----------------------------------------------------------------------
def _parsed(xml: str | dict) -> dict:
    """The fields of a decrypted message (xml: its text, or those fields already)."""
    return xml if isinstance(xml, dict) else (xmltodict.parse(xml).get("xml") or {})


def agent_of(xml: str | dict) -> str:
    """The AgentID of a decrypted message or event ("" when it has none)."""
    return str(_parsed(xml).get("AgentID") or "").strip()


def _fits(key: str, limit: int = 64) -> str:
    """An EventKey short enough for the inbox's dedupe key (a long one by its hash)."""
    return key if len(key) <= limit else "#" + hashlib.sha256(key.encode()).hexdigest()[:32]


def to_incoming(xml: str | dict) -> Incoming | None:
    """The project's message for a decrypted WeCom message (its text, or its fields parsed); None
    for an event that needs no answer."""
    raw: dict[str, Any] = _parsed(xml)
    user = str(raw.get("FromUserName") or "")
    if not user:
        return None
    created = str(raw.get("CreateTime") or "")
    # CreateTime has whole seconds; MsgId orders the messages of one second.
    base = dict(channel=CHANNEL, user_id=user, chat_id=user, order=send_order(created, raw.get("MsgId")))
    msg_type = str(raw.get("MsgType") or "").lower()
    msg_id = str(raw.get("MsgId") or f"{user}:{created}:{msg_type}")
    if msg_type == "text":
        text = str(raw.get("Content") or "")
        return Incoming(**base, kind=classify_text(text), text=text.strip(), msg_id=msg_id)
    if msg_type == "image":
        media_id = str(raw.get("MediaId") or "")
        return Incoming(**base, kind=Kind.PHOTO, msg_id=msg_id,
                        media=Media(ref=media_id, filename=f"{media_id[-16:]}.jpg") if media_id else None)
    if msg_type in ("voice", "video"):  # kept as evidence (bot/recordings.py): AMR voice, MP4 video
        media_id = str(raw.get("MediaId") or "")
        fmt = str(raw.get("Format") or "amr").lower() if msg_type == "voice" else "mp4"
        mime = {"amr": "audio/amr", "mp4": "video/mp4"}.get(fmt, f"audio/{fmt}")
        return Incoming(**base, kind=Kind.VOICE if msg_type == "voice" else Kind.VIDEO, msg_id=msg_id,
                        media=Media(ref=media_id, filename=f"{media_id[-16:]}.{fmt}", mime=mime) if media_id else None)
    if msg_type == "location":
        return Incoming(**base, kind=Kind.LOCATION, latitude=float(raw["Location_X"]),
                        longitude=float(raw["Location_Y"]), text=str(raw.get("Label") or ""), msg_id=msg_id)
    if msg_type == "event":
        event = str(raw.get("Event") or "").lower()
        # Events carry no MsgId: WeCom's retries repeat the sender, the creation time and what was
        # tapped (two different menu taps in the same second are two events).
        key = str(raw.get("EventKey") or "")
        event_id = f"{user}:{created}:{event}:{_fits(key)}"
        if event == wecom_cards.CARD_EVENT:  # a tap on a template card's button: a press of that option
            return wecom_cards.tap_incoming(raw, base, user, created)
        if event == "click" or event in GREETING_EVENTS:
            return Incoming(**base, kind=Kind.EVENT, text=event, data=key if event == "click" else "",
                            msg_id=event_id)
        log.debug("WeCom event %s of %s needs no answer", event, user)
        return None
    return Incoming(**base, kind=Kind.UNSUPPORTED, text=msg_type, msg_id=msg_id)
