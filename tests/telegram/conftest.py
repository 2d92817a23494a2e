"""Fixtures of the Telegram tests: the fake Bot API, the bot pointed at it (on both backends), and
the two ways updates arrive (long polling, webhook on a real uvicorn server)."""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from bot.adapters.telegram import add_telegram
from bot.adapters.telegram_polling import poll
from bot.app import build_app
from bot.config import Settings
from bot.http import create_http_app
from tests.conftest import DEFAULT_NOW
from tests.telegram.driver import SECRET, Polling, TgUser, Webhook, adapter_of
from tests.telegram.fake_api import TOKEN, FakeBotAPI

INSPECTOR, ADMIN, SUPERVISOR = 1001, 2001, 3001
GROUP = -1009876543210
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"


class TgSettings(Settings):
    # The public URL the webhook is registered at (TELEGRAM_WEBHOOK_URL; asked for in bot/config.py).
    telegram_webhook_url: str = ""


@pytest.fixture
def fake_api():
    fake = FakeBotAPI().start()
    assert urlsplit(fake.base).hostname == "127.0.0.1"  # tests never reach a real host
    yield fake
    fake.stop()


def tg_settings(url: str, tmp_path, fake: FakeBotAPI, **overrides) -> TgSettings:
    values = dict(database_url=url, media_dir=tmp_path / "media", telegram_token=TOKEN,
                  telegram_api_base=fake.base, telegram_webhook_secret=SECRET, _env_file=None,
                  order_window_ms=20)  # short: the tests send one message at a time (test_order.py: bursts)
    values.update(overrides)
    return TgSettings(**values)


async def register(app, telegram_id: int, name: str, role: str, bureau: str = "泽州县") -> None:
    repos = app.core.repos()
    try:
        member = await repos.org.add_member(name, await repos.org.bureau(bureau), role)
        await repos.org.link_identity(member, "telegram", str(telegram_id))
        await repos.commit()
    finally:
        await repos.session.close()


@pytest.fixture
async def tg_app(backend, tmp_path, fake_api):
    """The bot with its Telegram adapter talking to the fake, and three registered people."""
    url, state = backend
    clock = [DEFAULT_NOW]
    app = await build_app(tg_settings(url, tmp_path, fake_api), clock=lambda: clock[0], state=state)
    add_telegram(app)
    await register(app, INSPECTOR, "张检查", "inspector")
    await register(app, ADMIN, "管理员甲", "admin", "晋城市")
    await register(app, SUPERVISOR, "督查乙", "supervisor")
    yield app
    await app.core.drain()
    await adapter_of(app).close()
    await app.engine.dispose()


@pytest.fixture
async def polling(tg_app, fake_api):
    task = asyncio.create_task(poll(adapter_of(tg_app), timeout=1, retry_delays=(0.05,)))
    yield Polling(tg_app, fake_api)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def server(tg_app):
    """`inspector-bot serve`'s ASGI app for this App, on a real uvicorn server in this event loop."""
    http_app = create_http_app(tg_app.settings, app=tg_app, maintain=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(http_app, log_level="warning", lifespan="on"))
    task = asyncio.create_task(srv.serve(sockets=[sock]))
    while not srv.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        yield client
    srv.should_exit = True
    await task


@pytest.fixture
async def webhook(tg_app, server):
    return Webhook(tg_app, server)


@pytest.fixture(params=["polling", "webhook"])
def transport(request, tg_app):
    """Both ways Telegram delivers updates."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def inspector(fake_api, transport) -> TgUser:
    return TgUser(fake_api, transport, INSPECTOR, "张检查")
