"""The WeCom server API through wechatpy's synchronous client. Callers run these methods in a
thread (asyncio.to_thread): the client is blocking.

Every call goes to WECOM_API_BASE (政务微信, or a local fake in tests), the access-token request
and media download included: wechatpy sends those two to its fixed public host, so they are
overridden here. The access token is kept in a token store (Redis when configured, shared by all
server processes) and, when the server says it expired (errcode 40014/42001), refreshed once under
a lock: the first process to notice fetches a new one, the others find it already replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from bot import redact

log = logging.getLogger(__name__)

TOKEN_EXPIRED = frozenset({40014, 42001})
TOKEN_MARGIN = 300  # forget a token this many seconds before WeCom does
TIMEOUT = 15


class WeComError(Exception):
    """The WeCom server refused a call (errcode != 0) or answered with something unexpected."""


# ---- token stores: wechatpy's SessionStorage contract plus a lock -------------------------------
class MemoryTokenStore(SessionStorage):
    """One process: a dict with expiry and a thread lock."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Any, float | None]] = {}
        self._lock = threading.Lock()

    def get(self, key, default=None):
        item = self._data.get(key)
        if item is None:
            return default
        value, expires = item
        if expires is not None and expires <= time.monotonic():
            self._data.pop(key, None)
            return default
        return value

    def set(self, key, value, ttl=None):
        if value is not None:
            self._data[key] = (value, time.monotonic() + ttl if ttl else None)

    def delete(self, key):
        self._data.pop(key, None)

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        with self._lock:
            yield


class RedisTokenStore(SessionStorage):
    """Shared by every process through Redis (a synchronous client: callers are in threads).
    While Redis cannot be reached the process keeps its own token in memory and goes on."""

    def __init__(self, client: Any, prefix: str = "inspector-bot") -> None:
        import redis

        self.redis = client
        self.prefix = prefix
        self.fallback = MemoryTokenStore()
        self._errors = (redis.RedisError, OSError)

    @classmethod
    def from_url(cls, url: str, prefix: str = "inspector-bot") -> "RedisTokenStore":
        import redis

        return cls(redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=3),
                   prefix)

    def _k(self, key: str) -> str:
        # The key embeds the secret's first characters (wechatpy's naming): hash it.
        return f"{self.prefix}:wecom-token:{hashlib.sha256(key.encode()).hexdigest()[:24]}"

    def get(self, key, default=None):
        try:
            value = self.redis.get(self._k(key))
        except self._errors as exc:
            log.warning("Redis unavailable for the WeCom token (%r); using this process's own", exc)
            return self.fallback.get(key, default)
        return default if value is None else value

    def set(self, key, value, ttl=None):
        self.fallback.set(key, value, ttl)
        try:
            if value is not None:
                self.redis.set(self._k(key), value, ex=ttl or None)
        except self._errors as exc:
            log.warning("Redis unavailable for the WeCom token (%r)", exc)

    def delete(self, key):
        self.fallback.delete(key)
        try:
            self.redis.delete(self._k(key))
        except self._errors:
            pass

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        try:
            lock = self.redis.lock(self._k(name) + ":lock", timeout=30, blocking_timeout=30)
            acquired = lock.acquire()
        except self._errors as exc:
            log.warning("Redis unavailable for the WeCom token lock (%r); locking in this process", exc)
            with self.fallback.lock(name):
                yield
            return
        try:
            yield
        finally:
            if acquired:
                try:
                    lock.release()
                except Exception:  # noqa: BLE001 - expired or Redis gone: it times out by itself
                    log.debug("WeCom token lock already released", exc_info=True)

    def close(self) -> None:
        self.redis.close()


def token_store(redis_url: str, prefix: str = "inspector-bot") -> MemoryTokenStore | RedisTokenStore:
    return RedisTokenStore.from_url(redis_url, prefix) if redis_url else MemoryTokenStore()


# ---- the client ---------------------------------------------------------------------------------
class _Client(WeChatClient):
    """wechatpy's enterprise client with every URL on `api_base` and the token shared."""

    def __init__(self, corp_id: str, secret: str, api_base: str, store, timeout: float) -> None:
        super().__init__(corp_id, secret, session=store, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base  # instance attribute: every relative endpoint goes here

    def fetch_access_token(self) -> dict:
        res = self._http.get(self.API_BASE_URL + "gettoken", timeout=self.timeout,
                             params={"corpid": self.corp_id, "corpsecret": self.secret})
        res.raise_for_status()
        result = res.json()
        if result.get("errcode", 0) != 0 or not result.get("access_token"):
            raise WeChatClientException(result.get("errcode"), result.get("errmsg"), client=self,
                                        request=res.request, response=res)
        redact.remember(result["access_token"], runtime=True)  # blanked wherever it would be written
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], max(expires_in - TOKEN_MARGIN, 60))
        return result

    @property
    def access_token(self) -> str:
        return self.session.get(self.access_token_key) or self.refresh_token(stale=None)

    def refresh_token(self, stale: str | None) -> str:
        """A new token unless another thread or process replaced `stale` already."""
        with self.session.lock(self.access_token_key):
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return current
            log.info("fetching a WeCom access token")
            self.fetch_access_token()
            return self.session.get(self.access_token_key)


class WeComApi:
    """The calls the bot makes. Blocking: run them with asyncio.to_thread."""

    def __init__(self, corp_id: str, secret: str, agent_id: str, api_base: str, store,
                 timeout: float = TIMEOUT) -> None:
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self.client = _Client(corp_id, secret, self.api_base, store, timeout)
        self.agent_id = int(agent_id) if str(agent_id).strip().isdigit() else 0
        self.timeout = timeout

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run one API call; on an expired token refresh it once and try again, once."""
        stale = self.client.access_token
        try:
            return fn()
        except WeChatClientException as exc:
            if exc.errcode not in TOKEN_EXPIRED:
                raise
            log.info("WeCom access token expired (errcode %s); refreshing", exc.errcode)
        self.client.refresh_token(stale=stale)
        return fn()

    # ---- app messages
    def send_message(self, user_id: str, msg: dict) -> dict:
        return self._call(lambda: self.client.post(
            "message/send", data={"touser": user_id, "agentid": self.agent_id, **msg}))

    def update_card(self, payload: dict) -> dict:
        """message/update_template_card (bot.adapters.wecom_cards.update_payload)."""
        return self._call(lambda: self.client.post("message/update_template_card", data=payload))

    def send_appchat(self, chat_id: str, msg: dict) -> dict:
        return self._call(lambda: self.client.post("appchat/send", data={"chatid": chat_id, **msg}))

    def upload(self, kind: str, filename: str, data: bytes) -> str:
        """Upload temporary media (image | file); its media_id."""
        result = self._call(lambda: self.client.post(
            "media/upload", params={"type": kind}, files={"media": (filename, data)}))
        return _media_id(result)

    def download(self, media_id: str, limit: int) -> bytes:
        """Temporary media by id; at most `limit` + 1 bytes (enough to tell it is too big)."""
        return self._call(lambda: self._download(media_id, limit))

    def _download(self, media_id: str, limit: int) -> bytes:
        params = {"access_token": self.client.access_token, "media_id": media_id}
        with self.client._http.get(self.api_base + "media/get", params=params, stream=True,
                                   timeout=self.timeout) as res:
            res.raise_for_status()
            ctype = res.headers.get("Content-Type", "")
            if ctype.startswith(("application/json", "text/")):  # an error, not the file
                result = json.loads(res.content[:65536] or b"{}")
                raise WeChatClientException(result.get("errcode"), result.get("errmsg"), client=self.client,
                                            request=res.request, response=res)
            chunks, total = [], 0
            for chunk in res.iter_content(65536):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    break
            return b"".join(chunks)[: limit + 1]

    def create_menu(self, menu: dict) -> dict:
        return self._call(lambda: self.client.post("menu/create", params={"agentid": self.agent_id}, data=menu))

    # ---- group robots (a webhook key each; no access token)
    def robot_send(self, key: str, msg: dict) -> dict:
        return self.client.post("webhook/send", params={"key": key, "access_token": None}, data=msg)

    def robot_upload(self, key: str, filename: str, data: bytes) -> str:
        result = self.client.post("webhook/upload_media", params={"key": key, "type": "file", "access_token": None},
                                  files={"media": (filename, data)})
        return _media_id(result)

    def close(self) -> None:
        self.client._http.close()
        closer = getattr(self.client.session, "close", None)
        if closer:
            closer()


def _media_id(result: Any) -> str:
    if not isinstance(result, dict) or not result.get("media_id"):
        raise WeComError(f"upload answered without a media_id: {str(result)[:200]}")
    return str(result["media_id"])
