"""Voice messages (OGG/Opus) and videos from Telegram kept as evidence; one too big is refused
before it is downloaded; a voice message outside an inspection is not kept."""

from __future__ import annotations

from sqlalchemy import select

from bot import recordings
from storage.models import Evidence
from tests.samples import MP4, OGG
from tests.telegram.driver import TgUser
from tests.telegram.test_inspection import begin


async def evidence(app) -> list[Evidence]:
    repos = app.core.repos()
    try:
        return list((await repos.session.scalars(select(Evidence).order_by(Evidence.id))).all())
    finally:
        await repos.session.close()


async def test_voice_and_video_over_telegram(tg_app, fake_api, inspector: TgUser, monkeypatch):
    assert "语音和视频要在检查中发送" in await inspector.voice(OGG)
    await begin(inspector)
    assert "🎤 语音已保存到 1.1（语音 1 条）" in await inspector.voice(OGG)
    assert "🎬 视频已保存到 1.1（语音 1 条、视频 1 段）" in await inspector.video(MP4)
    monkeypatch.setitem(recordings.LIMITS, "video", 1000)
    downloads = len(fake_api.calls_of("getFile"))
    assert "视频太大" in await inspector.video(MP4)
    assert len(fake_api.calls_of("getFile")) == downloads  # refused by its size, not downloaded
    assert "1.2" in await inspector.press("符合")
    rows = await evidence(tg_app)
    assert [(e.requirement_id, e.media_type) for e in rows] == [("1.1", "audio/ogg"), ("1.1", "video/mp4")]
    media = tg_app.core.media
    assert await media.read(recordings.recording_key(rows[0].sha256, rows[0].media_type)) == OGG
