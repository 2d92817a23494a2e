"""Fixtures of the WeCom channel tests: the fake WeCom server and the bot served over HTTP with the
WeCom adapter, on both backends (SQLite + in-process state, PostgreSQL + Redis)."""

from __future__ import annotations

import httpx
import pytest

from bot.adapters.wecom import add_wecom
from bot.http import create_http_app
from storage.state import RedisStateStore
from tests.conftest import DEFAULT_NOW, REDIS_URL
from tests.harness import Harness
from tests.wecom.driver import WeComChat, serve, wecom_settings
from tests.wecom.fake_wecom import FakeWeCom


@pytest.fixture
def fake():
    server = FakeWeCom().start()
    yield server
    server.stop()


async def start_wecom_bot(backend, tmp_path, fake, **overrides) -> Harness:
    url, state = backend
    redis_url = REDIS_URL if isinstance(state, RedisStateStore) else ""
    harness = await Harness.start(url, state, tmp_path, DEFAULT_NOW,
                                  **wecom_settings(fake, redis_url=redis_url, **overrides))
    add_wecom(harness.app)
    return harness


@pytest.fixture
async def wecom(backend, tmp_path, fake):
    """A WeComChat talking to the bot served by `create_http_app` (the app of `inspector-bot serve`)."""
    harness = await start_wecom_bot(backend, tmp_path, fake)
    asgi = create_http_app(harness.app.settings, app=harness.app, maintain=False)
    try:
        async with serve(asgi) as base_url, httpx.AsyncClient(timeout=30) as http:
            yield WeComChat(harness, fake, base_url, http)
    finally:
        for adapter in harness.app.core.adapters.values():
            await adapter.close()
        await harness.close()
