"""The written report (督查检查书面情况) of a county to the city bureau, and the city's report of all
its counties, laid out as an official document (bot.documents.official, GB/T 9704): 版头 with the
发文字号 and 签发人, title, 主送, the introduction, the sections the notice asks for with their
tables, 附件说明, 署名 and 成文日期, 联系人, and the attachment listing every inspection.

Its numbers are the figures of bot.progress (the same as progress answers, digests and the
spreadsheet); its texts come from bot.documents.report_sections. Internal matters — the review of
inspections, the evidence-integrity flags, what was not counted — are never in it: they are in the
internal annex (bot.documents.report_internal)."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot import texts
from bot.campaign import Campaign
from bot.documents import official as of
from bot.documents import report_sections as rs
from bot.documents.report_sections import ReportScope
from storage.models import Bureau

__all__ = ["ReportScope", "build_report", "title_of"]

INDUSTRY_MM = [44, 28, 24, 32, 28]
PROBLEM_MM = [14, 28, 94, 20]
PENALTY_MM = [10, 34, 40, 40, 32]
PENALTY_CITY_MM = [10, 16, 30, 36, 34, 30]
BUREAU_MM = [20, 22, 24, 18, 22, 26, 24]
DETAIL_MM = [10, 44, 18, 26, 28, 16, 14]
DETAIL_CITY_MM = [10, 16, 38, 16, 24, 24, 14, 14]


def title_of(campaign: Campaign, bureau: Bureau) -> str:
    return rs.title(ReportScope(campaign=campaign, bureau=bureau, records=[], cases=[], bureaus=[],
                                as_of=campaign.period.end, rows=[]))


def build_report(scope: ReportScope, out: Path, *, final: bool = False) -> Path:
    """The report as .docx; a draft carries a mark at the top (the final one refuses to be made while
    a 【待填写】 is left: see report_sections.unfilled_parts)."""
    doc = of.document()
    if not final:
        mark = of.para(doc, texts.RPT_DRAFT_MARK, size=12, align="center", indent=False, color=of.RED)
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    of.masthead(doc, scope.bureau.name, rs.field_value(scope, "doc_no"), rs.field_value(scope, "signer"))
    of.title(doc, rs.title(scope))
    of.addressee(doc, rs.field_value(scope, "to"))
    of.para(doc, rs.intro(scope))
    for key, level, heading in rs.headings():
        (of.heading1 if level == 1 else of.heading2)(doc, heading)
        if key in rs.HEADINGS_ONLY:
            continue
        of.body(doc, rs.section_text(scope, key))
        TABLES.get(key, lambda d, s: None)(doc, scope)
    of.attachments(doc, [texts.RPT_ATTACHMENT_LIST])
    of.signature(doc, scope.bureau.name, scope.as_of)
    of.note(doc, rs.field_value(scope, "contact"))
    of.attachment_page(doc, None, texts.RPT_ATTACHMENT_LIST)
    if scope.is_city:
        of.table(doc, texts.RPT_DETAIL_COLUMNS_CITY, rs.detail_rows(scope), DETAIL_CITY_MM, size=10.5, last=True)
    else:
        of.table(doc, texts.RPT_DETAIL_COLUMNS, rs.detail_rows(scope), DETAIL_MM, size=10.5, last=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _enterprise_tables(doc, scope: ReportScope) -> None:
    if scope.is_city:
        of.table(doc, texts.RPT_BUREAU_COLUMNS, rs.bureau_rows(scope), BUREAU_MM, size=10.5, total_row=True)
    of.table(doc, texts.RPT_INDUSTRY_COLUMNS, rs.industry_rows(scope), INDUSTRY_MM, total_row=True)


def _problem_table(doc, scope: ReportScope) -> None:
    if scope.figures.findings_total:
        of.table(doc, texts.RPT_PROBLEM_COLUMNS, rs.problem_rows(scope), PROBLEM_MM, total_row=True)


def _penalty_table(doc, scope: ReportScope) -> None:
    rows = rs.penalty_rows(scope)
    if not rows:
        return
    of.para(doc, texts.RPT_PENALTY_LEAD, keep_next=True)
    if scope.is_city:
        of.table(doc, texts.RPT_PENALTY_COLUMNS_CITY, rows, PENALTY_CITY_MM, size=10.5)
    else:
        of.table(doc, texts.RPT_PENALTY_COLUMNS, rows, PENALTY_MM, size=10.5)


TABLES = {"enterprises": _enterprise_tables, "problems": _problem_table, "enforcement": _penalty_table}
