"""附件1 filled in: the header, the checklist table (one row per requirement, the item's cells merged
as on the paper form), the certificate register, the findings and the orders issued from them, the
signatures, the evidence-integrity flags (for the reviewing supervisor), and the photos."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Mapping

from bot import texts
from bot.campaign import Campaign
from bot.documents import docx_util as dx
from bot.documents.records import InspectionRecord, evidence_path, local_time, overdue_days

WIDTHS = [1.1, 1.6, 3.2, 5.4, 1.7, 4.0]


def photo_numbers(record: InspectionRecord) -> dict[int, int]:
    """Evidence id -> its figure number in the appendix (upload order)."""
    return {e.id: n for n, e in enumerate(record.evidence, 1)}


def _refs(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def verdict_lines(campaign: Campaign, record: InspectionRecord, req_id: str, figures: dict[int, int]) -> list[str]:
    """What the 检查情况 cell says for one requirement."""
    answer = record.answers.get(req_id)
    verdict = answer.verdict if answer else None
    lines = [texts.DOC_VERDICTS.get(verdict, texts.DOC_NOT_CHECKED) if verdict else texts.DOC_NOT_CHECKED]
    if answer and answer.note:
        lines.append(texts.DOC_NOTE.format(note=answer.note))
    findings = record.findings_of(req_id)
    for f in findings:
        if not (answer and f.source == "answer" and f.description == answer.note):
            lines.append(texts.DOC_FINDING.format(description=f.description))
    for key in dict.fromkeys(f.legal_basis for f in findings):
        if key in campaign.legal_basis:
            lines.append(texts.DOC_BASIS.format(citation=campaign.legal_basis[key].citation))
    if req_id == campaign.register_after and record.certificates:
        lines.append(texts.DOC_REGISTER_REF.format(n=len(record.certificates)))
    photos = [figures[e.id] for e in record.photos_of(req_id)]
    if photos:
        lines.append(texts.DOC_PHOTOS.format(n=len(photos), refs=_refs(photos)))
    return lines


def build_checklist(campaign: Campaign, record: InspectionRecord, pictures: Mapping[str, Path], out: Path,
                    as_of: date | None = None) -> Path:
    """`pictures`: the photos as files on this disk by store key (EvidenceStore.local_files).
    `as_of`: the day the orders' lateness is counted on (default: today)."""
    insp = record.inspection
    figures = photo_numbers(record)
    doc = dx.new_document(margin_cm=1.8)
    dx.para(doc, texts.DOC_ATTACHMENT_1, size=12, font=dx.HEADING_FONT)
    dx.title(doc, campaign.checklist.title, size=15)
    if insp.status == "draft":
        dx.para(doc, texts.DOC_DRAFT_MARK, align="center", size=11)
    dx.label_value(doc, texts.DOC_UNIT, insp.enterprise.name, size=12)
    d = insp.inspection_date
    dx.label_value(doc, texts.DOC_DATE, texts.DOC_DATE_VALUE.format(y=d.year, m=d.month, d=d.day), size=12)
    dx.para(doc, texts.DOC_CHECKLIST_META.format(id=insp.id, industry=insp.enterprise.industry,
                                                 bureau=record.bureau.name, inspectors=record.inspector_names),
            size=9)
    _checklist_table(doc, campaign, record, figures)
    _register(doc, record)
    _findings(doc, campaign, record)
    _orders(doc, campaign, record, as_of or date.today(), figures)
    _signatures(doc, record, figures)
    _flags(doc, record, figures)
    _appendix(doc, campaign, record, pictures, figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _checklist_table(doc, campaign: Campaign, record: InspectionRecord, figures: dict[int, int]) -> None:
    total = len(campaign.requirements)
    t = dx.table(doc, 1 + total, WIDTHS)
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
            dx.cell_text(cells[5], verdict_lines(campaign, record, req.id, figures))
            row += 1
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
    dx.simple_table(doc, texts.DOC_REGISTER_COLUMNS, rows, [1.0, 1.8, 2.4, 2.8, 3.0, 2.0, 1.5, 3.5])


def _findings(doc, campaign: Campaign, record: InspectionRecord) -> None:
    dx.heading(doc, texts.DOC_FINDINGS_TITLE, size=12)
    findings = record.confirmed_findings
    if not findings:
        dx.para(doc, texts.DOC_FINDINGS_NONE)
    for n, f in enumerate(findings, 1):
        basis = campaign.legal_basis.get(f.legal_basis)
        dx.para(doc, texts.DOC_FINDING_LINE.format(
            n=n, description=f.description, req=f.requirement_id,
            citation=basis.citation if basis else f.legal_basis, measure=basis.measure if basis else ""),
            size=10)


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
            state = texts.DOC_ORDER_CLOSED_ON.format(status=state, day=visits[-1].visit_date.isoformat())
    photos = [figures[e.id] for e in record.photos_of(followup_photo_key(order.id))]
    return state + (texts.DOC_FLAG_PHOTO.format(refs=_refs(photos)) if photos else "")


def _orders(doc, campaign: Campaign, record: InspectionRecord, as_of: date, figures: dict[int, int]) -> None:
    if not record.orders:
        return
    dx.heading(doc, texts.DOC_ORDERS_TITLE, size=12)
    rows = []
    for o in record.orders:
        finding = record.finding(o.finding_id)
        basis = campaign.legal_basis.get(o.legal_basis)
        measure = o.measure + (texts.DOC_ORDER_PENALTY.format(amount=o.penalty_amount, decision=o.decision_no)
                               if o.penalty_amount else "")
        rows.append([f"#{o.id}", finding.description if finding else "", basis.citation if basis else o.legal_basis,
                     measure, o.due_date.isoformat() if o.due_date else "", o.responsible_person,
                     order_state(record, o, as_of, figures)])
    dx.simple_table(doc, texts.DOC_ORDER_COLUMNS, rows, [1.1, 3.0, 2.8, 3.6, 1.9, 1.4, 3.2])


def _flags(doc, record: InspectionRecord, figures: dict[int, int]) -> None:
    """One line per open integrity flag, pointing at the photo it is about."""
    flags = record.open_flags
    if not flags:
        return
    dx.para(doc)
    dx.para(doc, texts.DOC_FLAGS_APPENDIX.format(n=len(flags)), size=11, bold=True, font=dx.HEADING_FONT)
    for n, f in enumerate(flags, 1):
        photo = texts.DOC_FLAG_PHOTO.format(refs=figures[f.evidence_id]) if f.evidence_id in figures else ""
        dx.para(doc, texts.DOC_FLAG_LINE.format(n=n, kind=texts.DOC_FLAG_KINDS.get(f.kind, f.kind),
                                                reason=f.reason, photo=photo), size=10)


def _signatures(doc, record: InspectionRecord, figures: dict[int, int]) -> None:
    dx.para(doc)
    dx.label_value(doc, texts.DOC_SIGN_INSPECTORS, record.inspector_names, size=12)
    dx.label_value(doc, texts.DOC_SIGN_UNIT, record.inspection.responsible_person, size=12)
    signed = [figures[e.id] for e in record.photos_of("signature")]
    if signed:
        dx.para(doc, texts.DOC_SIGNED_PAGES.format(refs=_refs(signed)), size=10)


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
    if not record.evidence:
        return
    dx.page_break(doc)
    dx.para(doc, texts.DOC_APPENDIX, size=14, bold=True, font=dx.HEADING_FONT, space_after=8)
    for e in record.evidence:
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

