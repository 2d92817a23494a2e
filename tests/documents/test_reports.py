"""The written report (督查检查书面情况), the city's summary and the spreadsheet, asked for in the chat
by supervisors, checked against the records."""

from __future__ import annotations

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
    assert "督查检查书面情况" in reply and "请于 2023-06-10 前报市局教育训练科" in reply
    [report] = documents_sent(bot)
    text = docx_text(report.path)
    assert "泽州县应急管理局关于安全生产培训“走过场”专项整治工作“回头看”督查检查书面情况" in text
    assert "市局教育训练科：" in text and "晋市应急教发[2023]90号" in text
    industries = docx_table(report.path, texts.DOC_INDUSTRY_COLUMNS)
    assert industries[0] == ["煤矿", "1", "1", "1", "3"] and industries[-1] == ["合计", "1", "1", "1", "3"]
    problems = {r[0]: r[3:] for r in docx_table(report.path, texts.DOC_PROBLEM_COLUMNS)}
    assert problems["1.2"] == ["1", "1"] and problems["2.3"] == ["1", "2"] and problems["1.1"] == ["0", "0"]
    assert "本期未作出行政处罚或责令改正" in text and case.title in text
    assert "四、整改复查情况\n本期未下达整改单。" in text
    assert docx_table(report.path, texts.DOC_REVIEW_COLUMNS) == [["泽州县", "1", "0", "0", "1"]]
    # answered all at once, an expired certificate: the integrity flags are in 需关注
    flags = await rows(bot, IntegrityFlag)
    kinds = {"too_fast": "答题过快", "cert_expired": "证书已过期"}
    assert sorted(f.kind for f in flags) == sorted(kinds) and "证据核查需关注 2 项" in text
    assert docx_table(report.path, texts.DOC_FLAG_COLUMNS) == [
        [str(n), kinds[f.kind], ENTERPRISE, "2023-05-10", f.reason] for n, f in enumerate(flags, 1)]
    [detail] = docx_table(report.path, texts.DOC_TABLE_COLUMNS)
    assert detail == ["1", ENTERPRISE, "煤矿", "2023-05-10", "张检查、王五", "3", "是"]

    assert "只能导出本局" in await bot.say("报告 阳城县")
    assert "没有找到单位“火星县”" in await bot.say("报告 火星县")

    await bot.register("city", name="郑市", bureau="市局", role="supervisor")
    await bot.say("报告")
    summary = documents_sent(bot)[-1]
    text = docx_text(summary.path)
    assert "晋城市应急管理局安全生产培训“走过场”专项整治工作“回头看”督查检查情况汇总" in text
    bureaus = {r[0]: r[1:] for r in docx_table(summary.path, texts.DOC_BUREAU_COLUMNS)}
    assert bureaus["泽州县"] == ["1", "1/10", "3", "0", "1/1"] and bureaus["市局"] == ["0", "0/6", "0", "0", "0/1"]
    assert bureaus["合计"][0] == "1"
    assert docx_table(summary.path, texts.DOC_FLAG_COLUMNS_CITY) == [
        [str(n), "泽州县", kinds[f.kind], ENTERPRISE, "2023-05-10", f.reason] for n, f in enumerate(flags, 1)]
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
    assert wb.sheetnames == ["检查", "检查情况", "问题", "证书", "典型案例", "需关注", "整改"]
    inspections = list(wb["检查"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[5], r[9]) for r in inspections] == [(insp.id, ENTERPRISE, "已提交", "是")]
    verdicts = {"pass": "符合", "fail": "不符合", "na": "不适用"}
    answers = {a.requirement_id: a for a in await rows(bot, Answer)}
    sheet_answers = {r[2]: (r[5], r[6] or "") for r in wb["检查情况"].iter_rows(min_row=2, values_only=True)}
    assert sheet_answers == {rid: (verdicts[a.verdict], a.note) for rid, a in answers.items()}
    findings = await rows(bot, Finding)
    assert [(r[2], r[4]) for r in wb["问题"].iter_rows(min_row=2, values_only=True)] == [
        (f.requirement_id, f.description) for f in findings]
    [cert] = await rows(bot, Certificate)
    [row] = list(wb["证书"].iter_rows(min_row=2, values_only=True))
    assert row[2:6] == (cert.person_name, cert.position, cert.cert_type, cert.cert_number)
    assert row[6].date() == cert.expiry_date
    [case_row] = list(wb["典型案例"].iter_rows(min_row=2, values_only=True))
    assert case_row[4] == "已完成"
