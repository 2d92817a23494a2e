"""The daily digest through the scheduler's own entry points: at DIGEST_TIME, once per group and
day (also with two server processes on one PostgreSQL and Redis), a missed one sent when the server
comes back the same day, "since yesterday", the final tally after the deadline. Every number of the
posted text is checked; the chart is a real PNG file sent after it."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

from PIL import Image as PILImage
from sqlalchemy import select

from bot.messages import Image, Text
from bot.scheduler import background_jobs, tick
from storage.models import DigestLog
from tests.conftest import TZ
from tests.harness import Harness
from tests.progress import dataset
from tests.progress.test_queries import CITY_VIEW, ZZ_BLOCK, bind

ZZ_DIGEST_0510 = ["📊 泽州县“回头看”日报 2023-05-10", *ZZ_BLOCK[1:], "（首份日报）"]
CITY_DIGEST_0510 = ["📊 全市“回头看”日报 2023-05-10", *CITY_VIEW[1:], "（首份日报）"]

ZZ_DIGEST_0511 = [
    "📊 泽州县“回头看”日报 2023-05-11",
    "企业：4/10 家，还差 6 家（检查 5 次）",
    "  煤矿 2 · 非煤矿山 1 · 危险化学品 0 · 金属冶炼 1",
    "不计入：期外检查 1 次、非目标行业 1 家",
    "已提交 4 家 · 审核通过 0 家，任务数按已提交计",
    "待审核 7 份",
    "典型案例：1/1",
    "已确认问题 3 项：查培训计划 1 · 查持证情况 1 · 查培训档案 1",
    "处罚 1 起，共 20,000 元",
    "整改单：未结 1（3 天内到期 0，逾期 0），已整改 1，已升级 0",
    "草稿 1 份未提交",
    "还剩 25 天（含今天，至 2023-06-04），平均每天需 0.3 家",  # 6 / 25 = 0.24 -> 0.3
    "上报截止 2023-06-10，还有 30 天",
    "较上次日报（2023-05-10）：企业 +1，检查 +1",
]
CITY_DIGEST_0511 = [
    "📊 全市“回头看”日报 2023-05-11",
    # on 05-11 an even pace needs ceil(6*7/32) = 2 (county: ceil(10*7/32) = 3); 25 days left
    "市局 1/6家 应达2 差5 日需0.2 案例0/1 问题0 草稿0 ⚠️",
    "城区 0/10家 应达3 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "泽州县 4/10家 应达3 差6 日需0.3 案例1/1 问题3 草稿1",
    "高平市 2/10家 应达3 差8 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "阳城县 0/10家 应达3 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "陵川县 0/10家 应达3 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "沁水县 0/10家 应达3 差10 日需0.4 案例0/1 问题0 草稿0 ⚠️",
    "合计 7/66家 案例1/7 问题3 草稿1",
    "全市检查企业 6 家（去重；1 家次为同一企业由不同单位检查，各计入本单位任务）",
    "不计入：期外检查 2 次、非目标行业 1 家",
    "已提交 7 家 · 审核通过 0 家，任务数按已提交计",
    "待审核 12 份：市局 2 · 泽州县 7 · 高平市 3",
    "处罚 1 起，共 20,000 元",
    "整改单 泽州县：未结 1（3 天内到期 0，逾期 0），已整改 1，已升级 0",
    "落后：市局、城区、高平市、阳城县、陵川县、沁水县",
    "还剩 25 天（含今天，至 2023-06-04）",
    "上报截止 2023-06-10，还有 30 天",
    "较上次日报（2023-05-10）企业：泽州县 +1",
]


def at(bot: Harness, *args: int) -> None:
    bot._clock[0] = datetime(*args, tzinfo=TZ)


def posts(bot: Harness, chat: str, start: int = 0) -> list:
    return [m for c, m in bot.console.sent[start:] if c == chat]


def check_post(messages: list, text: list[str], caption: str) -> Path:
    """A digest is its text, then its chart: a real PNG file."""
    assert len(messages) == 2, messages
    assert isinstance(messages[0], Text) and messages[0].text.split("\n") == text
    assert isinstance(messages[1], Image) and messages[1].caption == caption
    path = Path(messages[1].path)
    with PILImage.open(path) as img:
        assert img.format == "PNG" and img.width > 500 and img.height > 400
    return path


async def digest_rows(bot: Harness) -> list[tuple[int, date, str]]:
    async def q(repos):
        rows = await repos.session.scalars(select(DigestLog).order_by(DigestLog.binding_id, DigestLog.day))
        return [(r.binding_id, r.day, r.status) for r in rows.all()]
    return await bot.query(q)


async def test_daily_digest_once_per_group_then_since_yesterday(bot):
    await dataset.build(bot)
    zz = await bind(bot, "grp-zz", "泽州县")
    city = await bind(bot, "grp-city", "市局")

    at(bot, 2023, 5, 10, 17, 59)
    assert await tick(bot.app) is False and bot.console.sent == []  # not yet DIGEST_TIME (18:00)
    at(bot, 2023, 5, 10, 18, 0, 30)
    assert await tick(bot.app) is True
    check_post(posts(bot, "grp-zz"), ZZ_DIGEST_0510, "泽州县 进度图 2023-05-10")
    check_post(posts(bot, "grp-city"), CITY_DIGEST_0510, "全市 进度图 2023-05-10")
    sent = len(bot.console.sent)
    at(bot, 2023, 5, 10, 22, 0)
    await tick(bot.app)  # a later check the same day (or a rerun): nothing more
    assert len(bot.console.sent) == sent
    assert await digest_rows(bot) == [(zz, date(2023, 5, 10), "sent"), (city, date(2023, 5, 10), "sent")]

    # the next day: one more 泽州县 enterprise; the digest says what changed
    await dataset.add_submitted(bot, "泽州县天池煤业有限公司", "煤矿", "泽州县", "zz1", date(2023, 5, 11))
    at(bot, 2023, 5, 11, 18, 5)
    await tick(bot.app)
    check_post(posts(bot, "grp-zz", sent), ZZ_DIGEST_0511, "泽州县 进度图 2023-05-11")
    check_post(posts(bot, "grp-city", sent), CITY_DIGEST_0511, "全市 进度图 2023-05-11")


async def test_missed_digest_is_sent_on_restart_the_same_day_and_not_twice(bot, tmp_path):
    """The server was down at 18:00; it comes back at 20:00 and its scheduler sends the digest; a
    second restart the same evening sends nothing."""
    await dataset.build(bot)
    await bind(bot, "grp-zz", "泽州县")
    at(bot, 2023, 5, 10, 20, 0)
    job = asyncio.create_task(background_jobs(bot.app)[0]())  # what `serve` starts
    try:
        for _ in range(200):
            if len(posts(bot, "grp-zz")) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        job.cancel()
    check_post(posts(bot, "grp-zz"), ZZ_DIGEST_0510, "泽州县 进度图 2023-05-10")

    url, state = bot.app.settings.database_url, bot.app.state
    again = await Harness.start(url, state, tmp_path, datetime(2023, 5, 10, 21, 0, tzinfo=TZ))
    try:
        assert await tick(again.app) is True
        assert again.console.sent == []
    finally:
        await again.close()
    assert len(await digest_rows(bot)) == 1


async def test_two_processes_post_one_digest_per_group(pg_url, redis_store, tmp_path):
    """Two App instances on one PostgreSQL database and one Redis run the digest at the same moment."""
    now = datetime(2023, 5, 10, 18, 0, 5, tzinfo=TZ)
    first = await Harness.start(pg_url, redis_store, tmp_path / "a", now)
    second = await Harness.start(pg_url, redis_store, tmp_path / "b", now)
    try:
        await dataset.build(first)
        groups = {"grp-zz": "泽州县", "grp-gp": "高平市", "grp-city": "市局"}
        for chat, bureau in groups.items():
            await bind(first, chat, bureau)
        for _ in range(3):  # several rounds of racing ticks
            await asyncio.gather(tick(first.app), tick(second.app))
        everything = first.console.sent + second.console.sent
        for chat in groups:
            texts = [m for c, m in everything if c == chat and isinstance(m, Text)]
            images = [m for c, m in everything if c == chat and isinstance(m, Image)]
            assert len(texts) == 1 and len(images) == 1, chat
        assert [m.text.split("\n") for c, m in everything if c == "grp-zz" and isinstance(m, Text)] == [
            ZZ_DIGEST_0510]
        assert [status for *_, status in await digest_rows(first)] == ["sent"] * 3
    finally:
        await first.close()
        await second.close()


async def test_final_tally_once_after_the_deadline(bot):
    await dataset.build(bot)
    await bind(bot, "grp-zz", "泽州县")
    at(bot, 2023, 6, 11, 18, 30)
    await tick(bot.app)
    check_post(posts(bot, "grp-zz"), [
        "📋 泽州县“回头看”最终统计（上报截止 2023-06-10）",
        "企业：3/10 家，还差 7 家（检查 4 次）",
        "  煤矿 1 · 非煤矿山 1 · 危险化学品 0 · 金属冶炼 1",
        "不计入：期外检查 2 次、非目标行业 1 家",
        "已提交 3 家 · 审核通过 0 家，任务数按已提交计",
        "待审核 7 份",
        "典型案例：1/1",
        "已确认问题 3 项：查培训计划 1 · 查持证情况 1 · 查培训档案 1",
        "处罚 1 起，共 20,000 元",
        "整改单：未结 1（3 天内到期 0，逾期 1），已整改 1，已升级 0",  # due 05-25, now 06-11
        # 期外: 05-03 and 06-05, which is there now; neither visit's orders count
        "草稿 1 份未提交",
        "活动已结束（2023-06-04）",
        "⚠️ 未完成：还差 7 家",
        "上报已截止（2023-06-10）",
    ], "泽州县 进度图 2023-06-11")
    sent = len(bot.console.sent)
    at(bot, 2023, 6, 12, 18, 30)
    await tick(bot.app)
    at(bot, 2026, 11, 29, 18, 30)  # tried today: the campaign is long over, nothing more is posted
    await tick(bot.app)
    assert len(bot.console.sent) == sent


async def test_a_concurrent_claim_waits_for_the_first_and_then_loses(pg_url, redis_store, tmp_path):
    """The claim itself, on PostgreSQL: the second process's claim blocks until the first commits
    (so the day's digest cannot be built twice), then comes back empty."""
    from storage.repositories.progress import ProgressRepo

    now = datetime(2023, 5, 10, 18, 0, tzinfo=TZ)
    first = await Harness.start(pg_url, redis_store, tmp_path / "a", now)
    second = await Harness.start(pg_url, redis_store, tmp_path / "b", now)
    a, b = first.repos(), second.repos()
    try:
        binding = await bind(first, "grp-zz", "泽州县")
        assert await ProgressRepo(a.session).claim_digest(binding, date(2023, 5, 10)) is not None
        racing = asyncio.create_task(ProgressRepo(b.session).claim_digest(binding, date(2023, 5, 10)))
        await asyncio.sleep(0.5)
        assert not racing.done()  # waiting on the first claim's uncommitted row
        await a.commit()
        assert await asyncio.wait_for(racing, 10) is None
    finally:
        await a.session.close()
        await b.session.close()
        await first.close()
        await second.close()
