"""The evidence-integrity flags and the enforcement outcomes in the documents: a photo reused at
another enterprise, orders issued with 整改, one rectified and one escalated at the 复查, one left
overdue, review decisions; the report, the city's summary, the checklist and the spreadsheet are
opened and compared with the records."""

from __future__ import annotations

from openpyxl import load_workbook

from bot import texts
from bot.documents.official import citation
from storage.models import Evidence, Finding, Inspection, IntegrityFlag, RectificationOrder
from storage.models_enforcement import FollowUp
from tests.documents.drive import documents_sent, docx_table, docx_text, rows, submit_two_findings
from tests.integrity.corpus import jpeg, original

A, B, C = "泽州县甲煤业有限公司", "泽州县乙煤业有限公司", "泽州县丙化工有限公司"
KINDS = {"photo_reused": "照片重复使用", "too_fast": "答题过快"}


def picture(tmp_path, name: str, seed: int):
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(jpeg(original(seed)))
    return path


async def enforce(bot, tmp_path, images) -> dict[str, int]:
    """Three inspections of 泽州县 on 2023-05-10; B reuses A's photo and is answered at once. Orders:
    A 2023-05-15 and 2023-06-30; B 15 days, and 2023-05-20 with a fine. On 2023-05-22 the 复查 of B
    closes one as rectified and escalates the other. A is approved, B returned, C waits."""
    await bot.register()
    plan = picture(tmp_path, "plan", 1)
    ids = {"A": await submit_two_findings(bot, A, picture(tmp_path, "signed_a", 2), photo=plan, minutes=40),
           "B": await submit_two_findings(bot, B, picture(tmp_path, "signed_b", 3), photo=plan),
           "C": await submit_two_findings(bot, C, picture(tmp_path, "signed_c", 4), industry="危险化学品",
                                          minutes=40)}
    assert "下达整改 1/2" in await bot.say(f"整改 {ids['B']}")
    for line in ("15天", "不罚款", "2023-05-20"):
        await bot.say(line)
    assert "整改单已全部下达（2 份）" in await bot.say("罚款 20000 晋应急罚〔2023〕12号")
    await bot.say(f"整改 {ids['A']}")
    for line in ("2023-05-15", "不罚款", "2023-06-30"):
        await bot.say(line)
    assert "整改单已全部下达（2 份）" in await bot.say("不罚款")

    bot.advance(days=12)  # 2023-05-22
    assert "复查 1/2" in await bot.say(f"复查 {ids['B']}")
    assert "复查照片已保存" in await bot.say(f"/photo {images['sheet']}")
    await bot.say("已整改")
    assert "已整改，已销号" in await bot.say("新考勤表已规范签到")
    await bot.say("未整改")
    assert "销号 1 份，升级 1 份" in await bot.say("仍未补齐试卷")

    await bot.register("boss", name="周局", role="supervisor")
    await bot.say(f"审核 {ids['A']}")
    assert "审核通过" in await bot.say("通过")
    await bot.say(f"审核 {ids['B']}")
    await bot.say("退回")
    assert "已退回" in await bot.say("1.1 的照片与甲煤业相同，请补拍")
    return ids


async def test_report_summary_checklist_and_sheets_show_flags_and_orders(bot, tmp_path, images):
    ids = await enforce(bot, tmp_path, images)
    campaign = bot.app.campaign
    orders = {o.id: o for o in await rows(bot, RectificationOrder)}
    findings = {f.id: f.description for f in await rows(bot, Finding)}
    flags = await rows(bot, IntegrityFlag)
    # the records the documents must show: B's reused photo and pace, nothing on A or C
    assert sorted((f.kind, f.inspection_id, f.other_inspection_id) for f in flags) == sorted(
        [("photo_reused", ids["B"], ids["A"]), ("too_fast", ids["B"], None)])
    by_insp = {}
    for o in orders.values():
        by_insp.setdefault(o.inspection_id, []).append(o)
    a_late, a_later = by_insp[ids["A"]]
    b_fixed, b_escalated = by_insp[ids["B"]]
    assert [o.status for o in (a_late, a_later, b_fixed, b_escalated)] == ["open", "open", "rectified", "escalated"]

    # the county's report, asked for on 2023-05-22: orders and penalties separately, the late ones named
    await bot.say("报告")
    [report] = documents_sent(bot, "boss")
    text = docx_text(report.path)
    assert ("对发现的问题，依法责令限期改正4项；实施行政处罚1起，罚款20,000元。截至2023年5月22日，已整改销号1项，"
            "逾期未改正依法升级处理1项，正在整改2项（其中已逾期1项）。") in text
    basis = campaign.legal_basis
    assert (f"1. {A}：{findings[a_late.finding_id]}，整改期限2023年5月15日，已逾期7天，正在督促整改。") in text
    assert (f"2. {B}：{findings[b_escalated.finding_id]}，整改期限2023年5月20日，2023年5月22日复查未整改，"
            f"已依法升级处理。") in text
    # the penalty table: only the decision with a fine, as decided (not the legal range, no "0")
    assert docx_table(report.path, texts.RPT_PENALTY_COLUMNS) == [
        ["1", B, findings[b_escalated.finding_id], "《中华人民共和国安全生产法》第九十七条第（四）项",
         "罚款20,000元（晋应急罚〔2023〕12号）"]]
    # internal matters are not in the report: they are in the internal annex
    assert "需关注" not in text and "审核" not in text and not any(f.reason in text for f in flags)
    await bot.say("报告 内部")
    internal = documents_sent(bot, "boss")[-1]
    assert docx_table(internal.path, texts.DOC_REVIEW_COLUMNS) == [["泽州县", "3", "1", "1", "1"]]
    assert "审核通过 1 份，退回修改 1 份，待审核 1 份" in docx_text(internal.path)
    assert docx_table(internal.path, texts.DOC_FLAG_COLUMNS) == [
        [str(n), KINDS[f.kind], B, "2023-05-10", f.reason] for n, f in enumerate(flags, 1)]

    # the city's report: the county's row, the total the sum of the rows; flags in its annex only
    await bot.register("city", name="郑市", bureau="市局", role="supervisor")
    await bot.say("报告")
    [summary] = documents_sent(bot, "city")
    counts = {r[0]: r[1:] for r in docx_table(summary.path, texts.RPT_BUREAU_COLUMNS)}
    assert counts["泽州县"] == ["3", "3/10", "6", "4", "20,000", "0/1"] and counts["阳城县"][:2] == ["0", "0/10"]
    assert counts["合计"] == ["3", "3/66", "6", "4", "20,000", "0/7"]
    assert "需关注" not in docx_text(summary.path)
    await bot.say("报告 内部")
    internal = documents_sent(bot, "city")[-1]
    reviews = {r[0]: r[1:] for r in docx_table(internal.path, texts.DOC_REVIEW_COLUMNS)}
    assert reviews["泽州县"] == reviews["合计"] == ["3", "1", "1", "1"]
    assert docx_table(internal.path, texts.DOC_FLAG_COLUMNS_CITY) == [
        [str(n), "泽州县", KINDS[f.kind], B, "2023-05-10", f.reason] for n, f in enumerate(flags, 1)]

    # B's checklist: the orders with their outcome, the flags for the reviewer, the follow-up photo
    await bot.say(f"导出 {ids['B']}", user="insp1")
    checklist = documents_sent(bot, "insp1")[-1].path
    evidence = await rows(bot, Evidence, inspection_id=ids["B"])
    figure = {e.id: n for n, e in enumerate(evidence, 1)}
    [followup_photo] = [e for e in evidence if e.requirement_id == f"fu{b_fixed.id}"]
    assert docx_table(checklist, texts.DOC_ORDER_COLUMNS) == [
        ["1", findings[b_fixed.finding_id], citation(basis[b_fixed.legal_basis]), "责令于2023年5月25日前改正",
         "2023年5月25日", "赵总", f"已整改（2023年5月22日复查）（见附件图 {figure[followup_photo.id]}）"],
        ["2", findings[b_escalated.finding_id], citation(basis[b_escalated.legal_basis]),
         "责令于2023年5月20日前改正，罚款20,000元（晋应急罚〔2023〕12号）；逾期未改正，已依法升级处理",
         "2023年5月20日", "赵总", "逾期未改，已升级（2023年5月22日复查）"]]
    text = docx_text(checklist)
    assert "（整改情况截至2023年5月22日）" in text
    # the decision, not the legal range; the flags are not on the form the enterprise signs
    assert "处十万元以下的罚款" not in text and "需关注" not in text and "证据核查" not in text
    assert not any(f.reason in text for f in flags)
    assert f"图{figure[followup_photo.id]}　复查：整改单 #{b_fixed.id}" in text
    # A's checklist: one order overdue on the day it is asked for, no flags
    await bot.say(f"导出 {ids['A']}", user="insp1")
    checklist = documents_sent(bot, "insp1")[-1].path
    assert [r[6] for r in docx_table(checklist, texts.DOC_ORDER_COLUMNS)] == ["整改中，已逾期 7 天", "整改中"]

    # the spreadsheet: 需关注 and 整改 row for row as recorded
    await bot.say("导出 表格", user="boss")
    wb = load_workbook(documents_sent(bot, "boss")[-1].path)
    assert wb.sheetnames[-2:] == ["需关注", "整改"]
    names = {i.id: i.enterprise.name for i in await rows(bot, Inspection)}
    sheet = [r for r in wb["需关注"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[2], r[3], r[4], r[5].date().isoformat(), r[6], r[9]) for r in sheet] == [
        (f.id, KINDS[f.kind], f.inspection_id, "泽州县", B, "2023-05-10", f.reason, "待核实") for f in flags]
    assert sheet[[f.kind for f in flags].index("photo_reused")][7] == f"#{ids['A']} {A}（2023-05-10）"
    followups = {f.order_id: f for f in await rows(bot, FollowUp)}
    sheet = {r[0]: r for r in wb["整改"].iter_rows(min_row=2, values_only=True)}
    assert sorted(sheet) == sorted(orders)
    status = {"open": "整改中", "rectified": "已整改", "escalated": "逾期未改，已升级"}
    for oid, o in orders.items():
        row = sheet[oid]
        assert row[1:5] == (o.inspection_id, "泽州县", names[o.inspection_id], findings[o.finding_id]), oid
        assert (row[5], row[6], row[7], row[8]) == (citation(basis[o.legal_basis]), o.measure,
                                                    o.penalty_amount or 0, o.decision_no or None)
        assert (row[9].date(), row[10], row[11]) == (o.due_date, o.responsible_person, status[o.status])
        visit = followups.get(oid)
        assert row[14] == (1 if visit else 0)
        if visit:
            result = {"rectified": "已整改", "not_rectified": "未整改"}[visit.result]
            assert row[15] == f"2023-05-22 {result}（张检查，照片 {visit.photos} 张）：{visit.note}"
    assert followups[b_fixed.id].photos == 1 and "新考勤表已规范签到" in sheet[b_fixed.id][15]
    inspections = {r[0]: r for r in wb["检查"].iter_rows(min_row=2, values_only=True)}
    assert [inspections[ids[k]][12:14] for k in "ABC"] == [("已通过", 0), ("已退回", 2), ("待审核", 0)]
