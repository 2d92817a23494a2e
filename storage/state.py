"""State stores: conversation cursors, per-user locks, rate limits, token cache.

Two backends with one contract: in-process (embedded default, one process) and Redis (production,
shared by every server process). Values are JSON only. Nothing here is the truth: a lost key costs
speed, never an answer (cursors are rebuilt from the database; platform retries are recognised by
the inbox's unique key, not here).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from abc import ABC, abstractmethod
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator

CURSOR_TTL = 30 * 24 * 3600  # a paused inspection may be resumed weeks later


@dataclass(frozen=True)
class StateKey:
    """Whose conversation: the channel is part of the key because WeCom and Telegram ids collide."""

    channel: str
    chat_id: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.chat_id}:{self.user_id}"


class LockTimeout(Exception):
    pass


class Held:
    """What `lock()` yields: `lost` turns true when a lock that expires (Redis) could not be kept
    alive, so another process may hold it now. Work done under it must then not be committed."""

    def __init__(self) -> None:
        self.lost = False


class StateStore(ABC):
    @abstractmethod
    async def get(self, key: StateKey) -> dict[str, Any] | None: ...

    @abstractmethod
    async def set(self, key: StateKey, value: dict[str, Any], ttl: int = CURSOR_TTL) -> None: ...

    @abstractmethod
    async def delete(self, key: StateKey) -> None: ...

    @abstractmethod
    async def hit(self, name: str, limit: int, window: int) -> bool:
        """Count one event; True while at most `limit` happened in the current `window` seconds."""

    @abstractmethod
    async def get_value(self, name: str) -> str | None: ...

    @abstractmethod
    async def set_value(self, name: str, value: str, ttl: int | None = None, only_new: bool = False) -> bool: ...

    @abstractmethod
    async def delete_value(self, name: str) -> None: ...

    @abstractmethod
    def lock(self, name: str, ttl: float = 60.0, wait: float = 30.0) -> Any:
        """An async context manager holding an exclusive lock on `name` (across processes for Redis)."""

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


class MemoryStateStore(StateStore):
    SWEEP_EVERY = 1000  # writes between sweeps of expired entries (some are never read again)

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._writes = 0

    def _alive(self, name: str) -> str | None:
        item = self._data.get(name)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= time.monotonic():
            del self._data[name]
            return None
        return value

    def _put(self, name: str, value: str, ttl: float | None) -> None:
        self._data[name] = (value, time.monotonic() + ttl if ttl else None)
        self._writes += 1
        if self._writes % self.SWEEP_EVERY == 0:
            now = time.monotonic()
            for dead in [k for k, (_, exp) in self._data.items() if exp is not None and exp <= now]:
                del self._data[dead]

    async def get(self, key: StateKey) -> dict[str, Any] | None:
        raw = self._alive(f"state:{key}")
        return json.loads(raw) if raw is not None else None

    async def set(self, key: StateKey, value: dict[str, Any], ttl: int = CURSOR_TTL) -> None:
        self._put(f"state:{key}", json.dumps(value, ensure_ascii=False), ttl)

    async def delete(self, key: StateKey) -> None:
        self._data.pop(f"state:{key}", None)

    async def hit(self, name: str, limit: int, window: int) -> bool:
        bucket = f"rate:{name}:{int(time.time() // window)}"
        count = int(self._alive(bucket) or 0) + 1
        self._put(bucket, str(count), window)
        return count <= limit

    async def get_value(self, name: str) -> str | None:
        return self._alive(f"kv:{name}")

    async def set_value(self, name: str, value: str, ttl: int | None = None, only_new: bool = False) -> bool:
        name = f"kv:{name}"
        if only_new and self._alive(name) is not None:
            return False
        self._put(name, value, ttl)
        return True

    async def delete_value(self, name: str) -> None:
        self._data.pop(f"kv:{name}", None)

    @asynccontextmanager
    async def lock(self, name: str, ttl: float = 60.0, wait: float = 30.0) -> AsyncIterator[None]:
        lock = self._locks.setdefault(name, asyncio.Lock())
        try:
            await asyncio.wait_for(lock.acquire(), wait)
        except asyncio.TimeoutError as exc:
            raise LockTimeout(name) from exc
        try:
            yield Held()
        finally:
            lock.release()
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self._locks.pop(name, None)


_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""
_EXTEND = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end
"""


class RedisStateStore(StateStore):
    def __init__(self, client: Any, prefix: str = "inspector-bot") -> None:
        self.redis = client
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str = "inspector-bot") -> "RedisStateStore":
        import redis.asyncio as aioredis

        # A blocking pool: under a burst, callers wait for a connection instead of failing.
        pool = aioredis.BlockingConnectionPool.from_url(url, decode_responses=True, socket_timeout=5,
                                                        socket_connect_timeout=3, max_connections=100, timeout=10)
        return cls(aioredis.Redis(connection_pool=pool), prefix)

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    async def get(self, key: StateKey) -> dict[str, Any] | None:
        raw = await self.redis.get(self._k("state", str(key)))
        return json.loads(raw) if raw is not None else None

    async def set(self, key: StateKey, value: dict[str, Any], ttl: int = CURSOR_TTL) -> None:
        await self.redis.set(self._k("state", str(key)), json.dumps(value, ensure_ascii=False), ex=ttl)

    async def delete(self, key: StateKey) -> None:
        await self.redis.delete(self._k("state", str(key)))

    async def hit(self, name: str, limit: int, window: int) -> bool:
        bucket = self._k("rate", name, str(int(time.time() // window)))
        async with self.redis.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(bucket).expire(bucket, window).execute()
        return int(count) <= limit

    async def get_value(self, name: str) -> str | None:
        return await self.redis.get(self._k("kv", name))

    async def set_value(self, name: str, value: str, ttl: int | None = None, only_new: bool = False) -> bool:
        return bool(await self.redis.set(self._k("kv", name), value, ex=ttl, nx=only_new))

    async def delete_value(self, name: str) -> None:
        await self.redis.delete(self._k("kv", name))

    @asynccontextmanager
    async def lock(self, name: str, ttl: float = 60.0, wait: float = 30.0) -> AsyncIterator[None]:
        key = self._k("lock", name)
        token = uuid.uuid4().hex
        ttl_ms = int(ttl * 1000)
        deadline = time.monotonic() + wait
        delay = 0.005
        while not await self.redis.set(key, token, px=ttl_ms, nx=True):
            if time.monotonic() >= deadline:
                raise LockTimeout(name)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.1)
        held = Held()
        keeper = asyncio.create_task(self._keep(key, token, ttl_ms, held))
        try:
            yield held
        finally:
            keeper.cancel()
            await self.redis.eval(_RELEASE, 1, key, token)

    async def _keep(self, key: str, token: str, ttl_ms: int, held: Held) -> None:
        """Extend the lock while its holder is still working (a slow photo download, say); a
        failed extension marks it lost (it may have expired and gone to another process)."""
        while True:
            await asyncio.sleep(ttl_ms / 3000)
            try:
                kept = await self.redis.eval(_EXTEND, 1, key, token, ttl_ms)
            except Exception:  # noqa: BLE001 - Redis gone: the lock may expire under us
                kept = 0
            if not kept:
                held.lost = True
                return

    async def ping(self) -> None:
        await self.redis.ping()

    async def close(self) -> None:
        await self.redis.aclose()


def state_store_from_url(url: str) -> StateStore:
    return RedisStateStore.from_url(url) if url else MemoryStateStore()
