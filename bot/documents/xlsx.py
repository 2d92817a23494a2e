"""The spreadsheet for supervisors: a summary (汇总) of every bureau against its quota with the total,
then one sheet each for inspections, answers, findings, certificates, typical cases, integrity flags
(需关注) and rectification orders with their follow-up visits (整改), with frozen headers and
filters, real dates and times, and print settings (A4 landscape, one page wide, the header row
repeated, the sheet's name and page numbers). The summary's figures are bot.progress's, as the
progress answers, digests and the report have them.

Every row goes through `_append`, so whatever people typed is stored as text: a string cell is never
a formula (openpyxl would store one for a value starting with "="), a value starting with = + - @
TAB or CR is also marked quote-prefixed (Excel and LibreOffice keep it text when the cell is edited),
and characters a workbook cannot hold are dropped instead of failing the export."""

from __future__ import annotations

from pathlib import Path

from datetime import date, datetime, timezone

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import texts
from bot.campaign import Campaign
from bot.documents.records import TZ, InspectionRecord, counts_toward_quota
from bot.progress import BureauProgress, CityProgress
from bot.documents.official import citation, doc_number
from bot.sanitize import xml_text
from storage.models import Bureau, TypicalCase

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
# What makes a spreadsheet read a typed value as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def local_time(moment: datetime | None) -> datetime | None:
    """A stored timestamp (UTC; naive on SQLite) as a local date and time a spreadsheet can sort."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TZ).replace(tzinfo=None, second=0, microsecond=0)


def build_xlsx(campaign: Campaign, records: list[InspectionRecord], cases: list[TypicalCase],
               bureaus: list[Bureau], out: Path, *, summary: list[BureauProgress] | None = None,
               city: CityProgress | None = None, as_of: date | None = None) -> Path:
    """`summary`: the figures of the bureaus in scope (bot.progress); `city`: with the city's total."""
    names = {b.id: b.short_name for b in bureaus}
    wb = Workbook()
    sheets = texts.XLSX_SHEETS
    ws = wb.active
    ws.title = sheets["summary"]
    _summary(ws, summary or [], city, as_of)
    ws = wb.create_sheet(sheets["inspections"])
    _header(ws, texts.XLSX_INSPECTION_COLUMNS)
    for r in records:
        i = r.inspection
        _append(ws, [i.id, names.get(i.bureau_id, ""), i.enterprise.name, i.enterprise.industry, i.inspection_date,
                     texts.XLSX_STATUS.get(i.status, i.status), r.inspector_names, i.responsible_person,
                     local_time(i.submitted_at), texts.DOC_YES if counts_toward_quota(campaign, r) else texts.DOC_NO,
                     len(r.confirmed_findings), len(r.photos),
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
        i = r.inspection
        for f in r.findings:
            basis = campaign.legal_basis.get(f.legal_basis)
            _append(ws, [i.id, names.get(i.bureau_id, ""), i.enterprise.name, i.enterprise.industry,
                         i.inspection_date, f.requirement_id, texts.XLSX_FINDING_SOURCES.get(f.source, f.source),
                         f.description, citation(basis) if basis else f.legal_basis,
                         texts.XLSX_CONFIRMED[f.confirmed]])
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
    for sheet in wb.worksheets[1:]:
        _finish(sheet)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _summary(ws, rows: list[BureauProgress], city: CityProgress | None, as_of: date | None) -> None:
    """One row per bureau against its quota, then the total (the sum of the rows), then how many
    distinct enterprises that is across the city."""
    ws.append([texts.XLSX_SUMMARY_TITLE.format(day=as_of.isoformat() if as_of else "")])
    ws["A1"].font = Font(bold=True, size=13)
    _header(ws, texts.XLSX_SUMMARY_COLUMNS, row=2)
    lines = [(b.short, b) for b in rows]
    if city is not None:
        lines.append((texts.DOC_TOTAL, city.total))
    for label, b in lines:
        f = b.figures
        o = f.orders
        _append(ws, [label, b.quota, f.inspected, f.enterprises, f.enterprises / b.quota if b.quota else None,
                     f.inspected_visits, f.outside_visits, f.cases, b.case_quota, f.findings_total, o.total,
                     o.rectified, o.escalated, o.open, o.overdue, f.penalties, f.penalty_yuan])
    if city is not None:
        for cell in ws[ws.max_row]:
            cell.font = HEADER_FONT
        if city.shared_enterprises:
            ws.append([texts.XLSX_SUMMARY_DISTINCT.format(distinct=city.distinct_enterprises,
                                                          shared=city.shared_enterprises)])
    ws.append([texts.XLSX_SUMMARY_NOTE])
    thin = Side(style="thin", color="999999")
    for row in ws.iter_rows(min_row=2, max_row=2 + len(lines)):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.column == 5:
                cell.number_format = "0%"
            elif cell.column == 17:
                cell.number_format = "#,##0"
    ws.freeze_panes = "B3"
    for col, width in zip("ABCDEFGHIJKLMNOPQ", [10, 8, 10, 10, 8, 8, 8, 8, 8, 8, 10, 8, 8, 8, 8, 10, 12]):
        ws.column_dimensions[col].width = width
    for cell in ws[2]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _print_setup(ws, title_rows="2:2")


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
                         finding.description if finding else "", citation(basis) if basis else o.legal_basis,
                         o.measure, o.penalty_amount or 0, doc_number(o.decision_no or ""), o.due_date,
                         o.responsible_person,
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


def _header(ws, labels: list[str], row: int = 1) -> None:
    _append(ws, labels)
    for cell in ws[row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")


def _finish(ws) -> None:
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col in ws.columns:
        longest = max((_width(c.value) for c in col), default=8)
        ws.column_dimensions[get_column_letter(col[0].column)].width = min(max(longest + 2, 8), 40)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    _print_setup(ws)


def _print_setup(ws, title_rows: str = "1:1") -> None:
    """A4 landscape, as wide as one page, the header row on every page, the sheet's name and
    page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = texts.XLSX_FOOTER.format(sheet=ws.title)


def _width(value) -> int:
    if isinstance(value, datetime):
        return 16
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 127 else 1 for ch in text)
