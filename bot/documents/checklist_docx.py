"""附件1 filled in: the header, the checklist table (one row per requirement, the item's cells merged
as on the paper form, no row split across pages), the certificate register, the findings and the
orders issued from them (the decision taken, as of a day), the signatures with the date, and the
photos. It is the form the enterprise signs: each fact is said once, and nothing internal is on it
(integrity flags and review are for supervisors: the report's internal annex, the spreadsheet).
The signable version (`signable`) is the same form before submit, for printing and signing on site:
no appendix, blank signatures and date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Mapping

from bot import recordings, texts
from bot.campaign import Campaign
from bot.documents import docx_util as dx
from bot.documents.official import citation, cn_date, decision_text
from bot.documents.records import InspectionRecord, evidence_path, local_time, overdue_days

WIDTHS = [1.1, 1.6, 3.2, 5.4, 1.7, 4.0]
MARGIN_CM = 1.8
CONTENT_CM = 21.0 - 2 * MARGIN_CM  # 17.4


def fit(widths: list[float]) -> list[float]:
    """Column widths scaled down to the page's width when they add up to more."""
    scale = min(1.0, (CONTENT_CM - 0.2) / sum(widths))
    return [round(w * scale, 2) for w in widths]


def keep_rows(table) -> None:
    """No row of the table breaks across a page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for row in table.rows:
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(el)


def photo_numbers(record: InspectionRecord) -> dict[int, int]:
    """Evidence id -> its figure number in the appendix (upload order)."""
    return {e.id: n for n, e in enumerate(record.photos, 1)}


def _refs(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


# The notes the inspection conversation writes for "one fact, one finding" (bot.texts.inspection):
# "见证书登记发现" says nothing the finding does not; "检查员判定…" records a verdict kept against it.
SEE_REGISTER = getattr(texts, "NOTE_SEE_REGISTER", "")
CONTRADICTION = getattr(texts, "CONTRADICTION_NOTE", "").split("“", 1)[0]


def verdict_lines(campaign: Campaign, record: InspectionRecord, req_id: str, figures: dict[int, int],
                  signable: bool = False) -> list[str]:
    """What the 检查情况 cell says for one requirement: the verdict, each problem once (a finding, or
    the note that adds to it), the legal basis, the register, the photos."""
    answer = record.answers.get(req_id)
    verdict = answer.verdict if answer else None
    lines = [texts.DOC_VERDICTS.get(verdict, texts.DOC_NOT_CHECKED) if verdict else texts.DOC_NOT_CHECKED]
    findings = record.findings_of(req_id)
    lines += [texts.DOC_NOTE.format(note=f.description) for f in findings]
    note = (answer.note or "").strip() if answer else ""
    if note and note != SEE_REGISTER and all(note != f.description for f in findings):
        if CONTRADICTION and note.startswith(CONTRADICTION):
            note = note.split("，", 1)[0] + texts.DOC_CONTRADICTION_TAIL  # the findings are listed above
            lines.append(texts.DOC_REMARK.format(note=note))
        elif findings:
            lines.append(texts.DOC_REMARK.format(note=note))  # more about the register's finding
        else:
            lines.append(texts.DOC_NOTE.format(note=note))
    for key in dict.fromkeys(f.legal_basis for f in findings):
        if key in campaign.legal_basis:
            lines.append(texts.DOC_BASIS.format(citation=citation(campaign.legal_basis[key])))
    if req_id == campaign.register_after and record.certificates:
        lines.append(texts.DOC_REGISTER_REF.format(n=len(record.certificates)))
    photos = [figures[e.id] for e in record.photos_of(req_id)]
    if photos:
        lines.append(texts.DOC_PHOTOS_COUNT.format(n=len(photos)) if signable else
                     texts.DOC_PHOTOS.format(n=len(photos), refs=_refs(photos)))
    if heard := record.recordings_of(req_id):
        lines.append(texts.DOC_RECORDINGS.format(what=recordings.describe(recordings.counts(heard)[req_id])))
    return lines


def build_checklist(campaign: Campaign, record: InspectionRecord, pictures: Mapping[str, Path], out: Path,
                    as_of: date | None = None, *, signable: bool = False) -> Path:
    """`pictures`: the photos as files on this disk by store key (EvidenceStore.local_files).
    `as_of`: the day the orders' lateness is counted on (default: today)."""
    insp = record.inspection
    figures = photo_numbers(record)
    doc = dx.new_document(margin_cm=MARGIN_CM)
    dx.para(doc, texts.DOC_ATTACHMENT_1, size=12, font=dx.HEADING_FONT)
    dx.title(doc, campaign.checklist.title, size=15)
    if insp.status == "draft" and not signable:
        dx.para(doc, texts.DOC_DRAFT_MARK, align="center", size=11)
    dx.label_value(doc, texts.DOC_UNIT, insp.enterprise.name, size=12)
    d = insp.inspection_date
    dx.label_value(doc, texts.DOC_DATE, texts.DOC_DATE_VALUE.format(y=d.year, m=d.month, d=d.day), size=12)
    dx.para(doc, texts.DOC_CHECKLIST_META.format(industry=insp.enterprise.industry, bureau=record.bureau.name,
                                                 inspectors=record.inspector_names), size=9)
    _checklist_table(doc, campaign, record, figures, signable)
    _register(doc, record)
    _findings(doc, campaign, record)
    _orders(doc, campaign, record, as_of or date.today(), figures)
    _signatures(doc, record, figures, signable)
    if not signable:
        _appendix(doc, campaign, record, pictures, figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _checklist_table(doc, campaign: Campaign, record: InspectionRecord, figures: dict[int, int],
                     signable: bool = False) -> None:
    total = len(campaign.requirements)
    t = dx.table(doc, 1 + total, fit(WIDTHS))
    keep_rows(t)
    dx.header_row(t, texts.DOC_COLUMNS)
    row = 1
    for item in campaign.checklist.items:
        first, last = row, row + len(item.requirements) - 1
        own_methods = any(r.method for r in item.requirements)
        for n, req in enumerate(item.requirements):
            cells = t.rows[row].cells
            number = req.id.split(".", 1)[1]
            dx.cell_text(cells[3], f"{number}.{req.text}")
            if own_methods:
                dx.cell_text(cells[4], campaign.method_of(req), align="center")
            dx.cell_text(cells[5], verdict_lines(campaign, record, req.id, figures, signable))
            row += 1
        for r in range(first, last):  # an item's rows stay on one page, as its merged cells do
            for cell in t.rows[r].cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
        for col, value in ((0, item.seq), (1, item.title), (2, "\n".join(item.content))):
            merged = t.cell(first, col).merge(t.cell(last, col)) if last > first else t.cell(first, col)
            dx.cell_text(merged, value, align="center" if col < 2 else None)
        if not own_methods:
            merged = t.cell(first, 4).merge(t.cell(last, 4)) if last > first else t.cell(first, 4)
            dx.cell_text(merged, item.method, align="center")


def _register(doc, record: InspectionRecord) -> None:
    dx.heading(doc, texts.DOC_REGISTER_TITLE, size=12)
    if not record.certificates:
        dx.para(doc, texts.DOC_REGISTER_EMPTY)
        return
    rows = []
    for n, c in enumerate(record.certificates, 1):
        problems = [f.description for f in record.confirmed_findings if f.certificate_id == c.id]
        rows.append([str(n), c.person_name, c.position or "", c.cert_type or "", c.cert_number or "",
                     c.expiry_date.isoformat() if c.expiry_date else texts.DOC_NO_EXPIRY,
                     texts.DOC_PLATFORM[c.platform_confirmed], "；".join(problems) or texts.DOC_CERT_OK])
    keep_rows(dx.simple_table(doc, texts.DOC_REGISTER_COLUMNS, rows, fit([0.9, 1.6, 2.2, 2.6, 2.8, 1.9, 1.4, 3.6])))


def _findings(doc, campaign: Campaign, record: InspectionRecord) -> None:
    dx.heading(doc, texts.DOC_FINDINGS_TITLE, size=12)
    findings = record.confirmed_findings
    if not findings:
        dx.para(doc, texts.DOC_FINDINGS_NONE)
    for n, f in enumerate(findings, 1):
        basis = campaign.legal_basis.get(f.legal_basis)
        orders = [o for o in record.orders if o.finding_id == f.id]
        decided = "".join(texts.DOC_FINDING_DECISION.format(decision=decision_text(o)) for o in orders)
        dx.para(doc, texts.DOC_FINDING_LINE.format(
            n=n, description=f.description, req=f.requirement_id,
            citation=citation(basis) if basis else f.legal_basis, decision=decided), size=10)


def followup_photo_key(order_id: int) -> str:
    """The requirement id follow-up photos of an order are stored under (conversations.followup)."""
    return f"fu{order_id}"


def order_state(record: InspectionRecord, order, as_of: date, figures: dict[int, int]) -> str:
    """整改中 (with the days past due), or how the follow-up visit closed it; its photos' figures."""
    days = overdue_days(order, as_of)
    if order.status == "open":
        state = texts.DOC_ORDER_OPEN_LATE.format(days=days) if days else texts.DOC_ORDER_STATUS["open"]
    else:
        state = texts.DOC_ORDER_STATUS.get(order.status, order.status)
        visits = record.followups.get(order.id, [])
        if visits:
            state = texts.DOC_ORDER_CLOSED_ON.format(status=state, day=cn_date(visits[-1].visit_date))
    photos = [figures[e.id] for e in record.photos_of(followup_photo_key(order.id))]
    return state + (texts.DOC_FLAG_PHOTO.format(refs=_refs(photos)) if photos else "")


def _orders(doc, campaign: Campaign, record: InspectionRecord, as_of: date, figures: dict[int, int]) -> None:
    if not record.orders:
        return
    dx.heading(doc, texts.DOC_ORDERS_TITLE, size=12)
    dx.para(doc, texts.DOC_ORDERS_AS_OF.format(day=cn_date(as_of)), size=10)
    rows = []
    for n, o in enumerate(record.orders, 1):
        finding = record.finding(o.finding_id)
        basis = campaign.legal_basis.get(o.legal_basis)
        rows.append([str(n), finding.description if finding else "", citation(basis) if basis else o.legal_basis,
                     decision_text(o), cn_date(o.due_date) if o.due_date else "", o.responsible_person,
                     order_state(record, o, as_of, figures)])
    keep_rows(dx.simple_table(doc, texts.DOC_ORDER_COLUMNS, rows, fit([0.9, 3.0, 3.0, 3.6, 2.0, 1.4, 3.2])))


def _signatures(doc, record: InspectionRecord, figures: dict[int, int], signable: bool = False) -> None:
    """Who signs, and when: blank on the signable version, to be signed by hand."""
    dx.para(doc)
    if signable:
        for label in (texts.DOC_SIGN_INSPECTORS, texts.DOC_SIGN_UNIT):
            dx.label_value(doc, label, texts.DOC_SIGN_BLANK, size=12)
        dx.label_value(doc, texts.DOC_SIGN_DATE, texts.DOC_SIGN_DATE_BLANK, size=12)
        return
    dx.label_value(doc, texts.DOC_SIGN_INSPECTORS, record.inspector_names, size=12)
    dx.label_value(doc, texts.DOC_SIGN_UNIT, record.inspection.responsible_person, size=12)
    signed = [figures[e.id] for e in record.photos_of("signature")]
    line = dx.label_value(doc, texts.DOC_SIGN_DATE, cn_date(record.inspection.inspection_date), size=12)
    if signed:  # on the date's line: never alone on a page
        dx.set_run_font(line.add_run(texts.DOC_SIGNED_PAGES.format(refs=_refs(signed))), dx.BODY_FONT, 10)


def _where(campaign: Campaign, record: InspectionRecord, requirement_id: str, certificate_id: int | None) -> str:
    if requirement_id == "signature":
        return texts.DOC_PHOTO_WHERE_SIGN
    order = next((o for o in record.orders if followup_photo_key(o.id) == requirement_id), None)
    if order is not None:
        return texts.DOC_PHOTO_WHERE_FOLLOWUP.format(oid=order.id)
    if certificate_id is not None or requirement_id == "cert":
        cert = next((c for c in record.certificates if c.id == certificate_id), None)
        return texts.DOC_PHOTO_WHERE_CERT.format(name=cert.person_name if cert else "")
    try:
        return texts.DOC_PHOTO_WHERE_REQ.format(id=requirement_id, title=campaign.item_of(requirement_id).title)
    except KeyError:
        return requirement_id


def _appendix(doc, campaign: Campaign, record: InspectionRecord, pictures: Mapping[str, Path],
              figures: dict[int, int]) -> None:
    if not record.photos:
        return
    head = dx.para(doc, texts.DOC_APPENDIX, size=14, bold=True, font=dx.HEADING_FONT, space_after=8)
    head.paragraph_format.page_break_before = True
    for e in record.photos:  # voice messages and videos are listed at their requirement
        n = figures[e.id]
        path = evidence_path(pictures, e)
        if path is None:
            dx.para(doc, texts.DOC_PHOTO_MISSING.format(n=n, sha=e.sha256[:12]), size=10)
            continue
        caption = texts.DOC_PHOTO_CAPTION.format(
            n=n, where=_where(campaign, record, e.requirement_id, e.certificate_id),
            caption=f" — {e.caption}" if e.caption else "", who=record.names.get(e.uploaded_by, ""),
            at=local_time(e.created_at))
        dx.picture(doc, path, caption, width_cm=12.0)

