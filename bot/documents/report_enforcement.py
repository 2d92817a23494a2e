"""The report's enforcement sections: rectification orders and follow-up visits (整改复查), the
supervisors' review (审核), and the evidence-integrity flags (需关注). A county's report has one row
for itself; the city's summary one per bureau and the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import texts
from bot.campaign import Campaign
from bot.documents import docx_util as dx
from bot.documents.records import InspectionRecord, overdue_days

if TYPE_CHECKING:
    from bot.documents.report_docx import ReportScope


@dataclass
class OrderCounts:
    issued: int = 0
    rectified: int = 0
    escalated: int = 0
    open: int = 0
    overdue: int = 0
    visits: int = 0  # follow-up visits: one per inspection and visit day
    checks: int = 0  # orders looked at in them

    def row(self, label: str) -> list[str]:
        return [label, *(str(v) for v in (self.issued, self.rectified, self.escalated, self.open, self.overdue,
                                          self.visits))]


def order_counts(records: list[InspectionRecord], as_of) -> OrderCounts:
    c = OrderCounts()
    visits = set()
    for r in records:
        for o in r.orders:
            c.issued += 1
            if o.status in ("rectified", "escalated", "open"):
                setattr(c, o.status, getattr(c, o.status) + 1)
            c.overdue += overdue_days(o, as_of) > 0
            for f in r.followups.get(o.id, []):
                c.checks += 1
                visits.add((r.inspection.id, f.visit_date))
    c.visits = len(visits)
    return c


def review_counts(records: list[InspectionRecord]) -> dict[str, int]:
    return dict(submitted=len(records), approved=sum(r.review == "approved" for r in records),
                returned=sum(r.review == "returned" for r in records),
                awaiting=sum(r.review in (None, "resubmitted") for r in records))


def _per_bureau(scope: "ReportScope") -> list[tuple[str, list[InspectionRecord]]]:
    """(label, records) per bureau of the table, and the total for the city."""
    if not scope.is_city:
        return [(scope.bureau.short_name, scope.records)]
    rows = [(b.short_name, [r for r in scope.records if r.inspection.bureau_id == b.id]) for b in scope.bureaus]
    return [*rows, (texts.DOC_TOTAL, scope.records)]


def _lead(doc, text: str) -> None:
    """A sentence that introduces the table under it: kept on the table's page."""
    dx.para(doc, text, size=12, indent_first=True, align="justify").paragraph_format.keep_with_next = True


def orders_section(doc, campaign: Campaign, scope: "ReportScope") -> None:
    total = order_counts(scope.records, scope.as_of)
    if not total.issued:
        dx.para(doc, texts.DOC_ORDERS_NONE, size=12, indent_first=True)
        return
    _lead(doc, texts.DOC_ORDERS_SUMMARY.format(**vars(total)))
    dx.simple_table(doc, texts.DOC_ORDER_COUNT_COLUMNS,
                    [order_counts(recs, scope.as_of).row(label) for label, recs in _per_bureau(scope)],
                    [2.6, 2.2, 2.4, 2.2, 2.2, 2.2, 2.2])
    rows = []
    for r in scope.records:
        for o in r.orders:
            days = overdue_days(o, scope.as_of)
            if not days and o.status != "escalated":
                continue
            visits = r.followups.get(o.id, [])
            state = (texts.DOC_LATE_OPEN.format(days=days) if days else
                     texts.DOC_LATE_ESCALATED.format(day=visits[-1].visit_date.isoformat() if visits else ""))
            finding = r.finding(o.finding_id)
            basis = campaign.legal_basis.get(o.legal_basis)
            rows.append([str(len(rows) + 1), r.inspection.enterprise.name, finding.description if finding else "",
                         basis.citation if basis else o.legal_basis,
                         o.due_date.isoformat() if o.due_date else "", state, o.measure])
    _lead(doc, texts.DOC_LATE_TITLE if rows else texts.DOC_LATE_NONE)
    if rows:
        dx.simple_table(doc, texts.DOC_LATE_COLUMNS, rows, [1.0, 2.6, 2.8, 3.2, 2.0, 2.2, 2.8])


def review_section(doc, campaign: Campaign, scope: "ReportScope") -> None:
    _lead(doc, texts.DOC_REVIEW_SUMMARY.format(**review_counts(scope.records)))
    rows = []
    for label, recs in _per_bureau(scope):
        c = review_counts(recs)
        rows.append([label, *(str(c[k]) for k in ("submitted", "approved", "returned", "awaiting"))])
    dx.simple_table(doc, texts.DOC_REVIEW_COLUMNS, rows, [3.2, 3.2, 3.2, 3.2, 3.2])


def flags_section(doc, campaign: Campaign, scope: "ReportScope") -> None:
    """Open flags of the inspections in the report, one row each; closed ones only counted."""
    flags = [f for r in scope.records for f in r.open_flags]
    flags.sort(key=lambda f: (f.inspection_date, f.inspection_id, f.id))
    resolved = sum(len(r.flags) - len(r.open_flags) for r in scope.records)
    _lead(doc, texts.DOC_FLAGS_INTRO.format(n=len(flags)) if flags else texts.DOC_FLAGS_NONE)
    if flags:
        names = {b.id: b.short_name for b in scope.bureaus}
        rows = []
        for n, f in enumerate(flags, 1):
            row = [str(n), texts.DOC_FLAG_KINDS.get(f.kind, f.kind), f.enterprise_name,
                   f.inspection_date.isoformat(), f.reason]
            if scope.is_city:
                row.insert(1, names.get(f.bureau_id, ""))
            rows.append(row)
        if scope.is_city:
            dx.simple_table(doc, texts.DOC_FLAG_COLUMNS_CITY, rows, [1.0, 1.6, 2.2, 3.0, 2.2, 6.6])
        else:
            dx.simple_table(doc, texts.DOC_FLAG_COLUMNS, rows, [1.0, 2.2, 3.4, 2.2, 7.8])
    if resolved:
        dx.para(doc, texts.DOC_FLAGS_RESOLVED.format(n=resolved), size=12, indent_first=True)
