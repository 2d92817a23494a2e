"""The written report (督查检查书面情况), the city's summary and the spreadsheet, asked for in the chat
by supervisors, checked against the records."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook

from bot import texts
from storage.models import Answer, Certificate, Finding, Inspection, IntegrityFlag, TypicalCase
from tests.documents.drive import (
    ENTERPRISE, complete_inspection, documents_sent, docx_table, docx_text, finish_case_from_first_inspection, rows,
)


async def test_county_report_city_summary_and_spreadsheet(bot, images):
    await bot.register()
    await complete_inspection(bot, images)
    assert "已完成" in await finish_case_from_first_inspection(bot, images)
    [insp] = await rows(bot, Inspection)
    [case] = await rows(bot, TypicalCase)

    await bot.register("boss", name="周局", bureau="泽州县", role="supervisor")
    reply = await bot.say("/report")
    assert "督查检查情况的报告" in reply and "报告 定稿" in reply
    [report] = documents_sent(bot)
    text = docx_text(report.path)
    assert "泽州县应急管理局关于安全生产培训\n“走过场”专项整治工作\n“回头看”督查检查情况的报告" in text
    assert "市局教育训练科：" in text and "（晋市应急教发〔2023〕90号）" in text and "[2023]" not in text
    industries = docx_table(report.path, texts.RPT_INDUSTRY_COLUMNS)
    assert industries[0] == ["煤矿", "1", "1", "1", "2"] and industries[-1] == ["合计", "1", "1", "1", "2"]
    problems = {r[0]: r[3] for r in docx_table(report.path, texts.RPT_PROBLEM_COLUMNS)}
    assert problems["1.2"] == "1" and problems["2.3"] == "1" and problems["1.1"] == "0" and problems[""] == "2"
    assert "本次督查检查未发现需责令改正的问题，未实施行政处罚。" in text and case.title in text
    # answered all at once, an expired certificate: integrity flags exist, but only the internal annex has them
    flags = await rows(bot, IntegrityFlag)
    assert sorted(f.kind for f in flags) == ["cert_expired", "too_fast"]
    assert "需关注" not in text and not any(f.reason in text for f in flags)
    [detail] = docx_table(report.path, texts.RPT_DETAIL_COLUMNS)
    assert detail == ["1", ENTERPRISE, "煤矿", "2023年5月10日", "张检查、王五", "2", "是"]

    assert "只能导出本局" in await bot.say("报告 阳城县")
    assert "没有找到单位“火星县”" in await bot.say("报告 火星县")

    await bot.register("city", name="郑市", bureau="市局", role="supervisor")
    await bot.say("报告")
    summary = documents_sent(bot)[-1]
    text = docx_text(summary.path)
    assert "晋城市应急管理局关于全市安全生产培训\n“走过场”专项整治工作\n“回头看”督查检查情况的报告" in text
    assert "市委巡查办：" in text
    bureaus = {r[0]: r[1:] for r in docx_table(summary.path, texts.RPT_BUREAU_COLUMNS)}
    assert bureaus["泽州县"] == ["1", "1/10", "2", "0", "0", "1/1"] and bureaus["市局"] == ["0", "0/6", "0", "0", "0", "0/1"]
    assert bureaus["合计"] == ["1", "1/66", "2", "0", "0", "1/7"]
    await bot.say("报告 泽州县")
    assert "泽州县应急管理局关于" in docx_text(documents_sent(bot)[-1].path)

    await bot.say("导出 表格")
    sheet = documents_sent(bot)[-1]
    assert sheet.filename.endswith(".xlsx")
    await check_workbook(bot, sheet.path, insp)

    await bot.register("insp2", name="孙其他", bureau="泽州县")
    assert "由督查负责人导出" in await bot.say("导出 表格")


async def check_workbook(bot, path, insp) -> None:
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "检查", "检查情况", "问题", "证书", "典型案例", "需关注", "整改"]
    inspections = list(wb["检查"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[5], r[9]) for r in inspections] == [(insp.id, ENTERPRISE, "已提交", "是")]
    assert isinstance(inspections[0][8], datetime)  # 提交时间: a real date and time, not text
    # the summary: every bureau against its quota and the total; printable on A4 landscape
    summary = {r[0]: r[1:] for r in wb["汇总"].iter_rows(min_row=3, values_only=True) if r[1] is not None}
    assert summary["泽州县"][:4] == (10, 1, 1, 0.1) and summary["合计"][:3] == (66, 1, 1)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows and ws.oddFooter.center.text
    verdicts = {"pass": "符合", "fail": "不符合", "na": "不适用"}
    answers = {a.requirement_id: a for a in await rows(bot, Answer)}
    sheet_answers = {r[2]: (r[5], r[6] or "") for r in wb["检查情况"].iter_rows(min_row=2, values_only=True)}
    assert sheet_answers == {rid: (verdicts[a.verdict], a.note) for rid, a in answers.items()}
    findings = await rows(bot, Finding)
    assert [(r[1], r[3], r[4].date(), r[5], r[7]) for r in wb["问题"].iter_rows(min_row=2, values_only=True)] == [
        ("泽州县", "煤矿", insp.inspection_date, f.requirement_id, f.description) for f in findings]
    [cert] = await rows(bot, Certificate)
    [row] = list(wb["证书"].iter_rows(min_row=2, values_only=True))
    assert row[2:6] == (cert.person_name, cert.position, cert.cert_type, cert.cert_number)
    assert row[6].date() == cert.expiry_date
    [case_row] = list(wb["典型案例"].iter_rows(min_row=2, values_only=True))
    assert case_row[4] == "已完成"
