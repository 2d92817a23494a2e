"""Making documents from the records: where generated files go, and the chat-side helpers that put
a document in a reply (who may have which: bot.policy). Used by the chat handlers and the CLI alike."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable

from bot import texts
from bot.campaign import Campaign
from bot.documents.case_docx import build_case
from bot.documents.checklist_docx import build_checklist
from bot.documents.files import IMAGE_TYPES, file_key
from bot.documents.records import evidence_keys, load_record, load_records
from bot.documents.report_docx import ReportScope, build_report, title_of
from bot.documents.xlsx import build_xlsx
from bot.media import EvidenceStore
from bot.messages import Document
from storage.models import Bureau, Inspection, TypicalCase
from storage.repositories import Repos
from storage.repositories.cases import CaseRepo
from storage.repositories.exports import ExportRepo

if TYPE_CHECKING:
    from bot.context import Context

log = logging.getLogger(__name__)

REPORT_STATUSES = ("submitted",)
SHEET_STATUSES = ("draft", "submitted")


# ---- file names and places
def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:80] or "document"


def checklist_name(inspection: Inspection) -> str:
    return safe_name(f"检查表_{inspection.id}_{inspection.enterprise.name}_{inspection.inspection_date.isoformat()}") + ".docx"


def case_name(case: TypicalCase) -> str:
    return safe_name(f"典型案例_{case.id}_{case.title or '草稿'}") + ".docx"


def report_name(campaign: Campaign, bureau: Bureau, as_of: date) -> str:
    kind = "汇总" if bureau.level == "city" else "书面情况"
    return safe_name(f"督查检查{kind}_{bureau.short_name}_{as_of.isoformat()}") + ".docx"


def xlsx_name(bureau: Bureau | None, as_of: date) -> str:
    return safe_name(f"检查数据_{bureau.short_name if bureau else '全部'}_{as_of.isoformat()}") + ".xlsx"


async def chat_document(media: EvidenceStore, name: str, make: Callable[[Path], Awaitable[Path]]) -> str:
    """A document for a chat: written on this host's disk by `make(path)`, then put in the evidence
    store (documents/...). Returns the reference for the outgoing Document, which whichever server
    process delivers the reply can read."""
    async with media.scratch() as tmp:
        return await media.put_document(name, await make(tmp / name))


# ---- building
async def checklist_file(repos: Repos, campaign: Campaign, media: EvidenceStore, inspection: Inspection,
                         out: Path, as_of: date | None = None) -> Path:
    record = await load_record(repos, inspection)
    async with media.local_files(evidence_keys([record])) as pictures:
        return build_checklist(campaign, record, pictures, out, as_of)


async def case_file(repos: Repos, media: EvidenceStore, case: TypicalCase, out: Path) -> Path:
    files = await CaseRepo(repos.session, repos.audit).files(case.id)
    keys = [file_key(f.sha256, f.media_type) for f in files if f.media_type in IMAGE_TYPES]
    async with media.local_files(keys) as pictures:
        return build_case(case, files, pictures, out)


async def report_scope(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: date) -> ReportScope:
    ids = None if bureau.level == "city" else [bureau.id]
    inspections = await ExportRepo(repos.session).inspections(campaign.id, ids, REPORT_STATUSES)
    records = await load_records(repos, inspections, campaign)
    cases = await CaseRepo(repos.session, repos.audit).of_bureaus(campaign.id, ids, status="finished")
    return ReportScope(bureau=bureau, records=records, cases=cases, bureaus=await repos.org.bureaus(), as_of=as_of)


async def report_file(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: date, out: Path) -> Path:
    return build_report(campaign, await report_scope(repos, campaign, bureau, as_of), out)


async def xlsx_file(repos: Repos, campaign: Campaign, bureau: Bureau | None, out: Path) -> Path:
    ids = None if bureau is None or bureau.level == "city" else [bureau.id]
    inspections = await ExportRepo(repos.session).inspections(campaign.id, ids, SHEET_STATUSES)
    records = await load_records(repos, inspections, campaign)
    cases = await CaseRepo(repos.session, repos.audit).of_bureaus(campaign.id, ids)
    return build_xlsx(campaign, records, cases, await repos.org.bureaus(), out)


# ---- in a chat
async def reply_checklist(ctx: "Context", inspection: Inspection, caption: str | None = None) -> bool:
    """Put the filled checklist in the reply. A failure is logged and told, never fatal to the caller
    (a submit must not be lost because a document could not be written)."""
    name = checklist_name(inspection)
    try:
        ref = await chat_document(ctx.media, name, lambda out: checklist_file(
            ctx.repos, ctx.campaign, ctx.media, inspection, out, ctx.today))
    except Exception:  # noqa: BLE001 - python-docx, disk, image or store trouble: the records are safe
        log.exception("checklist of inspection %s could not be written", inspection.id)
        ctx.reply(texts.EXPORT_FAILED.format(id=inspection.id))
        return False
    ctx.reply(Document(ref, name, caption if caption is not None else texts.EXPORT_CAPTION.format(
        id=inspection.id, name=inspection.enterprise.name, date=inspection.inspection_date.isoformat())))
    return True


async def send_submitted_checklist(ctx: "Context", inspection: Inspection) -> None:
    """Called at submit (conversations.inspection_review)."""
    await reply_checklist(ctx, inspection, texts.EXPORT_SUBMIT_CAPTION.format(id=inspection.id))


def report_title(campaign: Campaign, bureau: Bureau) -> str:
    return title_of(campaign, ReportScope(bureau=bureau, records=[], cases=[], bureaus=[], as_of=date.today()))
