"""The county's written report to the city bureau (督查检查书面情况) and the city's summary across its
counties: enterprises by industry, problems per checklist item, penalties, rectification and
follow-up visits, review, evidence-integrity flags (需关注), typical cases, and a table of every
inspection."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot import texts
from bot.campaign import Campaign
from bot.documents import docx_util as dx
from bot.documents.records import InspectionRecord, counts_toward_quota
from bot.documents.report_enforcement import flags_section, orders_section, review_section
from storage.models import Bureau, TypicalCase


@dataclass
class ReportScope:
    bureau: Bureau  # who reports: a county, or the city (summary of all)
    records: list[InspectionRecord]  # submitted inspections of the bureau (the city: of every bureau)
    cases: list[TypicalCase]  # finished typical cases in scope
    bureaus: list[Bureau]  # every bureau, for the city's table
    as_of: date

    @property
    def is_city(self) -> bool:
        return self.bureau.level == "city"


def title_of(campaign: Campaign, scope: ReportScope) -> str:
    template = texts.DOC_SUMMARY_TITLE if scope.is_city else texts.DOC_REPORT_TITLE
    return template.format(bureau=scope.bureau.name, campaign=campaign.title)


def counted_enterprises(campaign: Campaign, records: list[InspectionRecord]) -> int:
    return len({r.inspection.enterprise_id for r in records if counts_toward_quota(campaign, r)})


def totals(campaign: Campaign, scope: ReportScope, records: list[InspectionRecord] | None = None,
           cases: list[TypicalCase] | None = None, level: str | None = None) -> dict:
    records = scope.records if records is None else records
    cases = scope.cases if cases is None else cases
    if level is None and scope.is_city:  # the city's summary: every bureau's quota added up
        quotas = [campaign.quota_for(b.level) for b in scope.bureaus]
    else:
        quotas = [campaign.quota_for(level or scope.bureau.level)]
    return dict(total=len({r.inspection.enterprise_id for r in records}),
                counted=counted_enterprises(campaign, records), quota=sum(q.enterprises for q in quotas),
                problems=sum(len(r.confirmed_findings) for r in records),
                orders=sum(len(r.orders) for r in records), fines=sum(r.penalty_total for r in records),
                flags=sum(len(r.open_flags) for r in records),
                cases=len(cases), case_quota=sum(q.typical_cases for q in quotas))


def build_report(campaign: Campaign, scope: ReportScope, out: Path) -> Path:
    doc = dx.new_document(margin_cm=2.2)
    dx.title(doc, title_of(campaign, scope), size=16)
    t = totals(campaign, scope)
    if not scope.is_city:
        dx.para(doc, texts.DOC_REPORT_TO.format(to=campaign.report_to), size=12)
    dx.para(doc, texts.DOC_REPORT_INTRO.format(
        campaign=campaign.title, doc_no=campaign.document_no, bureau=scope.bureau.name,
        start=campaign.period.start.isoformat(), end=campaign.period.end.isoformat(), **t),
        size=12, indent_first=True, align="justify")
    n = 0
    if scope.is_city:
        _section(doc, texts.DOC_SECTION_BUREAUS)
        _bureau_table(doc, campaign, scope)
    for heading, writer in ((texts.DOC_SECTION_INDUSTRY, _industries), (texts.DOC_SECTION_PROBLEMS, _problems),
                            (texts.DOC_SECTION_PENALTIES, _penalties), (texts.DOC_SECTION_ORDERS, orders_section),
                            (texts.DOC_SECTION_REVIEW, review_section), (texts.DOC_SECTION_FLAGS, flags_section),
                            (texts.DOC_SECTION_CASES, _cases), (texts.DOC_SECTION_TABLE, _inspections)):
        n += 1
        _section(doc, _renumber(heading, n + (1 if scope.is_city else 0)))
        writer(doc, campaign, scope)
    dx.para(doc)
    for line in texts.DOC_SIGNED_BY.format(bureau=scope.bureau.name, date=_cn_date(scope.as_of)).split("\n"):
        dx.para(doc, line, size=12, align="right")
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


NUMERALS = "一二三四五六七八九十"


def _renumber(heading: str, n: int) -> str:
    return NUMERALS[n - 1] + heading[1:]


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _section(doc, text: str) -> None:
    dx.heading(doc, text, size=13)


def _industries(doc, campaign: Campaign, scope: ReportScope) -> None:
    by: dict[str, list[InspectionRecord]] = {}
    for r in scope.records:
        industry = r.inspection.enterprise.industry
        key = industry if industry in campaign.target_industries else texts.DOC_OTHER_INDUSTRY
        by.setdefault(key, []).append(r)
    rows = []
    for industry in [*campaign.target_industries, texts.DOC_OTHER_INDUSTRY]:
        recs = by.get(industry, [])
        if not recs and industry == texts.DOC_OTHER_INDUSTRY:
            continue
        rows.append(_industry_row(campaign, industry, recs))
    rows.append(_industry_row(campaign, texts.DOC_TOTAL, scope.records))
    dx.simple_table(doc, texts.DOC_INDUSTRY_COLUMNS, rows, [3.5, 3, 3, 3.5, 3])


def _industry_row(campaign: Campaign, label: str, recs: list[InspectionRecord]) -> list[str]:
    return [label, str(len({r.inspection.enterprise_id for r in recs})), str(counted_enterprises(campaign, recs)),
            str(len({r.inspection.enterprise_id for r in recs if r.confirmed_findings})),
            str(sum(len(r.confirmed_findings) for r in recs))]


def _problems(doc, campaign: Campaign, scope: ReportScope) -> None:
    fails: Counter = Counter()
    found: Counter = Counter()
    for r in scope.records:
        fails.update(rid for rid, a in r.answers.items() if a.verdict == "fail")
        found.update(f.requirement_id for f in r.confirmed_findings)
    rows = []
    for item in campaign.checklist.items:
        for req in item.requirements:
            text = req.text if len(req.text) <= 40 else req.text[:39] + "…"
            rows.append([req.id, item.title, text, str(fails[req.id]), str(found[req.id])])
    rows.append(["", texts.DOC_TOTAL, "", str(sum(fails.values())), str(sum(found.values()))])
    dx.simple_table(doc, texts.DOC_PROBLEM_COLUMNS, rows, [1.2, 2.4, 8.0, 2.2, 2.2])


def _penalties(doc, campaign: Campaign, scope: ReportScope) -> None:
    rows = []
    for r in scope.records:
        for o in r.orders:
            finding = r.finding(o.finding_id)
            basis = campaign.legal_basis.get(o.legal_basis)
            rows.append([str(len(rows) + 1), r.inspection.enterprise.name, finding.description if finding else "",
                         basis.citation if basis else o.legal_basis, o.measure,
                         str(o.penalty_amount or 0), texts.DOC_ORDER_STATUS.get(o.status, o.status)])
    if not rows:
        dx.para(doc, texts.DOC_PENALTY_NONE, size=12, indent_first=True)
        return
    dx.simple_table(doc, texts.DOC_PENALTY_COLUMNS, rows, [1.0, 3.0, 3.6, 3.0, 3.0, 1.6, 1.4])


def _cases(doc, campaign: Campaign, scope: ReportScope) -> None:
    if not scope.cases:
        dx.para(doc, texts.DOC_CASES_NONE, size=12, indent_first=True)
    for n, case in enumerate(scope.cases, 1):
        dx.para(doc, texts.DOC_CASE_LINE.format(n=n, title=case.title, keywords="、".join(case.keywords or [])),
                size=12, indent_first=True)


def _inspections(doc, campaign: Campaign, scope: ReportScope) -> None:
    names = {b.id: b.short_name for b in scope.bureaus}
    rows = []
    for n, r in enumerate(scope.records, 1):
        i = r.inspection
        row = [str(n), i.enterprise.name, i.enterprise.industry, i.inspection_date.isoformat(), r.inspector_names,
               str(len(r.confirmed_findings)), texts.DOC_YES if counts_toward_quota(campaign, r) else texts.DOC_NO]
        if scope.is_city:
            row.insert(1, names.get(i.bureau_id, ""))
        rows.append(row)
    if scope.is_city:
        dx.simple_table(doc, texts.DOC_TABLE_COLUMNS_CITY, rows, [1.0, 1.6, 4.2, 1.8, 2.2, 2.4, 1.2, 1.4])
    else:
        dx.simple_table(doc, texts.DOC_TABLE_COLUMNS, rows, [1.0, 5.0, 2.0, 2.4, 2.8, 1.2, 1.4])


def _bureau_table(doc, campaign: Campaign, scope: ReportScope) -> None:
    rows = []
    for b in scope.bureaus:
        recs = [r for r in scope.records if r.inspection.bureau_id == b.id]
        cases = [c for c in scope.cases if c.bureau_id == b.id]
        t = totals(campaign, scope, recs, cases, level=b.level)
        rows.append([b.short_name, str(t["total"]), f"{t['counted']}/{t['quota']}", str(t["problems"]),
                     str(t["fines"]), f"{t['cases']}/{t['case_quota']}"])
    t = totals(campaign, scope)
    rows.append([texts.DOC_TOTAL, str(t["total"]), str(t["counted"]), str(t["problems"]), str(t["fines"]),
                 str(t["cases"])])
    dx.simple_table(doc, texts.DOC_BUREAU_COLUMNS, rows, [2.6, 2.4, 3.0, 2.0, 2.6, 3.2])
