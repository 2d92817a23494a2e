"""End to end through the chat, on both backends: what the inspector is told, and the flags recorded
for supervisors."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.integrity import format_flags
from storage.models import Bureau, Evidence, Inspection, IntegrityFlag
from storage.repositories.integrity import IntegrityRepo
from tests.conversations.test_inspection import begin, records
from tests.integrity.corpus import NEAR_DUPLICATES, jpeg, original, with_exif

CAMPAIGN = "jincheng-2023-huitoukan"
A, B = "泽州县甲煤业有限公司", "泽州县乙化工有限公司"


def photo(tmp_path, name: str, data: bytes):
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(data)
    return path


async def flags(bot, **where) -> list[IntegrityFlag]:
    return await records(bot, IntegrityFlag, **where)


async def finish(bot, tmp_path, seed: int = 50) -> str:
    """From requirement 1.1 of a fresh inspection to submitted, nobody in the register."""
    for _ in range(4):  # 1.1 - 2.1
        await bot.say("符合")
    await bot.say("登记完成")
    for _ in range(5):  # 2.2 - 3.3
        reply = await bot.say("符合")
    assert "汇总" in reply
    assert "负责人" in await bot.say("提交")
    await bot.say("赵总")
    assert "签字页已保存" in await bot.say(f"/photo {photo(tmp_path, f'signed{seed}', jpeg(original(seed)))}")
    assert "确认提交" in await bot.say("完成")
    reply = await bot.say("确认提交")
    assert "已提交" in reply
    return reply


async def backdate_start(bot, inspection_id: int, minutes: int) -> None:
    async def q(repos):
        [started] = (await repos.session.scalars(
            select(Inspection.started_at).where(Inspection.id == inspection_id))).all()
        await repos.session.execute(update(Inspection).where(Inspection.id == inspection_id)
                                    .values(started_at=started - timedelta(minutes=minutes)))
        await repos.session.commit()
    await bot.query(q)


async def test_photo_reused_at_another_enterprise_is_told_and_flagged(bot, tmp_path):
    picture = original(7)
    await bot.register("li", name="李检查")
    await begin(bot, A)
    assert "共 1 张" in await bot.say(f"/photo {photo(tmp_path, 'plan', jpeg(picture, 90))} 培训计划")
    assert "⚠️" not in await bot.say(f"/photo {photo(tmp_path, 'plan_again', jpeg(picture, 90))}")  # same visit
    await bot.say("暂停")
    [first] = await records(bot, Inspection)

    # another inspector, another enterprise, the same picture re-encoded, resized and cropped
    await bot.register("wang", name="王检查")
    await begin(bot, B, industry="危险化学品")
    reused = NEAR_DUPLICATES["crop_8_and_half_size"](picture)
    reply = await bot.say(f"/photo {photo(tmp_path, 'reused', reused)}")
    assert f"⚠️ 这张照片与 2023-05-10 检查{A}时的照片几乎相同" in reply and "共 1 张" in reply
    reply = await bot.say(f"/photo {photo(tmp_path, 'own', jpeg(original(8)))}")  # a photo of its own
    assert "⚠️" not in reply and "共 2 张" in reply

    second = [i for i in await records(bot, Inspection) if i.id != first.id][0]
    [flag] = await flags(bot)
    ev_first = [e.id for e in await records(bot, Evidence, inspection_id=first.id)]
    [ev_reused, _own] = [e.id for e in await records(bot, Evidence, inspection_id=second.id)]
    assert (flag.kind, flag.inspection_id, flag.other_inspection_id, flag.evidence_id, flag.resolved) == (
        "photo_reused", second.id, first.id, ev_reused, False)
    assert flag.other_evidence_id in ev_first and A in flag.reason and "几乎相同" in flag.reason
    [evidence] = await records(bot, Evidence, id=ev_reused)
    assert len(evidence.phash) == 16 and evidence.width == 320

    # what the supervisors' views are given
    [bureau] = await records(bot, Bureau, short_name="泽州县")
    views = await bot.query(lambda r: IntegrityRepo(r.session).flags_for_bureau([bureau.id], CAMPAIGN))
    assert [(v.inspection_id, v.enterprise_name, v.other_inspection_id, v.other_enterprise_name)
            for v in views] == [(second.id, B, first.id, A)]
    assert await bot.query(lambda r: IntegrityRepo(r.session).flags_for_bureau([bureau.id + 100], CAMPAIGN)) == []
    assert await bot.query(lambda r: IntegrityRepo(r.session).flags_for_inspection(first.id)) == []
    block = format_flags(await bot.query(lambda r: IntegrityRepo(r.session).flags_for_inspection(second.id)))
    assert block.startswith("需关注（1 项）：") and f"· F{flag.id} {B} 2023-05-10：" in block and A in block


async def test_identical_file_in_a_later_inspection_of_the_same_enterprise(bot, tmp_path):
    data = jpeg(original(9))
    await bot.register()
    await begin(bot, A)
    await bot.say(f"/photo {photo(tmp_path, 'x', data)}")
    await bot.say("暂停")
    await begin(bot, A)  # the same enterprise, a new inspection
    reply = await bot.say(f"/photo {photo(tmp_path, 'y', data)}")
    assert f"检查{A}时的照片是同一张" in reply
    [flag] = await flags(bot)
    assert flag.kind == "photo_reused" and "是同一张" in flag.reason


async def test_cancelled_inspection_photos_do_not_count(bot, tmp_path):
    data = jpeg(original(10))
    await bot.register()
    await begin(bot, A)
    await bot.say(f"/photo {photo(tmp_path, 'x', data)}")
    await bot.say("取消")
    assert "已取消" in await bot.say("确定取消")
    await begin(bot, A)
    assert "⚠️" not in await bot.say(f"/photo {photo(tmp_path, 'y', data)}")
    assert await flags(bot) == []


async def register_person(bot, name: str, number: str, expiry: str = "2026-01-31") -> str:
    for _ in range(4):  # 1.1 - 2.1
        reply = await bot.say("符合")
    assert "证书登记" in reply
    await bot.say("登记一人")
    await bot.say(name)
    await bot.say("特种作业人员")
    assert "证件编号" in await bot.say("特种作业操作证")
    reply = await bot.say(number)
    assert "有效期" in reply
    reply += (expiry_reply := await bot.say(expiry))
    assert "全国查询平台" in expiry_reply
    assert "证件照片" in await bot.say("已查到")
    return reply


async def test_certificate_number_of_another_person_is_told_and_flagged(bot):
    await bot.register("li", name="李检查")
    await begin(bot, A)
    assert "⚠️" not in await register_person(bot, "李四", "T140525198001010011")
    await bot.say("暂停")
    await bot.register("wang", name="王检查")
    await begin(bot, B, industry="危险化学品")
    reply = await register_person(bot, "赵六", "t14052519800101 0011")  # typed differently, same number
    assert f"⚠️ 编号 T140525198001010011 已登记为李四的证书（2023-05-10 检查{A}时）" in reply
    [flag] = await flags(bot)
    first, second = await records(bot, Inspection)
    assert (flag.kind, flag.inspection_id, flag.other_inspection_id) == ("cert_number_reused", second.id, first.id)
    assert "赵六" in flag.reason and "李四" in flag.reason and flag.certificate_id != flag.other_certificate_id


async def test_same_person_same_number_at_another_enterprise_is_not_flagged(bot):
    await bot.register()
    await begin(bot, A)
    await register_person(bot, "李四", "T140525198001010011")
    await bot.say("暂停")
    await begin(bot, B, industry="危险化学品")
    assert "⚠️" not in await register_person(bot, "李 四", "T140525198001010011")
    assert await flags(bot, kind="cert_number_reused") == []


async def test_certificate_expired_before_the_visit_is_flagged(bot):
    await bot.register()
    await begin(bot, A)
    await register_person(bot, "李四", "T140525198001010011", expiry="2023-01-31")
    [flag] = await flags(bot, kind="cert_expired")
    assert "2023-01-31" in flag.reason and "早于检查日期 2023-05-10" in flag.reason and flag.certificate_id


async def test_inspection_answered_implausibly_fast_is_flagged_at_submit(bot, tmp_path):
    await bot.register()
    await begin(bot, A)
    await finish(bot, tmp_path)
    [flag] = await flags(bot, kind="too_fast")
    [insp] = await records(bot, Inspection)
    assert flag.inspection_id == insp.id and "9 项检查内容" in flag.reason and "不足 20 秒" in flag.reason


async def test_inspection_at_a_normal_pace_is_not_flagged(bot, tmp_path):
    await bot.register()
    await begin(bot, A)
    [insp] = await records(bot, Inspection)
    await backdate_start(bot, insp.id, minutes=40)  # as if the visit had begun 40 minutes ago
    await finish(bot, tmp_path)
    assert await flags(bot) == []


async def test_photo_capture_time_and_position_are_checked_at_submit(bot, tmp_path):
    await bot.register()
    await begin(bot, A)  # shares the location 35.50, 112.84
    [insp] = await records(bot, Inspection)
    await backdate_start(bot, insp.id, minutes=40)
    old = with_exif(original(20), taken=datetime(2023, 4, 1, 10, 0), position=(35.501, 112.841))
    elsewhere = with_exif(original(21), taken=datetime(2023, 5, 10, 10, 0), position=(39.90, 116.40))
    fine = with_exif(original(22), taken=datetime(2023, 5, 10, 9, 40), position=(35.52, 112.86))
    for name, data in (("old", old), ("elsewhere", elsewhere), ("fine", fine)):
        assert "照片已保存" in await bot.say(f"/photo {photo(tmp_path, name, data)}")
    await finish(bot, tmp_path)
    evidence = {e.id: e for e in await records(bot, Evidence)}
    found = sorted((f.kind, evidence[f.evidence_id].sha256) for f in await flags(bot))
    shas = {e.exif_lat: e.sha256 for e in evidence.values()}
    assert found == sorted([("capture_time", shas[35.501]), ("photo_location", shas[39.9])])
    [late] = await flags(bot, kind="capture_time")
    assert "2023-04-01 10:00" in late.reason and "相差 39 天" in late.reason
    [far] = await flags(bot, kind="photo_location")
    assert "距企业位置" in far.reason and "距检查时共享的定位" in far.reason and "公里" in far.reason
