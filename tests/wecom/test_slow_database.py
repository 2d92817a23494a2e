"""WeCom gives up after 5 seconds: the callback is acknowledged at once, with the message committed
to the inbox, while handling it (slow, because the database is slow) happens afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import time

import asyncpg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.util import await_only

from storage.models import InboxMessage
from tests.wecom.driver import xml_message

STATEMENT_DELAY = 0.6  # seconds per SQL statement: a database on a slow, busy server


@contextlib.contextmanager
def slow_database(engine, delay: float):
    """Every statement of the bot's engine waits `delay` before it runs (without blocking the loop)."""
    def wait(conn, cursor, statement, parameters, context, executemany):
        await_only(asyncio.sleep(delay))

    event.listen(engine.sync_engine, "before_cursor_execute", wait)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", wait)


async def test_acknowledged_at_once_while_the_database_is_slow(wecom):
    await wecom.register()
    body, params = wecom.encrypt(xml_message("zhangjc", "text", {"Content": "开始检查"}, "9100", 1700000000))
    with slow_database(wecom.h.app.engine, STATEMENT_DELAY):
        started = time.monotonic()
        response = await wecom.post(body, params)
        acked = time.monotonic() - started
        assert (response.status_code, response.content) == (200, b"")
        assert acked < 2.0, f"acknowledged after {acked:.1f}s"
        # Committed before the acknowledgement: a crash now would not lose it.
        stored = await wecom.h.query(lambda r: r.session.scalar(select(func.count()).select_from(InboxMessage)))
        assert stored == 1
        await wecom.settle()
        handled = time.monotonic() - started
    # Handling it took longer than WeCom waits: answering in the callback would have missed it.
    assert handled > 5.0, f"handled in {handled:.1f}s: the database was not slow enough to prove anything"
    assert wecom.fake.texts_to("zhangjc") == ["请输入被检查单位名称（几个字即可，我来查找）："]


@pytest.mark.parametrize("backend", ["servers"], indirect=True)
async def test_acknowledged_while_another_connection_locks_a_table(wecom):
    """PostgreSQL: another session holds an exclusive lock on the members table for 6 seconds."""
    await wecom.register()
    url = wecom.h.app.settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    other = await asyncpg.connect(url)
    try:
        tx = other.transaction()
        await tx.start()
        await other.execute("LOCK TABLE members IN ACCESS EXCLUSIVE MODE")
        body, params = wecom.encrypt(xml_message("zhangjc", "text", {"Content": "开始检查"}, "9101", 1700000000))
        started = time.monotonic()
        response = await wecom.post(body, params)
        assert response.status_code == 200 and time.monotonic() - started < 2.0
        await asyncio.sleep(6)
        assert wecom.fake.texts_to("zhangjc") == []  # still waiting for the lock
        await tx.rollback()
    finally:
        await other.close()
    await wecom.settle()
    assert wecom.fake.texts_to("zhangjc") == ["请输入被检查单位名称（几个字即可，我来查找）："]
