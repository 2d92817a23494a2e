"""What supervisors read about enforcement and integrity, through the chat on both backends: the
"需关注" flags (a photo reused at another enterprise, from the conversation on), rectification orders
(open, due within 3 days, overdue, rectified, escalated) and supervisor review (enterprises counted by
submitted and by approved inspections, 待审核), in the progress answers and the daily digest."""

from __future__ import annotations

from datetime import datetime

from bot.scheduler import tick
from storage.models import AuditLog, Inspection, IntegrityFlag
from tests.conftest import TZ
from tests.conversations.test_inspection import begin, records
from tests.integrity.corpus import NEAR_DUPLICATES, jpeg, original
from tests.progress import dataset
from tests.progress.test_digest import posts
from tests.progress.test_queries import ZZ_BLOCK, bind, lines

A, B = "泽州县甲煤业有限公司", "泽州县乙化工有限公司"

EMPTY_ZZ = [  # 泽州县 with two drafts and nothing submitted
    "【泽州县】进度 2023-05-10",
    "企业：0/10 家，还差 10 家（检查 0 次）",
    "  煤矿 0 · 非煤矿山 0 · 危险化学品 0 · 金属冶炼 0",
    "已提交 0 家 · 审核通过 0 家，任务数按已提交计",
    "典型案例：0/1",
    "已确认问题 0 项",
    "草稿 2 份未提交",
    "还剩 26 天（含今天，至 2023-06-04），平均每天需 0.4 家",
    "⚠️ 落后于进度（按进度今天应达 2 家）",
    "上报截止 2023-06-10，还有 31 天",
]


def at(bot, *args: int) -> None:
    bot._clock[0] = datetime(*args, tzinfo=TZ)


def photo(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(data)
    return f"/photo {path}"


def reason(req: str, first_id: int, flag_id: int) -> str:
    return f"· F{flag_id} {B} 2023-05-10：{req} 的照片与 2023-05-10 检查{A}（第 {first_id} 号检查）时的照片几乎相同"


async def test_reused_photo_is_told_and_listed_under_attention(bot, tmp_path):
    for user, name, bureau, role in [("zzsup", "王督查", "泽州县", "supervisor"),
                                     ("gpsup", "刘督查", "高平市", "supervisor"),
                                     ("city", "赵局长", "市局", "supervisor"), ("zz2", "李检查", "泽州县", "inspector"),
                                     ("zz1", "张检查", "泽州县", "inspector")]:
        await bot.register(user, name, bureau, role)
    picture = original(7)
    bot.user = "zz1"
    await begin(bot, A)
    assert "共 1 张" in await bot.say(photo(tmp_path, "plan", jpeg(picture, 90)) + " 培训计划")
    await bot.say("暂停")
    bot.user = "zz2"  # another inspector, another enterprise, the same picture cropped and half size
    await begin(bot, B, industry="危险化学品")
    reused = NEAR_DUPLICATES["crop_8_and_half_size"](picture)
    assert f"⚠️ 这张照片与 2023-05-10 检查{A}时的照片几乎相同" in await bot.say(photo(tmp_path, "r1", reused))
    await bot.say("暂停")
    [first, second] = await records(bot, Inspection)

    [flag1] = await records(bot, IntegrityFlag)
    attention = ["需关注（1 项）：", reason("1.1", first.id, flag1.id)]
    # the county supervisor: the bureau, then what needs attention
    assert lines(await bot.say("进度", user="zzsup")) == EMPTY_ZZ + attention
    assert lines(await bot.say("泽州县进度", user="city")) == EMPTY_ZZ + attention
    # the inspector who reused it: their own work and its flag, then the bureau's totals
    mine = ["【我的】已提交检查 0 次，计 0 家", "草稿 1 份；已确认问题 0 项"]
    assert lines(await bot.say("进度", user="zz2")) == mine + attention + EMPTY_ZZ
    assert lines(await bot.say("泽州县进度", user="zz2")) == EMPTY_ZZ  # the bureau's flags are not theirs
    # the other inspector has no flag on their inspections; another county sees none of it
    assert lines(await bot.say("进度", user="zz1")) == mine + EMPTY_ZZ
    assert "需关注" not in await bot.say("进度", user="gpsup")
    # the city bureau: how many per bureau
    city = lines(await bot.say("进度", user="city"))
    assert "需关注 1 项：泽州县 1" in city and "需关注（1 项）：" not in city

    # the daily digest: the county group lists it; the city group counts it per bureau
    await bind(bot, "grp-zz", "泽州县")
    await bind(bot, "grp-city", "市局")
    at(bot, 2023, 5, 10, 18, 0)
    await tick(bot.app)
    [zz_text, _chart] = posts(bot, "grp-zz")
    assert lines(zz_text.text) == ["📊 泽州县“回头看”日报 2023-05-10", *EMPTY_ZZ[1:], "（首份日报）", *attention]
    [city_text, _chart] = posts(bot, "grp-city")
    assert "需关注 1 项：泽州县 1" in lines(city_text.text)

    # three more reused photos: the answer lists the newest three and counts the rest
    bot.user = "zz2"
    assert "1.1" in await bot.say(f"继续 {second.id}")
    for req in ("1.2", "1.3", "2.1"):
        await bot.say("符合")
        assert "⚠️" in await bot.say(photo(tmp_path, f"r{req}", reused))
    flags = await records(bot, IntegrityFlag)
    assert lines(await bot.say("进度", user="zzsup"))[len(EMPTY_ZZ):] == [
        "需关注（4 项）：", reason("2.1", first.id, flags[3].id), reason("1.3", first.id, flags[2].id),
        reason("1.2", first.id, flags[1].id), "……另有 1 项"]
    assert "需关注 4 项：泽州县 4" in lines(await bot.say("全市进度", user="city"))

    # a supervisor looks at them and closes them by message: gone from the answers
    assert "只有本局的监督人员" in await bot.say(f"核实 {flags[0].id} 没问题", user="zz1")
    assert "没有待核实的需关注" in await bot.say(f"核实 F{flags[0].id} 没问题", user="gpsup")  # another county's
    assert "请写明需关注的编号" in await bot.say(f"核实 {flags[0].id}", user="zzsup")
    for flag in flags:
        reply = await bot.say(f"核实 {flag.id} 同一份计划的不同页", user="zzsup")
        assert f"需关注 F{flag.id} 已核实关闭" in reply
    assert "没有待核实的需关注" in await bot.say(f"核实 F{flags[0].id} 再关一次", user="zzsup")
    audit = await records(bot, AuditLog, entity="integrity_flag")
    assert {(a.entity_id, a.field, a.new, a.reason) for a in audit if a.field == "resolved"} == {
        (f.id, "resolved", "True", "同一份计划的不同页") for f in flags}
    assert lines(await bot.say("进度", user="zzsup"))[len(EMPTY_ZZ):] == []
    assert not any(line.startswith("需关注") for line in lines(await bot.say("进度", user="city")))




def orders_line(reply: str) -> str:
    [line] = [x for x in lines(reply) if x.startswith("整改单：")]
    return line


async def test_orders_open_due_overdue_rectified_escalated(bot):
    """The dataset's orders (1.2 open, due 05-25; 3.1 rectified; 1.1 on 兰花化工's visit before the
    period, which is not one of the campaign's and never counted), one more issued through the chat,
    then follow-up visits closing one and escalating another."""
    d = await dataset.build(bot)
    i = d.inspections
    reply = await bot.say(f"整改 {i['jinda']}", user="zz2")
    assert "下达整改 1/1" in reply and "未建立三项岗位人员持证台账" in reply
    assert "是否同时罚款" in await bot.say("2023-05-12", user="zz2")
    assert "整改单已全部下达（1 份）" in await bot.say("不罚款", user="zz2")

    assert orders_line(await bot.say("进度", user="zzsup")) == (
        "整改单：未结 2（3 天内到期 1，逾期 0），已整改 1，已升级 0")  # 05-12 is within 05-10 .. 05-13
    at(bot, 2023, 5, 13, 9, 0)
    assert orders_line(await bot.say("进度", user="zzsup")) == (
        "整改单：未结 2（3 天内到期 0，逾期 1），已整改 1，已升级 0")  # 05-12 passed
    at(bot, 2023, 5, 22, 9, 0)
    assert orders_line(await bot.say("进度", user="zzsup")) == (
        "整改单：未结 2（3 天内到期 1，逾期 1），已整改 1，已升级 0")  # 05-25 is within 05-22 .. 05-25

    # 05-26: the follow-up visits. 金达's order is overdue and not rectified: escalated.
    at(bot, 2023, 5, 26, 9, 0)
    assert "复查 1/1" in await bot.say(f"复查 {i['jinda']}", user="zz2")
    await bot.say("未整改", user="zz2")
    assert "逾期未改正，依法升级" in await bot.say("仍未建立持证台账", user="zz2")
    assert "复查 1/1" in await bot.say(f"复查 {i['bagong1']}", user="zz1")
    await bot.say("已整改", user="zz1")
    assert "已销号" in await bot.say("考勤已规范", user="zz1")

    block = lines(await bot.say("进度", user="zzsup"))
    assert block == [
        "【泽州县】进度 2023-05-26",
        *ZZ_BLOCK[1:8],
        "处罚 1 起，共 20,000 元",
        "整改单：未结 0（3 天内到期 0，逾期 0），已整改 2，已升级 1",
        "草稿 1 份未提交",
        "还剩 10 天（含今天，至 2023-06-04），平均每天需 0.7 家",  # 7 left / 10 days
        "⚠️ 落后于进度（按进度今天应达 7 家）",  # ceil(10 * 22 / 32) = 7
        "上报截止 2023-06-10，还有 15 天",
    ]
    city = lines(await bot.say("全市进度", user="city"))
    assert [x for x in city if x.startswith("整改单")] == [
        "整改单 泽州县：未结 0（3 天内到期 0，逾期 0），已整改 2，已升级 1"]  # no other bureau has orders
    assert not any(x.startswith("整改单") for x in lines(await bot.say("进度", user="gpsup")))

    # the digest says the same
    await bind(bot, "grp-zz", "泽州县")
    at(bot, 2023, 5, 26, 18, 0)
    await tick(bot.app)
    [text, _chart] = posts(bot, "grp-zz")
    assert orders_line(text.text) == "整改单：未结 0（3 天内到期 0，逾期 0），已整改 2，已升级 1"


async def test_submitted_and_approved_counts_and_awaiting_review(bot):
    d = await dataset.build(bot)
    i = d.inspections

    async def review_lines(user: str = "zzsup") -> list[str]:
        reply = lines(await bot.say("进度", user=user))
        return [x for x in reply if x.startswith(("已提交", "待审核"))]

    assert await review_lines() == ["已提交 3 家 · 审核通过 0 家，任务数按已提交计", "待审核 6 份"]
    # approve 金达 and both visits of 巴公 (one enterprise), and 兰花化工's visit before the period
    for label in ("jinda", "bagong1", "bagong2", "lanhua_before"):
        await bot.say(f"审核 {i[label]}", user="zzsup")
        assert "审核通过" in await bot.say("通过", user="zzsup")
    assert await review_lines() == ["已提交 3 家 · 审核通过 2 家，任务数按已提交计", "待审核 2 份"]
    # the list agrees, but for the visit dated after today (兰花化工 06-05), which no figure counts yet
    assert "待审核检查（3 份）" in await bot.say("待审核", user="zzsup")
    # the quota still counts submitted inspections: the enterprise line does not move
    assert lines(await bot.say("进度", user="zzsup"))[1] == "企业：3/10 家，还差 7 家（检查 4 次）"

    # returned: with the inspector, not waiting for review
    await bot.say(f"审核 {i['jingang']}", user="zzsup")
    assert "退回原因" in await bot.say("退回", user="zzsup")
    assert "已退回" in await bot.say("请补充持证台账照片", user="zzsup")
    assert await review_lines() == ["已提交 3 家 · 审核通过 2 家，任务数按已提交计", "待审核 1 份"]
    # amended after being returned: waiting again
    assert "修正原因" in await bot.say(f"修正 {i['jingang']}", user="zz2")
    assert "开始修正" in await bot.say("按审核意见补充", user="zz2")
    await bot.say("修改 1.1", user="zz2")
    await bot.say("符合", user="zz2")
    assert "修正已完成" in await bot.say("完成修正", user="zz2")
    assert await review_lines() == ["已提交 3 家 · 审核通过 2 家，任务数按已提交计", "待审核 2 份"]

    # the inspector sees the bureau's counts; the city sees the total and the bureaus waiting
    assert await review_lines("zz1") == ["已提交 3 家 · 审核通过 2 家，任务数按已提交计", "待审核 2 份"]
    await bot.say(f"审核 {i['gpcoal']}", user="gpsup")
    await bot.say("通过", user="gpsup")
    assert await review_lines("city") == ["已提交 6 家 · 审核通过 3 家，任务数按已提交计",
                                          "待审核 6 份：市局 2 · 泽州县 2 · 高平市 2"]
