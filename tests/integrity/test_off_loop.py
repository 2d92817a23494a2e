"""Image work never holds up the server: while three 6000×6600 photos are decoded and hashed, another
user's WeCom callback is acknowledged and /healthz answers, each in under a second (issue 15). Run
against the app of `inspector-bot serve` over HTTP, on PostgreSQL + Redis as in production."""

from __future__ import annotations

import asyncio
import io
import time

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from storage.models import Evidence
from tests.wecom.conftest import fake, wecom  # noqa: F401 - the WeCom fixtures
from tests.wecom.driver import xml_message
from tests.wecom.test_inspection_over_wecom import begin

SIZE = (6000, 6600)


@pytest.fixture
def backend(request, tmp_path):
    """Production's pair only: the point is the server, not the storage."""
    return request.getfixturevalue("pg_url"), request.getfixturevalue("redis_store")


def big_page(seed: int) -> bytes:
    """A scanned-page-like PNG of 6000×6600 pixels (ruled lines, a block of ink)."""
    img = Image.new("L", SIZE, 250)
    draw = ImageDraw.Draw(img)
    for y in range(200, SIZE[1], 110 + seed * 7):
        draw.line((150, y, SIZE[0] - 150, y), fill=40, width=5)
    draw.rectangle((400 + seed * 900, 700, 2400 + seed * 900, 2100), fill=90 + seed * 30)
    out = io.BytesIO()
    img.convert("RGB").save(out, "PNG", compress_level=1)
    return out.getvalue()


async def evidence(chat) -> list[Evidence]:
    async def q(repos):
        return list((await repos.session.scalars(select(Evidence).order_by(Evidence.id))).all())
    return await chat.h.query(q)


async def test_big_photos_do_not_delay_acks_or_healthz(wecom):  # noqa: F811 - the fixture
    senders = ["insp1", "insp2", "insp3"]
    for user in senders:
        await wecom.register(user, name=f"检查{user[-1]}")
        await begin(wecom, name=f"泽州县{user}煤业有限公司")
    await wecom.register("lisi", name="李四")
    photos = [big_page(i) for i in range(3)]

    # The three photos arrive together; each is acknowledged, then fetched and examined.
    for user, data in zip(senders, photos):
        msg_id, created = wecom._next()
        fields = {"PicUrl": "http://wework.qpic.cn/fake", "MediaId": wecom.fake.serve_media(data)}
        body, params = wecom.encrypt(xml_message(user, "image", fields, msg_id, created))
        assert (await wecom.post(body, params)).status_code == 200
    for _ in range(200):  # until the bot has fetched them: the image work has begun
        if len([c for c in wecom.fake.calls if c.path == "media/get"]) == 3:
            break
        await asyncio.sleep(0.02)

    acks, health, pending = [], [], []
    for i in range(4):
        msg_id, created = wecom._next()
        body, params = wecom.encrypt(xml_message("lisi", "text", {"Content": "帮助"}, msg_id, created))
        started = time.perf_counter()
        response = await wecom.post(body, params)
        acks.append(time.perf_counter() - started)
        assert response.status_code == 200
        started = time.perf_counter()
        assert (await wecom.http.get(f"{wecom.base_url}/healthz")).status_code == 200
        health.append(time.perf_counter() - started)
        pending.append(3 - len(await evidence(wecom)))
        await asyncio.sleep(0.25)
    assert pending[0] > 0, "the photos were done before the measurement: nothing was shown"
    assert max(acks) < 1.0, acks
    assert max(health) < 1.0, health

    await wecom.settle()
    stored = await evidence(wecom)
    assert len(stored) == 3 and all(e.phash and e.width == SIZE[0] for e in stored)
    assert len(wecom.fake.texts_to("lisi")) >= 4  # the other user was answered too
