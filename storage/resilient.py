"""Redis is for speed, never the truth: when it cannot be reached the bot keeps answering.

`ResilientStateStore` wraps the Redis store. Cursors are also kept in process memory, and
while Redis is down other values live there too and per-user locks are taken in the database: a
PostgreSQL advisory lock, which all processes share, or an in-process lock on SQLite (one process). A cursor that is not the one saved after the user's last handled message
(Redis came back with an old copy, another process moved on) is refused by the core.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from typing import Any, AsyncIterator

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.state import CURSOR_TTL, Held, LockTimeout, MemoryStateStore, StateKey, StateStore

log = logging.getLogger(__name__)
RETRY_AFTER = 5.0  # seconds before Redis is tried again after a failure


class DatabaseLocks:
    """Per-name locks in the database (PostgreSQL advisory locks), in process memory on SQLite."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._memory = MemoryStateStore()

    @contextlib.asynccontextmanager
    async def lock(self, name: str, wait: float) -> AsyncIterator[None]:
        if self.engine.dialect.name != "postgresql":
            async with self._memory.lock(name, wait=wait):
                yield
            return
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        deadline = time.monotonic() + wait
        while True:
            # A connection is held only while the lock is: waiting must not drain the pool that the
            # lock's holder needs to finish.
            conn = await self.engine.connect()
            try:
                if await conn.scalar(select(func.pg_try_advisory_lock(key))):
                    break
            except BaseException:
                await conn.close()
                raise
            await conn.close()
            if time.monotonic() >= deadline:
                raise LockTimeout(name)
            await asyncio.sleep(0.05)
        try:
            yield
        finally:
            try:
                await conn.scalar(select(func.pg_advisory_unlock(key)))
                await conn.commit()
            finally:
                await conn.close()


class ResilientStateStore(StateStore):
    def __init__(self, primary: StateStore, locks: DatabaseLocks) -> None:
        self.primary = primary
        self.memory = MemoryStateStore()
        self.locks = locks
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, what: str, exc: BaseException) -> None:
        if not self.degraded:
            log.warning("state store unavailable (%s: %r); working from memory and the database", what, exc)
        self._down_until = time.monotonic() + RETRY_AFTER

    async def _try(self, what: str, op, *args, **kwargs) -> tuple[bool, Any]:
        if self.degraded:
            return False, None
        try:
            return True, await op(*args, **kwargs)
        except (LockTimeout, asyncio.CancelledError):
            raise
        except Exception as exc:  # noqa: BLE001 - any Redis or network error
            self._failed(what, exc)
            return False, None

    async def get(self, key: StateKey) -> dict[str, Any] | None:
        ok, value = await self._try("get", self.primary.get, key)
        # Redis restarted empty, or unreachable: this process's copy. The core checks that a cursor is
        # the one saved after the user's last handled message, so a stale copy is never used.
        return value if ok and value is not None else await self.memory.get(key)

    async def set(self, key: StateKey, value: dict[str, Any], ttl: int = CURSOR_TTL) -> None:
        await self.memory.set(key, value, ttl)
        await self._try("set", self.primary.set, key, value, ttl)

    async def delete(self, key: StateKey) -> None:
        await self.memory.delete(key)
        await self._try("delete", self.primary.delete, key)

    async def hit(self, name: str, limit: int, window: int) -> bool:
        ok, value = await self._try("hit", self.primary.hit, name, limit, window)
        return value if ok else await self.memory.hit(name, limit, window)

    async def get_value(self, name: str) -> str | None:
        ok, value = await self._try("get_value", self.primary.get_value, name)
        return value if ok else await self.memory.get_value(name)

    async def set_value(self, name: str, value: str, ttl: int | None = None, only_new: bool = False) -> bool:
        ok, result = await self._try("set_value", self.primary.set_value, name, value, ttl, only_new)
        return result if ok else await self.memory.set_value(name, value, ttl, only_new)

    async def delete_value(self, name: str) -> None:
        await self._try("delete_value", self.primary.delete_value, name)
        await self.memory.delete_value(name)

    @contextlib.asynccontextmanager
    async def lock(self, name: str, ttl: float = 60.0, wait: float = 30.0) -> AsyncIterator[None]:
        held = None
        if not self.degraded:
            held = self.primary.lock(name, ttl=ttl, wait=wait)
            try:
                handle = await held.__aenter__()
            except LockTimeout:
                raise
            except Exception as exc:  # noqa: BLE001
                self._failed("lock", exc)
                held = None
        if held is None:
            async with self.locks.lock(name, wait):
                yield Held()  # a session advisory lock: it ends only with its connection
            return
        try:
            yield handle
        finally:
            try:
                await held.__aexit__(None, None, None)
            except Exception as exc:  # noqa: BLE001 - it expires on its own
                self._failed("unlock", exc)

    async def ping(self) -> None:
        await self.primary.ping()

    async def close(self) -> None:
        await self.primary.close()
