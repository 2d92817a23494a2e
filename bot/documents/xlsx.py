"""The spreadsheet for supervisors: one sheet each for inspections, answers, findings, certificates,
typical cases, integrity flags (需关注) and rectification orders with their follow-up visits (整改),
with frozen headers and filters.

Every row goes through `_append`, so whatever people typed is stored as text: a string cell is never
a formula (openpyxl would store one for a value starting with "="), a value starting with = + - @
TAB or CR is also marked quote-prefixed (Excel and LibreOffice keep it text when the cell is edited),
and characters a workbook cannot hold are dropped instead of failing the export."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot import texts
from bot.campaign import Campaign
from bot.documents.records import InspectionRecord, counts_toward_quota, local_time
from bot.sanitize import xml_text
from storage.models import Bureau, TypicalCase

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
# What makes a spreadsheet read a typed value as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def build_xlsx(campaign: Campaign, records: list[InspectionRecord], cases: list[TypicalCase],
               bureaus: list[Bureau], out: Path) -> Path:
    names = {b.id: b.short_name for b in bureaus}
    wb = Workbook()
    sheets = texts.XLSX_SHEETS
    ws = wb.active
    ws.title = sheets["inspections"]
    _header(ws, texts.XLSX_INSPECTION_COLUMNS)
    for r in records:
        i = r.inspection
        _append(ws, [i.id, names.get(i.bureau_id, ""), i.enterprise.name, i.enterprise.industry, i.inspection_date,
                     texts.XLSX_STATUS.get(i.status, i.status), r.inspector_names, i.responsible_person,
                     local_time(i.submitted_at), texts.DOC_YES if counts_toward_quota(campaign, r) else texts.DOC_NO,
                     len(r.confirmed_findings), len(r.evidence),
                     texts.XLSX_REVIEW.get(r.review, r.review) if i.status == "submitted" else "", len(r.open_flags)])
    ws = wb.create_sheet(sheets["answers"])
    _header(ws, texts.XLSX_ANSWER_COLUMNS)
    for r in records:
        for req in campaign.requirements:
            a = r.answers.get(req.id)
            verdict = texts.DOC_VERDICTS.get(a.verdict, texts.DOC_NOT_CHECKED) if a and a.verdict else texts.DOC_NOT_CHECKED
            _append(ws, [r.inspection.id, r.inspection.enterprise.name, req.id, campaign.item_of(req.id).title,
                         req.text, verdict, a.note if a else "", r.names.get(a.answered_by, "") if a else "",
                         local_time(a.answered_at) if a else ""])
    ws = wb.create_sheet(sheets["findings"])
    _header(ws, texts.XLSX_FINDING_COLUMNS)
    for r in records:
        for f in r.findings:
            basis = campaign.legal_basis.get(f.legal_basis)
            _append(ws, [r.inspection.id, r.inspection.enterprise.name, f.requirement_id,
                         texts.XLSX_FINDING_SOURCES.get(f.source, f.source), f.description,
                         basis.citation if basis else f.legal_basis, texts.XLSX_CONFIRMED[f.confirmed]])
    ws = wb.create_sheet(sheets["certificates"])
    _header(ws, texts.XLSX_CERT_COLUMNS)
    for r in records:
        for c in r.certificates:
            _append(ws, [r.inspection.id, r.inspection.enterprise.name, c.person_name, c.position or "",
                         c.cert_type or "", c.cert_number or "", c.expiry_date,
                         texts.DOC_PLATFORM[c.platform_confirmed],
                         texts.XLSX_CERT_STAGE_DONE if c.stage == "done" else texts.XLSX_CERT_STAGE_OPEN])
    ws = wb.create_sheet(sheets["cases"])
    _header(ws, texts.XLSX_CASE_COLUMNS)
    for c in cases:
        _append(ws, [c.id, names.get(c.bureau_id, ""), c.title, "、".join(c.keywords or []),
                     texts.XLSX_STATUS.get(c.status, c.status), c.inspection_id or "", local_time(c.finished_at)])
    _flags(wb.create_sheet(sheets["flags"]), records, names)
    _orders(wb.create_sheet(sheets["orders"]), campaign, records, names)
    for sheet in wb.worksheets:
        _finish(sheet)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _flags(ws, records: list[InspectionRecord], names: dict[int, str]) -> None:
    """Every integrity flag of these inspections, open and closed."""
    _header(ws, texts.XLSX_FLAG_COLUMNS)
    flags = sorted((f for r in records for f in r.flags), key=lambda f: f.id)
    for f in flags:
        other = texts.XLSX_FLAG_OTHER.format(id=f.other_inspection_id, name=f.other_enterprise_name or "",
                                             date=f.other_inspection_date.isoformat() if f.other_inspection_date
                                             else "") if f.other_inspection_id else ""
        _append(ws, [f.id, texts.DOC_FLAG_KINDS.get(f.kind, f.kind), f.inspection_id, names.get(f.bureau_id, ""),
                     f.enterprise_name, f.inspection_date, f.reason, other, local_time(f.created_at),
                     texts.XLSX_FLAG_STATE[bool(f.resolved)]])


def _orders(ws, campaign: Campaign, records: list[InspectionRecord], names: dict[int, str]) -> None:
    """One row per order, its follow-up visits in the last column (oldest first)."""
    _header(ws, texts.XLSX_ORDER_COLUMNS)
    for r in records:
        for o in r.orders:
            finding = r.finding(o.finding_id)
            basis = campaign.legal_basis.get(o.legal_basis)
            visits = r.followups.get(o.id, [])
            log = "\n".join(texts.XLSX_FOLLOWUP.format(
                day=v.visit_date.isoformat(), result=texts.XLSX_FOLLOWUP_RESULTS.get(v.result, v.result),
                who=r.names.get(v.inspector_id, ""), photos=v.photos, note=v.note) for v in visits)
            _append(ws, [o.id, r.inspection.id, names.get(o.bureau_id, ""), r.inspection.enterprise.name,
                         finding.description if finding else "", basis.citation if basis else o.legal_basis,
                         o.measure, o.penalty_amount or 0, o.decision_no or "", o.due_date, o.responsible_person,
                         texts.DOC_ORDER_STATUS.get(o.status, o.status), local_time(o.created_at),
                         local_time(o.closed_at), len(visits), log])


def _append(ws, values: list) -> None:
    """One row; strings as text, never as formulas."""
    ws.append([xml_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True


def _header(ws, labels: list[str]) -> None:
    _append(ws, labels)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")


def _finish(ws) -> None:
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col in ws.columns:
        longest = max((_width(c.value) for c in col), default=8)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(longest + 2, 8), 60)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "isoformat") and not isinstance(cell.value, str):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 127 else 1 for ch in text)
