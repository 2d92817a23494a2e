"""Fixtures: the real servers (PostgreSQL, Redis) and the console harness.

Storage and state tests run against both the embedded default (SQLite, in-process) and the real
servers on this machine. Without the servers the server half is skipped with the reason printed;
under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.harness import Harness

PG_URL = os.environ.get("INSPECTOR_BOT_TEST_POSTGRES_URL", "postgresql+asyncpg://root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("INSPECTOR_BOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TZ = ZoneInfo("Asia/Shanghai")
# Inside the 2023 campaign period unless a test says otherwise.
DEFAULT_NOW = datetime(2023, 5, 10, 9, 30, tzinfo=TZ)


def _unavailable(what: str, exc: BaseException) -> None:
    reason = f"{what} not reachable ({exc!r}); set INSPECTOR_BOT_TEST_{what.upper()}_URL or start it"
    if IN_CI:
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


async def _pg_admin(sql: str) -> None:
    import asyncpg

    dsn = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_template() -> str:
    """A migrated template database; each test copies it (fast) instead of migrating again."""
    from storage import db

    name = f"ib_tmpl_{uuid.uuid4().hex[:8]}"

    async def make() -> None:
        await _pg_admin(f'CREATE DATABASE "{name}"')
        engine = db.create_engine(PG_URL.rsplit("/", 1)[0] + "/" + name)
        try:
            await db.upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(make())
    except (OSError, asyncio.TimeoutError, ImportError) as exc:
        _unavailable("postgres", exc)
    yield name
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def pg_url(pg_template: str):
    name = f"ib_test_{uuid.uuid4().hex[:10]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/inspector.db"


@pytest.fixture
async def redis_store():
    from storage.state import RedisStateStore

    store = RedisStateStore.from_url(REDIS_URL, prefix=f"ib-test-{uuid.uuid4().hex[:8]}")
    try:
        await store.ping()
    except (OSError, ConnectionError, TimeoutError) as exc:
        await store.close()
        _unavailable("redis", exc)
    except Exception as exc:  # redis.exceptions.ConnectionError is not an OSError
        await store.close()
        _unavailable("redis", exc)
    yield store
    keys = [k async for k in store.redis.scan_iter(match=f"{store.prefix}:*")]
    if keys:
        await store.redis.delete(*keys)
    await store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """Every storage test runs on the embedded SQLite and on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/inspector.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["memory", "redis"])
def state_store(request):
    """Every state-store test runs in-process and against the Redis server."""
    if request.param == "memory":
        from storage.state import MemoryStateStore

        return MemoryStateStore()
    return request.getfixturevalue("redis_store")


@pytest.fixture(params=["embedded", "servers"])
def backend(request, tmp_path):
    """The embedded default (SQLite + in-process state) and the production pair (PostgreSQL + Redis)."""
    if request.param == "embedded":
        from storage.state import MemoryStateStore

        return f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore()
    return request.getfixturevalue("pg_url"), request.getfixturevalue("redis_store")


@pytest.fixture
async def bot(backend, tmp_path):
    """The console harness, on both backends."""
    url, state = backend
    harness = await Harness.start(url, state, tmp_path, DEFAULT_NOW)
    yield harness
    await harness.close()


@pytest.fixture
async def embedded_bot(tmp_path):
    from storage.state import MemoryStateStore

    harness = await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore(),
                                  tmp_path, DEFAULT_NOW)
    yield harness
    await harness.close()


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    """Small evidence photos the tests make, plus files that are not photos."""
    import random

    from PIL import Image, ImageDraw

    out = {}
    for seed, name in enumerate(("plan", "sheet", "cert", "form")):
        # Distinct, structured pictures (flat colours would all look alike to a perceptual hash).
        rnd = random.Random(seed)
        img = Image.new("RGB", (320, 240), tuple(rnd.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x, y = rnd.randrange(300), rnd.randrange(220)
            draw.rectangle((x, y, x + rnd.randrange(20, 120), y + rnd.randrange(20, 90)),
                           fill=tuple(rnd.randrange(256) for _ in range(3)))
        path = tmp_path / f"{name}.jpg"
        img.save(path, "JPEG")
        out[name] = path
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"%PDF-1.4 this is not an image")
    out["fake"] = fake
    return out
