"""Progress questions by message, on both backends, against the dataset in tests/progress/dataset.py:
every number of every answer is checked, and each role sees only what it may."""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.messages import Incoming, Kind
from tests.conftest import TZ
from tests.progress import dataset

ZZ_BLOCK = [
    "【泽州县】进度 2023-05-10",
    "企业：3/10 家，还差 7 家（检查 4 次）",
    "  煤矿 1 · 非煤矿山 1 · 危险化学品 0 · 金属冶炼 1",
    "不计入：期外检查 1 次、非目标行业 1 家",  # 05-03; the 06-05 visit is not there yet on 05-10
    "已提交 3 家 · 审核通过 0 家，任务数按已提交计",
    "待审核 6 份",  # every submitted inspection dated by today, in the period or not, none decided yet
    "典型案例：1/1",
    "已确认问题 3 项：查培训计划 1 · 查持证情况 1 · 查培训档案 1",
    "处罚 1 起，共 20,000 元",
    "整改单：未结 1（3 天内到期 0，逾期 0），已整改 1，已升级 0",  # due 05-25; the 期外 visit's order is not counted
    "草稿 1 份未提交",
    "还剩 26 天（含今天，至 2023-06-04），平均每天需 0.3 家",  # 7 left / 26 days = 0.27 -> 0.3
    "上报截止 2023-06-10，还有 31 天",
]

CITY_VIEW = [
    "【全市】进度 2023-05-10",
    # on 05-10 an even pace needs ceil(6*6/32) = 2; 5 left over 26 days (today included): 0.2 a day
    "市局 1/6家 应达2 差5 日需0.2 案例0/1 问题0 草稿0 ⚠️",
    "城区 0/10家 应达2 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "泽州县 3/10家 应达2 差7 日需0.3 案例1/1 问题3 草稿1",  # ceil(10*6/32) = 2: not behind
    "高平市 2/10家 应达2 差8 日需0.4 案例0/1 问题0 草稿0",
    "阳城县 0/10家 应达2 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "陵川县 0/10家 应达2 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "沁水县 0/10家 应达2 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "合计 6/66家 案例1/7 问题3 草稿1",  # the rows' sum: 巴公煤业 counts for 市局 and for 泽州县
    "全市检查企业 5 家（去重；1 家次为同一企业由不同单位检查，各计入本单位任务）",
    "不计入：期外检查 2 次、非目标行业 1 家",
    "已提交 6 家 · 审核通过 0 家，任务数按已提交计",
    "待审核 11 份：市局 2 · 泽州县 6 · 高平市 3",
    "处罚 1 起，共 20,000 元",
    "整改单 泽州县：未结 1（3 天内到期 0，逾期 0），已整改 1，已升级 0",
    "落后：市局、城区、阳城县、陵川县、沁水县",
    "还剩 26 天（含今天，至 2023-06-04）",
    "上报截止 2023-06-10，还有 31 天",
]


def lines(reply: str) -> list[str]:
    return reply.split("\n")


async def test_bureau_progress_for_its_supervisor(bot):
    await dataset.build(bot)
    assert lines(await bot.say("进度", user="zzsup")) == ZZ_BLOCK
    assert lines(await bot.say("/progress", user="zzsup")) == ZZ_BLOCK
    assert lines(await bot.say("泽州县进度", user="zzsup")) == ZZ_BLOCK
    assert lines(await bot.say("泽州进度", user="zzsup")) == ZZ_BLOCK  # the place name without 县


async def test_inspector_sees_own_work_and_bureau_totals(bot):
    await dataset.build(bot)
    # 张检查: 巴公 twice + 晋钢 as co-inspector = 3 visits, 2 enterprises; 05-03 期外; 机械厂 其他行业;
    # one draft; findings 1.2 and 3.1 on his inspections (2.3 rejected, 1.1 on 05-03 out of period).
    mine = ["【我的】已提交检查 3 次，计 2 家", "不计入：期外检查 1 次、非目标行业 1 家", "草稿 1 份；已确认问题 2 项"]
    assert lines(await bot.say("进度", user="zz1")) == mine + ZZ_BLOCK
    # 李检查: 金达, 晋钢 = 2; his 06-05 visit is after today; the cancelled 二矿 is not there at all.
    mine2 = ["【我的】已提交检查 2 次，计 2 家", "草稿 0 份；已确认问题 1 项"]
    assert lines(await bot.say("进度", user="zz2")) == mine2 + ZZ_BLOCK


async def test_city_bureau_sees_every_county_and_the_total(bot):
    await dataset.build(bot)
    assert lines(await bot.say("进度", user="city")) == CITY_VIEW
    assert lines(await bot.say("全市进度", user="city")) == CITY_VIEW
    assert lines(await bot.say("晋城市进度", user="city")) == CITY_VIEW
    assert lines(await bot.say("/progress 全市", user="city")) == CITY_VIEW
    assert lines(await bot.say("泽州县进度", user="city")) == ZZ_BLOCK
    assert lines(await bot.say("高平市进度", user="city")) == [
        "【高平市】进度 2023-05-10",
        "企业：2/10 家，还差 8 家（检查 2 次）",
        "  煤矿 1 · 非煤矿山 0 · 危险化学品 1 · 金属冶炼 0",
        "不计入：期外检查 1 次",
        "已提交 2 家 · 审核通过 0 家，任务数按已提交计",
        "待审核 3 份",
        "典型案例：0/1",
        "已确认问题 0 项",
        "还剩 26 天（含今天，至 2023-06-04），平均每天需 0.4 家",  # 8 / 26 = 0.31 -> 0.4
        "上报截止 2023-06-10，还有 31 天",
    ]
    # The city bureau's own quota: the 泽州县 enterprise it visited twice counts once, for 市局 too.
    assert lines(await bot.say("市局进度", user="city")) == [
        "【市局】进度 2023-05-10",
        "企业：1/6 家，还差 5 家（检查 2 次）",
        "  煤矿 1 · 非煤矿山 0 · 危险化学品 0 · 金属冶炼 0",
        "已提交 1 家 · 审核通过 0 家，任务数按已提交计",
        "待审核 2 份",
        "典型案例：0/1",
        "已确认问题 0 项",
        "还剩 26 天（含今天，至 2023-06-04），平均每天需 0.2 家",
        "⚠️ 落后于进度（按进度今天应达 2 家）",
        "上报截止 2023-06-10，还有 31 天",
    ]


async def test_anything_beyond_the_role_is_refused_politely(bot):
    await dataset.build(bot)
    assert await bot.say("全市进度", user="zz1") == "全市进度仅市局督查人员可查看。回复“进度”查看本局。"
    assert await bot.say("全市进度", user="zzsup") == "全市进度仅市局督查人员可查看。回复“进度”查看本局。"
    assert await bot.say("高平市进度", user="zzsup") == "您只能查看本局（泽州县）的进度。"
    assert await bot.say("泽州县进度", user="gp1") == "您只能查看本局（高平市）的进度。"
    # a city inspector is an inspector: own work and the city bureau's own totals only
    assert await bot.say("全市进度", user="cityinsp") == "全市进度仅市局督查人员可查看。回复“进度”查看本局。"
    reply = lines(await bot.say("进度", user="cityinsp"))
    assert reply[:3] == ["【我的】已提交检查 2 次，计 1 家", "草稿 0 份；已确认问题 0 项", "【市局】进度 2023-05-10"]
    assert await bot.say("火星进度", user="city") == "没有找到“火星”。可查询：市局、城区、泽州县、高平市、阳城县、陵川县、沁水县"
    assert "还不是本系统的登记用户" in await bot.say("进度", user="stranger")


async def test_today(bot):
    d = await dataset.build(bot)
    i = d.inspections
    assert lines(await bot.say("今日", user="zz1")) == [
        "今日（2023-05-10）检查 2 次（我的）：",
        f"#{i['yikuang']} 泽州县 泽州县一矿（煤矿）张检查 草稿",
        f"#{i['jingang']} 泽州县 泽州县晋钢冶炼有限公司（金属冶炼）李检查 已提交",
    ]
    assert lines(await bot.say("/today", user="zzsup"))[0] == "今日（2023-05-10）检查 2 次（泽州县）："
    assert lines(await bot.say("今日", user="gpsup")) == [
        "今日（2023-05-10）检查 1 次（高平市）：",
        f"#{i['gpchem']} 高平市 高平市化肥有限公司（危险化学品）陈检查 已提交",
    ]
    assert lines(await bot.say("今天", user="city")) == [
        "今日（2023-05-10）检查 3 次（全市）：",
        f"#{i['gpchem']} 高平市 高平市化肥有限公司（危险化学品）陈检查 已提交",
        f"#{i['yikuang']} 泽州县 泽州县一矿（煤矿）张检查 草稿",
        f"#{i['jingang']} 泽州县 泽州县晋钢冶炼有限公司（金属冶炼）李检查 已提交",
    ]
    assert await bot.say("今日", user="cityinsp") == "今日（2023-05-10）还没有检查记录（我的）。"


async def test_open_findings(bot):
    d = await dataset.build(bot)
    i = d.inspections
    # open: confirmed, not rectified — 1.2 (order open), 2.1 (no order), 1.1 (05-03, order open);
    # 3.1 was rectified, 2.3 was not confirmed.
    assert lines(await bot.say("问题", user="zzsup")) == [
        "未整改问题 3 项（泽州县）：查培训计划 2 · 查持证情况 1",
        f"#{i['lanhua_before']} 泽州县兰花化工有限公司 1.1：未制定年度培训计划（整改中，期限 2023-05-25）",
        f"#{i['jinda']} 泽州县金达非煤矿业有限公司 2.1：未建立三项岗位人员持证台账（未下达整改）",
        f"#{i['bagong1']} 泽州县巴公煤业有限公司 1.2：考勤表有代签（整改中，期限 2023-05-25）",
    ]
    assert lines(await bot.say("/issues", user="zz1"))[0] == "未整改问题 2 项（我的）：查培训计划 2"
    assert lines(await bot.say("问题", user="city"))[0] == "未整改问题 3 项（全市）：查培训计划 2 · 查持证情况 1"
    assert await bot.say("问题", user="gpsup") == "没有未整改的问题（高平市）。"


async def test_find_an_enterprise(bot):
    d = await dataset.build(bot)
    i = d.inspections
    assert lines(await bot.say("查 巴公煤业", user="zzsup")) == [
        "泽州县巴公煤业有限公司（煤矿，泽州县）",
        f"#{i['bagong2']} 2023-05-09 泽州县 张检查 已提交",
        f"#{i['bagong1']} 2023-05-05 泽州县 张检查 已提交",
    ]
    assert lines(await bot.say("查巴公煤业", user="city")) == [
        "泽州县巴公煤业有限公司（煤矿，泽州县）",
        f"#{i['bagong2']} 2023-05-09 泽州县 张检查 已提交",
        f"#{i['city2']} 2023-05-08 市局 孙检查 已提交",
        f"#{i['city1']} 2023-05-06 市局 孙检查 已提交",
        f"#{i['bagong1']} 2023-05-05 泽州县 张检查 已提交",
    ]
    assert lines(await bot.say("/find 兰花化工", user="zz2")) == [
        "泽州县兰花化工有限公司（危险化学品，泽州县）",
        f"#{i['lanhua_after']} 2023-06-05（期外） 泽州县 李检查 已提交",
        "  本局共检查 2 次",
    ]
    assert await bot.say("查 阳城电厂", user="zzsup") == "没有找到与“阳城电厂”相近的企业（泽州县）。"
    assert await bot.say("查", user="zzsup") == "请写企业名称，例如：查 晋城煤业"


async def test_help_lists_the_progress_words_for_the_role(bot):
    await dataset.build(bot)
    reply = await bot.say("帮助", user="zz1")
    assert "开始检查（/inspect）" in reply  # the general help is still there
    assert "• 进度（/progress）：我的检查和本局进度" in reply and "（仅限本局）" in reply
    reply = await bot.say("帮助", user="city")
    assert "• 进度（/progress）：全市各单位进度" in reply and "全市进度：各单位并列" in reply


async def test_the_campaign_is_over_or_not_started(bot):
    """Tried today (2026): no negative days, the answer says the campaign is over."""
    await dataset.build(bot)
    bot._clock[0] = datetime(2026, 11, 29, 10, 0, tzinfo=TZ)
    reply = lines(await bot.say("进度", user="zzsup"))
    assert reply[0] == "【泽州县】进度 2026-11-29"
    assert reply[-3:] == ["活动已结束（2023-06-04）", "⚠️ 未完成：还差 7 家", "上报已截止（2023-06-10）"]
    assert lines(await bot.say("全市进度", user="city"))[-3:] == [
        "未完成：市局、城区、泽州县、高平市、阳城县、陵川县、沁水县", "活动已结束（2023-06-04）",
        "上报已截止（2023-06-10）"]
    assert lines(await bot.say("今日", user="zz1")) == [
        "今日（2026-11-29）还没有检查记录（我的）。", "（今天不在活动期内，今天的检查不计入任务数）"]
    bot._clock[0] = datetime(2023, 6, 7, 10, 0, tzinfo=TZ)
    assert lines(await bot.say("进度", user="zzsup"))[-1] == "上报截止 2023-06-10，还有 3 天"
    bot._clock[0] = datetime(2023, 5, 1, 10, 0, tzinfo=TZ)
    assert lines(await bot.say("进度", user="zzsup"))[-2:] == [
        "活动未开始（2023-05-04 开始，共 32 天）", "上报截止 2023-06-10，还有 40 天"]


async def test_group_chat_answers_for_the_bound_bureau(bot):
    await dataset.build(bot)
    await bind(bot, "grp-zz", "泽州县")

    def group(user: str, text: str) -> Incoming:
        return Incoming(channel="console", user_id=user, chat_id="grp-zz", kind=Kind.TEXT, text=text,
                        msg_id=uuid.uuid4().hex, is_group=True)

    # in the group an inspector gets the bureau's totals, never their own work
    assert lines(await bot.push(group("zz1", "进度"))) == ZZ_BLOCK
    assert await bot.push(group("gp1", "进度")) == "该群绑定的是泽州县，您无权在此查看其进度。请私聊我回复“进度”。"
    assert lines(await bot.push(group("city", "全市进度"))) == CITY_VIEW
    assert await bot.push(group("zz1", "今日")) == "群聊中不处理检查记录。请私聊我开始检查；群里可查询进度。"


async def bind(bot, chat_id: str, bureau: str) -> int:
    repos = bot.repos()
    try:
        binding = await repos.org.bind_group(await repos.org.bureau(bureau), "console", chat_id, title=bureau)
        await repos.commit()
        return binding.id
    finally:
        await repos.session.close()


async def test_approved_only_campaign_counts_approved_inspections(tmp_path):
    """A campaign whose quota_counts is `approved`: a submitted inspection counts once a supervisor
    approves it (through the review conversation)."""
    from bot.config import BUNDLED_CAMPAIGN
    from storage.state import MemoryStateStore
    from tests.conftest import DEFAULT_NOW
    from tests.harness import Harness

    campaign = tmp_path / "approved.yaml"
    campaign.write_text(BUNDLED_CAMPAIGN.read_text(encoding="utf-8").replace(
        "quota_counts: submitted", "quota_counts: approved"), encoding="utf-8")
    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/a.db", MemoryStateStore(), tmp_path, DEFAULT_NOW,
                              campaign_file=campaign)
    try:
        d = await dataset.build(bot)
        assert lines(await bot.say("进度", user="zzsup"))[1] == "企业：0/10 家，还差 10 家（检查 0 次）"
        await bot.say(f"审核 {d.inspections['jinda']}", user="zzsup")
        assert "通过" in await bot.say("1", user="zzsup")
        # only the approved one counts; unapproved ones are not "期外" either: they are not counted at all
        assert lines(await bot.say("进度", user="zzsup")) == [
            "【泽州县】进度 2023-05-10",
            "企业：1/10 家，还差 9 家（检查 1 次）",
            "  煤矿 0 · 非煤矿山 1 · 危险化学品 0 · 金属冶炼 0",
            "已提交 3 家 · 审核通过 1 家，任务数按审核通过计",  # both counts; the quota uses the second
            "待审核 5 份",
            "典型案例：1/1",
            # findings, penalties and orders are those of the counted inspections (bot.counting): the
            # orders on 巴公煤业 wait for its review, like its findings
            "已确认问题 1 项：查培训计划 0 · 查持证情况 1 · 查培训档案 0",
            "草稿 1 份未提交",
            "还剩 26 天（含今天，至 2023-06-04），平均每天需 0.4 家",  # 9 / 26 = 0.35 -> 0.4
            "⚠️ 落后于进度（按进度今天应达 2 家）",
            "上报截止 2023-06-10，还有 31 天",
        ]
    finally:
        await bot.close()
