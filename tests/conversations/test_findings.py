"""One fact, one finding: a certificate finding of the register and the verdict on its requirement
are one record. A verdict that contradicts a confirmed finding is asked about, never taken
silently; correcting a verdict never creates a second finding for the same fact; and progress, the
digest, the report and the spreadsheet count the same findings."""

from __future__ import annotations

import re
from datetime import date

from openpyxl import load_workbook

from bot import digest as digest_mod
from storage.models import Answer, Certificate, Finding
from tests.conversations.test_inspection import begin, records
from tests.documents.drive import documents_sent


async def register_wang(bot) -> None:
    """王小虎: special-work certificate expired, not found on the platform; both confirmed."""
    for _ in range(4):  # 1.1 .. 2.1
        await bot.say("符合")
    for line in ("登记一人", "王小虎", "特种作业人员", "特种作业操作证", "T14052519900101", "2023-03-01", "未查到"):
        await bot.say(line)
    reply = await bot.say("完成")
    assert "自动核对发现 2 个问题" in reply
    assert "已确认" in await bot.say("确认是问题")
    assert "已确认" in await bot.say("确认是问题")
    assert "2.2" in await bot.say("登记完成")


async def finding_rows(bot) -> list[tuple[str, str, bool | None]]:
    return [(f.requirement_id, f.source, f.confirmed) for f in await records(bot, Finding)]


async def test_a_verdict_against_a_confirmed_finding_is_questioned(bot, images):
    await bot.register()
    await begin(bot)
    await register_wang(bot)
    # 2.2 不适用 against "平台未查到": asked; kept as said, the contradiction written down
    reply = await bot.say("不适用")
    assert "记为“不适用”，但证书登记中已确认" in reply and "王小虎的特种作业操作证在全国查询平台未查到" in reply
    assert "与登记发现矛盾，已注明" in await bot.say("仍按原判，注明矛盾")
    # 2.3 符合 against "已过期": asked; changed to 不符合, the register's finding is its finding
    reply = await bot.say("符合")
    assert "2.3 记为“符合”，但证书登记中已确认" in reply and "已于 2023-03-01 过期" in reply
    reply = await bot.say("改为不符合")
    assert "2.3：不符合 ✓（问题 1 项，来自证书登记）" in reply and "3.1" in reply
    answers = {a.requirement_id: (a.verdict, a.note) for a in await records(bot, Answer)}
    assert answers["2.2"][0] == "na" and "与证书登记发现不一致" in answers["2.2"][1]
    assert answers["2.3"] == ("fail", "见证书登记发现")
    assert await finding_rows(bot) == [("2.3", "certificate", True), ("2.2", "certificate", True)]

    # correcting 2.3 again, to 不符合 with a note of its own: still one finding for the fact
    await bot.say("修改 2.3")
    reply = await bot.say("不符合")
    assert "证书登记中已确认" in reply and "不重复计数" in reply
    assert "不重复计数" in await bot.say("王小虎仍在岗作业")
    assert await finding_rows(bot) == [("2.3", "certificate", True), ("2.2", "certificate", True)]
    # and withdrawing a finding that turned out wrong: it stays on record, unconfirmed, not counted
    await bot.say("修改 2.2")
    await bot.say("符合")
    assert "已撤销登记中的 1 项问题" in await bot.say("登记发现不属实，撤销")
    assert await finding_rows(bot) == [("2.3", "certificate", True), ("2.2", "certificate", False)]


async def test_no_certificate_is_one_finding_without_a_platform_lookup(bot):
    await bot.register()
    await begin(bot)
    for _ in range(4):
        await bot.say("符合")
    for line in ("登记一人", "张三", "特种作业人员", "特种作业操作证"):
        await bot.say(line)
    assert "证件照片" in await bot.say("无证")  # typed where the number is asked
    reply = await bot.say("完成")
    assert "自动核对发现 1 个问题" in reply and "张三（特种作业人员）无证，应持特种作业操作证" in reply
    assert "在全国查询平台未查到" not in reply
    [cert] = await records(bot, Certificate)
    assert (cert.cert_type, cert.cert_number, cert.platform_confirmed) == ("无证", "", None)


async def test_counts_of_findings_agree_in_progress_digest_report_and_spreadsheet(bot, images):
    await bot.register()
    await begin(bot)
    await register_wang(bot)
    await bot.say("不符合")  # 2.2: the platform finding
    await bot.say("无")  # nothing to add: the register's finding is the note
    await bot.say("不符合")  # 2.3: the expiry
    await bot.say("证书过期仍在岗")
    await bot.say("不符合")  # 3.1: a finding of its own
    await bot.say("一人一档缺三人")
    await bot.say("符合")
    reply = await bot.say("符合")
    assert "问题 3 项" in reply  # the review summary
    # a correction after the fact: 3.1 passed after all, 2.3 failed with another note
    await bot.say("修改 3.1")
    await bot.say("符合")
    await bot.say("修改 2.3")
    await bot.say("不符合")
    await bot.say("证书过期，补充说明")
    for line in ("提交", "赵大勇", f"/photo {images['form']}", "完成"):
        await bot.say(line)
    assert "已提交" in await bot.say("确认提交")
    confirmed = [f for f in await records(bot, Finding) if f.confirmed]
    assert len(confirmed) == 2

    await bot.register("boss", name="周局", bureau="泽州县", role="supervisor")
    progress = await bot.say("进度")
    assert re.search(r"已确认问题 2 项", progress), progress

    async def build_digest(repos):
        bureau = await repos.org.bureau("泽州县")
        return await digest_mod.build(repos, bot.app.campaign, bureau, date(2023, 5, 10))
    digest = await bot.query(build_digest)
    assert "问题 2" in digest.text or "问题2" in digest.text, digest.text

    await bot.say("导出 表格")
    sheet = load_workbook(documents_sent(bot, "boss")[-1].path)
    assert len(list(sheet["问题"].iter_rows(min_row=2, values_only=True))) == 2
    summary = sheet["汇总"]
    header = [c.value for c in summary[2]]
    row = next(r for r in summary.iter_rows(min_row=3, values_only=True) if r[0] == "泽州县")
    assert row[header.index("问题（项）")] == 2
