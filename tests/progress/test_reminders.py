"""Reminders sent by the daily jobs: a draft untouched for a day, bureaus behind pace in the last
days of the period; each once, recorded in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.messages import Text
from bot.scheduler import tick
from storage.models import AuditLog
from tests.conftest import TZ
from tests.progress import dataset
from tests.progress.test_digest import at
from tests.progress.test_queries import bind


def texts_to(bot, chat: str, start: int = 0) -> list[str]:
    return [m.text for c, m in bot.console.sent[start:] if c == chat and isinstance(m, Text)]


def drafts_to(bot, chat: str) -> list[str]:
    return [t for t in texts_to(bot, chat) if "草稿" in t and t.startswith("⏰")]


async def reminders_logged(bot) -> list[tuple[str, int, str]]:
    async def q(repos):
        rows = await repos.session.scalars(select(AuditLog).where(AuditLog.field == "reminder").order_by(AuditLog.id))
        return [(r.entity, r.entity_id, r.new) for r in rows.all()]
    return await bot.query(q)


async def test_draft_untouched_for_a_day_is_reminded_once(bot):
    d = await dataset.build(bot)
    # the draft's last change is stamped with the real time: "a day later" is a day after now
    later = (datetime.now(TZ) + timedelta(days=2)).replace(hour=18, minute=30)
    bot._clock[0] = later
    await tick(bot.app)
    iid = d.inspections["yikuang"]
    assert drafts_to(bot, "zz1") == [
        f"⏰ 检查 #{iid}（泽州县一矿，2023-05-10）已超过一天没有更新，还是草稿。回复“继续 {iid}”接着填写，或“取消”放弃。"]
    assert drafts_to(bot, "zz2") == []  # 李检查's only other inspection was cancelled, not a draft
    # the same daily jobs send the rectification orders' reminders (bot.enforcement_jobs)
    assert any(t.startswith("整改单 #") and "到期未复查" in t for t in texts_to(bot, "zz1"))
    bot._clock[0] = later + timedelta(days=1)
    await tick(bot.app)
    assert len(drafts_to(bot, "zz1")) == 1
    assert [(e, i) for e, i, _ in await reminders_logged(bot)] == [("inspection", iid)]


async def test_bureaus_behind_pace_are_reminded_before_the_period_ends(bot):
    await dataset.build(bot)
    await bind(bot, "grp-zz", "泽州县")
    at(bot, 2023, 5, 29, 18, 10)  # 7 days left, today included
    await tick(bot.app)
    # behind: an even pace needs ceil(10*25/32) = 8 (counties), ceil(6*25/32) = 5 (市局)
    zz_reminder = "⏰ 泽州县“回头看”进度落后：企业 3/10 家，活动还剩 7 天，平均每天需 1 家。"
    assert texts_to(bot, "grp-zz")[-1] == zz_reminder  # after that day's digest, in the bound group
    assert texts_to(bot, "gpsup") == ["⏰ 高平市“回头看”进度落后：企业 2/10 家，活动还剩 7 天，平均每天需 1.2 家。"]
    assert texts_to(bot, "city") == ["⏰ 市局“回头看”进度落后：企业 1/6 家，活动还剩 7 天，平均每天需 0.8 家。"]
    assert texts_to(bot, "gp1") == [] and texts_to(bot, "cityinsp") == []  # supervisors only

    start = len(bot.console.sent)
    at(bot, 2023, 5, 30, 18, 10)
    await tick(bot.app)
    assert [t for t in texts_to(bot, "grp-zz", start) if t.startswith("⏰")] == []
    assert texts_to(bot, "gpsup", start) == []

    at(bot, 2023, 6, 2, 18, 10)  # 3 days left: the last reminder
    await tick(bot.app)
    assert texts_to(bot, "gpsup", start) == [
        "⏰ 高平市“回头看”进度落后：企业 2/10 家，活动还剩 3 天，平均每天需 2.7 家。"]  # 8 / 3 = 2.67 -> 2.7
    logged = [what for entity, _, what in await reminders_logged(bot) if entity == "bureau"]
    # 7 bureaus behind at 7 days, the same 7 at 3 days
    assert logged.count("behind:jincheng-2023-huitoukan:7") == 7
    assert logged.count("behind:jincheng-2023-huitoukan:3") == 7
