"""The evidence store cannot be written to (object storage down or misconfigured, a full disk): the
photo is refused with a reply, nothing is half-written, the inspection goes on; readiness says so."""

from __future__ import annotations

import errno
import os

import httpx

from bot import texts
from bot.http import create_http_app
from storage.models import Answer, CaseFile, Evidence
from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from tests.conversations.test_inspection import begin
from tests.documents.drive import rows
from tests.harness import Harness
from tests.media.conftest import create_bucket, dead_endpoint, s3_settings


async def embedded(tmp_path, **overrides) -> Harness:
    return await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore(), tmp_path,
                               DEFAULT_NOW, **overrides)


async def readiness(bot) -> httpx.Response:
    http = create_http_app(bot.app.settings, app=bot.app, maintain=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=http), base_url="http://bot") as client:
        return await client.get("/readyz")


async def test_object_store_down_photo_refused_inspection_goes_on(tmp_path, images):
    bot = await embedded(tmp_path, **s3_settings(dead_endpoint(), "evidence"))
    try:
        await bot.register()
        await begin(bot)
        reply = await bot.say(f"/photo {images['plan']} 培训计划")
        assert texts.PHOTO_STORE_DOWN in reply and "1.1" in reply  # told, and asked the same step again
        assert await rows(bot, Evidence) == []
        assert "1.1：符合" in await bot.say("符合")  # the inspection goes on
        assert [a.requirement_id for a in await rows(bot, Answer)] == ["1.1"]
        ready = await readiness(bot)
        assert ready.status_code == 503 and ready.json()["media"] == "error: StoreUnavailable"
        assert ready.json()["database"] == "ok"
    finally:
        await bot.app.close()


async def test_a_missing_bucket_refuses_photos_until_it_exists(tmp_path, images, s3_endpoint):
    settings = s3_settings(s3_endpoint, "ib-not-yet-created")
    bot = await embedded(tmp_path, **settings)
    try:
        await bot.register()
        await begin(bot)
        assert texts.PHOTO_STORE_DOWN in await bot.say(f"/photo {images['plan']}")
        assert await rows(bot, Evidence) == [] and (await readiness(bot)).status_code == 503
        await create_bucket(s3_endpoint, "ib-not-yet-created")  # the operator fixes it: no restart needed
        assert "照片已保存到 1.1" in await bot.say(f"/photo {images['plan']}")
        assert (await readiness(bot)).json()["media"] == "ok (s3)"
        [evidence] = await rows(bot, Evidence)
        assert await bot.app.core.media.read(f"{evidence.sha256[:2]}/{evidence.sha256[2:4]}/{evidence.sha256}.jpg") \
            == images["plan"].read_bytes()
    finally:
        await bot.app.close()


async def test_a_full_disk_leaves_no_partial_file(tmp_path, images, monkeypatch):
    """The embedded default: the write fails halfway (ENOSPC at fsync). No photo file, no temporary
    file, no evidence row; the same reply; readiness of the directory itself is unaffected."""
    bot = await embedded(tmp_path)
    try:
        await bot.register()
        await begin(bot)

        def full(_fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        assert texts.PHOTO_STORE_DOWN in await bot.say(f"/photo {images['plan']}")
        assert [p for p in (tmp_path / "media").rglob("*") if p.is_file()] == []
        assert await rows(bot, Evidence) == []
        monkeypatch.undo()
        assert "照片已保存到 1.1" in await bot.say(f"/photo {images['plan']}")
        assert (await readiness(bot)).json()["media"] == "ok (local)"
    finally:
        await bot.app.close()


async def test_a_case_file_is_refused_the_same_way(tmp_path, images):
    bot = await embedded(tmp_path, **s3_settings(dead_endpoint(), "evidence"))
    try:
        await bot.register()
        await bot.say("典型案例")
        for line in ["泽州县应急管理局对泽州县巴公煤业有限公司行政处罚案", "持证上岗、证书过期、特种作业",
                     "本案要点是特种作业人员持证上岗，证书过期仍在岗作业。",
                     "检查发现该公司一名特种作业人员的操作证已于今年一月过期，仍在岗作业。",
                     "依据相关规定责令限期改正，并处罚款，企业已按期整改完毕。"]:
            await bot.say(line)
        reply = await bot.say("本案提示执法人员检查持证情况时应逐人核对证件有效期，并在平台查询。")
        assert "执法文书" in reply
        reply = await bot.say(f"/photo {images['cert']} 证件")
        assert texts.CASE_FILE_STORE_DOWN in reply
        assert await rows(bot, CaseFile) == []
    finally:
        await bot.app.close()
