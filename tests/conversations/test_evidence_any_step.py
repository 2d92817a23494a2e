"""Evidence at any step of the checklist, through the console (/photo, /voice, /video): kept with
the requirement (the register, the signed form) the inspector is at, the question unchanged;
refused before the checklist and at the summary with a reason; listed when a supervisor reviews."""

from __future__ import annotations

from storage.models import Evidence, Inspection
from tests.conversations.test_inspection import begin, records
from tests.samples import AMR, MP4


async def test_evidence_at_any_step_and_listed_in_review(bot, images, tmp_path):
    voice, video = tmp_path / "v.amr", tmp_path / "v.mp4"
    voice.write_bytes(AMR)
    video.write_bytes(MP4)
    await bot.register()
    await bot.say("开始检查")
    assert "还不能存证" in await bot.say(f"/voice {voice}")  # no inspection to keep it with yet
    await bot.say("取消")
    await begin(bot)
    assert "语音已保存到 1.1" in await bot.say(f"/voice {voice}")
    for word in ("符合", "符合", "符合", "符合"):
        await bot.say(word)
    assert "证书登记" in (menu := await bot.say("/video " + str(video)))  # the register menu: kept there
    assert "视频已保存到 证书登记" in menu
    await bot.say("登记一人")
    await bot.say("李四")
    reply = await bot.say(f"/photo {images['cert']}")  # at the position question: with the person
    assert "李四 的证件照片已保存（共 1 张）" in reply
    for word in ("特种作业人员", "特种作业操作证", "T14052519800101", "2025-01-31", "已查到"):
        await bot.say(word)
    assert "共 2 张" in await bot.say(f"/photo {images['plan']}")  # this person's photos, not all
    await bot.say("完成")
    for word in ("登记完成", "符合", "符合", "符合", "符合", "符合"):
        reply = await bot.say(word)
    assert "汇总" in reply
    assert "修改 1.2" in await bot.say(f"/photo {images['sheet']}")  # at the summary: which item?
    for line in ("提交", "赵总", f"/photo {images['form']}", "完成", "确认提交"):
        reply = await bot.say(line)
    assert "已提交" in reply
    [insp] = await records(bot, Inspection)
    kinds = [(e.requirement_id, e.media_type, e.certificate_id is not None) for e in await records(bot, Evidence)]
    assert kinds == [("1.1", "audio/amr", False), ("cert", "video/mp4", False), ("cert", "image/jpeg", True),
                     ("cert", "image/jpeg", True), ("signature", "image/jpeg", False)]
    await bot.register("sup1", "王芳", "泽州县", "supervisor")
    said = await bot.say(f"审核 {insp.id}", user="sup1")
    assert "语音和视频" in said and "1.1 语音 1 条" in said and "证书登记 视频 1 段" in said
