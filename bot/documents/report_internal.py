"""The report's internal annex, for the bureau's own supervisors and never sent with the report:
the review of submitted inspections, the evidence-integrity flags (需关注), the inspections that do
not count (dated outside the period, other industries, not yet approved where the campaign counts
approved ones), and every rectification order with its state on the day."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.counting import counts_toward_quota, in_campaign
from bot.documents import docx_util as dx
from bot.documents.official import cn_date
from bot.documents.report_enforcement import flags_section, review_section
from bot.documents.report_sections import ReportScope
from bot.documents.records import InspectionRecord, overdue_days


def build_internal(scope: ReportScope, out: Path, drafts: int = 0) -> Path:
    doc = dx.new_document(margin_cm=2.0)
    name = scope.bureau.short_name if not scope.is_city else scope.bureau.name
    dx.title(doc, texts.RPT_INTERNAL_TITLE.format(bureau=name, day=cn_date(scope.as_of)), size=15)
    dx.para(doc, texts.RPT_INTERNAL_MARK, size=11, align="center", bold=True)
    dx.heading(doc, texts.RPT_INTERNAL_REVIEW, size=13)
    review_section(doc, scope.campaign, scope)
    dx.heading(doc, texts.RPT_INTERNAL_FLAGS, size=13)
    flags_section(doc, scope.campaign, scope)
    dx.heading(doc, texts.RPT_INTERNAL_NOT_COUNTED, size=13)
    _not_counted(doc, scope)
    if drafts:
        dx.para(doc, texts.RPT_DRAFTS.format(n=drafts), size=11)
    dx.heading(doc, texts.RPT_INTERNAL_ORDERS, size=13)
    _orders(doc, scope)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _why_not(scope: ReportScope, r: InspectionRecord) -> str | None:
    c = scope.campaign
    if r.inspection.inspection_date not in c.period:
        return texts.RPT_NOT_COUNTED_OUTSIDE
    if not in_campaign(c, r):
        return texts.RPT_NOT_COUNTED_APPROVAL
    if not counts_toward_quota(c, r):
        return texts.RPT_NOT_COUNTED_INDUSTRY
    return None


def _not_counted(doc, scope: ReportScope) -> None:
    rows = []
    for r in scope.records:
        why = _why_not(scope, r)
        if why is None:
            continue
        i = r.inspection
        row = [str(len(rows) + 1), i.enterprise.name, i.enterprise.industry, cn_date(i.inspection_date), why]
        if scope.is_city:
            row.insert(1, scope.short_name(i.bureau_id))
        rows.append(row)
    if not rows:
        dx.para(doc, texts.RPT_NOT_COUNTED_NONE, size=11)
    elif scope.is_city:
        dx.simple_table(doc, texts.RPT_NOT_COUNTED_COLUMNS_CITY, rows, [1.0, 1.6, 4.8, 2.0, 3.2, 4.4])
    else:
        dx.simple_table(doc, texts.RPT_NOT_COUNTED_COLUMNS, rows, [1.0, 5.6, 2.2, 3.4, 4.8])


def _orders(doc, scope: ReportScope) -> None:
    rows = []
    for r in scope.campaign_records:
        for o in r.orders:
            finding = r.finding(o.finding_id)
            days = overdue_days(o, scope.as_of)
            state = texts.DOC_ORDER_STATUS.get(o.status, o.status)
            if days:
                state += texts.RPT_ORDER_LATE.format(days=days)
            rows.append([f"#{o.id}", r.inspection.enterprise.name, finding.description if finding else "",
                         o.measure, cn_date(o.due_date) if o.due_date else "", state])
    if not rows:
        dx.para(doc, texts.DOC_ORDERS_NONE, size=11)
        return
    dx.simple_table(doc, texts.RPT_ORDER_COLUMNS, rows, [1.2, 3.6, 4.0, 3.4, 2.4, 2.4])
