"""Voice messages (AMR) and short videos (MP4) from the WeCom app kept as evidence with the
requirement the inspector is at; a voice message at a note step is the spoken note, and the
written line is still asked for; a photo at the register menu is kept too. Listed in the checklist."""

from __future__ import annotations

from sqlalchemy import select

from bot import recordings
from bot.documents.service import checklist_file
from storage.models import Answer, Evidence, Finding, Inspection
from tests.documents.drive import docx_text
from tests.samples import AMR, MP4
from tests.wecom.test_cards import begin_by_taps


async def records(chat, model):
    async def q(repos):
        return list((await repos.session.scalars(select(model).order_by(model.id))).all())
    return await chat.h.query(q)


async def test_voice_and_video_are_evidence_and_a_spoken_note_asks_for_its_line(wecom, images, tmp_path):
    await wecom.register()
    await begin_by_taps(wecom)
    assert "🎤 语音已保存到 1.1（语音 1 条）" in await wecom.voice(AMR)
    assert "1.2" in await wecom.tap("符合")  # the card of 1.1 is still the question on screen
    assert "请写明发现的问题" in await wecom.tap("不符合")
    spoken = AMR + b"\x3c" * 32  # another recording
    reply = await wecom.voice(spoken)
    assert "语音说明已保存到 1.2" in reply and "一行文字" in reply
    assert "1.3" in await wecom.say("年度再教育缺 3 人")  # the line is the note of record
    assert "🎬 视频已保存到 1.3（视频 1 段）" in await wecom.video(MP4)
    assert "2.1" in await wecom.tap("不适用")
    assert "证书登记" in await wecom.tap("符合")
    assert "照片已保存到 证书登记（共 1 张）" in await wecom.photo(images["plan"])  # at the register menu
    assert "2.2" in await wecom.tap("登记完成")  # the menu was still the question

    evidence = await records(wecom, Evidence)
    assert [(e.requirement_id, e.media_type, e.caption) for e in evidence] == [
        ("1.1", "audio/amr", ""), ("1.2", "audio/amr", "语音说明"), ("1.3", "video/mp4", ""), ("cert", "image/jpeg", "")]
    media = wecom.h.app.core.media
    for e, data in zip(evidence, (AMR, spoken, MP4)):  # content-addressed, beside the photos
        assert await media.read(recordings.recording_key(e.sha256, e.media_type)) == data
    [finding] = await records(wecom, Finding)
    assert finding.requirement_id == "1.2" and finding.description == "年度再教育缺 3 人"
    notes = {a.requirement_id: a.note for a in await records(wecom, Answer)}
    assert notes["1.2"] == "年度再教育缺 3 人"
    # the checklist lists them at their requirements
    [insp] = await records(wecom, Inspection)
    repos = wecom.h.repos()
    try:
        path = await checklist_file(repos, wecom.h.app.campaign, media, insp, tmp_path / "c.docx")
    finally:
        await repos.session.close()
    text = docx_text(path)
    assert text.count("语音 1 条（存于证据库）") == 2 and "视频 1 段（存于证据库）" in text
