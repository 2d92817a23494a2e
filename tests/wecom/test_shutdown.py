"""Graceful shutdown: what was acknowledged to WeCom is finished before the server exits."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from bot.http import create_http_app
from storage.models import InboxMessage
from tests.wecom.conftest import start_wecom_bot
from tests.wecom.driver import WeComChat, serve, xml_message
from tests.wecom.test_slow_database import slow_database


async def test_shutdown_finishes_acknowledged_messages(backend, tmp_path, fake):
    harness = await start_wecom_bot(backend, tmp_path, fake)
    asgi = create_http_app(harness.app.settings, app=harness.app, maintain=False)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            chat = WeComChat(harness, fake, "", http)
            await chat.register()
            body, params = chat.encrypt(xml_message("zhangjc", "text", {"Content": "开始检查"}, "9300", 1700000000))
            with slow_database(harness.app.engine, 0.3):
                async with serve(asgi) as base_url:
                    chat.base_url = base_url
                    response = await chat.post(body, params)
                    assert response.status_code == 200
                    await asyncio.sleep(0.1)
                    assert fake.texts_to("zhangjc") == []  # acknowledged, still being handled
                # leaving `serve` stops the server: the lifespan drains what was acknowledged
        assert fake.texts_to("zhangjc") == ["请输入被检查单位名称（几个字即可，我来查找）："]
        rows = await harness.query(lambda r: r.session.scalars(select(InboxMessage.status)))
        assert list(rows) == ["done"]
    finally:
        for adapter in harness.app.core.adapters.values():
            await adapter.close()
        await harness.close()
