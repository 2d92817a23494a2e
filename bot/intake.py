"""Group commit of incoming messages: the ack path's one write.

Every platform message must be committed to the inbox before it is acknowledged. Under load many
callbacks wait for that at once; `InboxWriter` writes all that are waiting in one INSERT ... ON
CONFLICT DO NOTHING and one commit (autocommit: a single statement, one round trip), and the next
batch goes while that one is written. No timer: a lone message is written at once, and under load a
batch is whatever arrived during the previous write (a few ms), so the database commits a few
hundred times a second at most instead of once per message.

The inbox's unique key (channel, dedupe_key) decides what is new: a platform's retry of a stored
message, or a repeat within one batch, comes back as None. A failed write fails every caller of that
batch (none is acknowledged, so the platforms send them again).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from storage.repositories import InboxRepo

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import async_sessionmaker

MAX_BATCH = 200


class InboxWriter:
    def __init__(self, sessions: "async_sessionmaker", max_batch: int = MAX_BATCH) -> None:
        self.sessions = sessions
        self.max_batch = max_batch
        self._waiting: list[tuple[dict, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None
        self.batches = 0  # statements written (for the benchmark and the tests)

    async def add(self, channel: str, dedupe_key: str, user_key: str, payload: dict, **columns) -> int | None:
        """Commit one message (`columns`: more inbox columns); its inbox id, or None when it was
        stored before (a retry). The other columns get their defaults."""
        row = dict(channel=channel, dedupe_key=dedupe_key, user_key=user_key, payload=payload,
                   received_at=datetime.now(timezone.utc), **columns)
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((row, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await done

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:self.max_batch], self._waiting[self.max_batch:]
            batch = [(row, done) for row, done in batch if not done.done()]  # a caller gone: not waited for
            if not batch:
                continue
            try:
                stored = await self._write([row for row, _ in batch])
            except BaseException as exc:  # noqa: BLE001 - every caller of the batch gets it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc if isinstance(exc, Exception) else RuntimeError(repr(exc)))
                if not isinstance(exc, Exception):
                    raise
                continue
            for row, done in batch:
                # A repeat within the batch: the first one of the key takes the id.
                row_id = stored.pop((row["channel"], row["dedupe_key"]), None)
                if not done.done():
                    done.set_result(row_id)

    async def _write(self, rows: list[dict]) -> dict[tuple[str, str], int]:
        self.batches += 1
        session = self.sessions()
        try:
            # One statement needs no transaction around it: no BEGIN / COMMIT round trips.
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            return await InboxRepo(session).add_many(rows)
        finally:
            await session.close()
