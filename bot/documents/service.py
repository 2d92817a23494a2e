"""Making documents from the records: where generated files go, and the chat-side helpers that put
a document in a reply (who may have which: bot.policy). Used by the chat handlers and the CLI alike."""

from __future__ import annotations

import asyncio
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
from bot.counting import AsOf
from bot.documents import case_pages, report_service
from bot.documents.report_docx import title_of
from bot.documents.xlsx import build_xlsx
from bot.media import EvidenceStore
from bot.messages import Document
from storage.models import Bureau, Inspection, Member, TypicalCase
from storage.repositories import Repos
from storage.repositories.cases import CaseRepo
from storage.repositories.documents import DocumentRepo
from storage.repositories.exports import ExportRepo

if TYPE_CHECKING:
    from bot.context import Context

log = logging.getLogger(__name__)

REPORT_STATUSES = ("submitted",)
SHEET_STATUSES = ("draft", "submitted")


# ---- file names and places
def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+', "_", text).strip("_")[:80] or "document"


def checklist_name(inspection: Inspection, signable: bool = False) -> str:
    kind = "检查表签字版" if signable else "检查表"
    return safe_name(f"{kind}_{inspection.id}_{inspection.enterprise.name}_{inspection.inspection_date.isoformat()}") + ".docx"


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
                         out: Path, as_of: date | AsOf | None = None, *, signable: bool = False) -> Path:
    """The filled checklist; its orders as they stood on `as_of` (default: today). `signable`: the
    form to print and sign before submit."""
    when = as_of if isinstance(as_of, AsOf) else AsOf(as_of or date.today())
    record = await load_record(repos, inspection, when)
    async with media.local_files(evidence_keys([record])) as pictures:
        return build_checklist(campaign, record, pictures, out, when.day, signable=signable)


async def case_file(repos: Repos, media: EvidenceStore, case: TypicalCase, out: Path) -> Path:
    """附件2 as one Word file: photos, PDF and Word 执法文书 inside it with their captions."""
    path, _ = await case_document(repos, media, case, out)
    return path


async def case_document(repos: Repos, media: EvidenceStore, case: TypicalCase, out: Path) -> tuple[Path, list]:
    """The case's Word file, and the 执法文书 it could not show inside it (to be sent with it)."""
    files = await CaseRepo(repos.session, repos.audit).files(case.id)
    captions = await DocumentRepo(repos.session, repos.audit).captions([f.id for f in files])
    keys = [file_key(f.sha256, f.media_type) for f in files
            if f.media_type in IMAGE_TYPES or case_pages.can_show(f.media_type)]
    async with media.local_files(keys) as local, media.scratch() as tmp:
        pages = {}
        for f in files:
            path = local.get(file_key(f.sha256, f.media_type))
            if path is not None and f.media_type not in IMAGE_TYPES:
                pages[f.id] = await asyncio.to_thread(case_pages.render, path, f.media_type, tmp, f"f{f.id}")
        built = build_case(case, files, local, out, captions, pages)
    unshown = [f for f in files if f.media_type not in IMAGE_TYPES and not pages.get(f.id)]
    return built, unshown


async def report_file(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: AsOf, out: Path, *,
                      final: bool = False, asking: Member | None = None) -> Path:
    """The written report (bot.documents.report_service)."""
    return await report_service.report_file(repos, campaign, bureau, as_of, out, final=final, asking=asking)


async def xlsx_file(repos: Repos, campaign: Campaign, bureau: Bureau | None, out: Path,
                    as_of: AsOf | None = None) -> Path:
    """The spreadsheet of a bureau (None or the city: all), as of a day (default: everything so far);
    its summary sheet has bot.progress's figures for the same day."""
    from bot.progress import city, compute

    as_of = as_of or AsOf(date.today())
    ids = None if bureau is None or bureau.level == "city" else [bureau.id]
    inspections = await ExportRepo(repos.session).inspections(campaign.id, ids, SHEET_STATUSES)
    records = await load_records(repos, inspections, campaign, as_of)
    cases = [c for c in await CaseRepo(repos.session, repos.audit).of_bureaus(campaign.id, ids)
             if c.status != "finished" or as_of.recorded(c.finished_at)]
    whole = await city(repos, campaign, as_of.day, as_of.cutoff) if ids is None else None
    rows = whole.bureaus if whole else await compute(repos, campaign, as_of.day, bureau_ids=ids, cutoff=as_of.cutoff)
    return build_xlsx(campaign, records, cases, await repos.org.bureaus(), out, summary=rows, city=whole,
                      as_of=as_of.day)


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


async def reply_signable(ctx: "Context", inspection: Inspection) -> bool:
    """Put the checklist to print (or show) and sign on site in the reply, before submit (签字版 N
    and the 提交 step). A failure is logged and told, never fatal to the caller."""
    name = checklist_name(inspection, signable=True)
    try:
        ref = await chat_document(ctx.media, name, lambda out: checklist_file(
            ctx.repos, ctx.campaign, ctx.media, inspection, out, AsOf.of(ctx.today, ctx.now), signable=True))
    except Exception:  # noqa: BLE001 - python-docx, disk, image or store trouble: the records are safe
        log.exception("signable checklist of inspection %s could not be written", inspection.id)
        ctx.reply(texts.EXPORT_FAILED.format(id=inspection.id))
        return False
    ctx.reply(Document(ref, name, texts.EXPORT_SIGNABLE_CAPTION.format(id=inspection.id,
                                                                       name=inspection.enterprise.name)))
    return True


async def send_submitted_checklist(ctx: "Context", inspection: Inspection) -> None:
    """Called at submit (conversations.inspection_review)."""
    await reply_checklist(ctx, inspection, texts.EXPORT_SUBMIT_CAPTION.format(id=inspection.id))


def report_title(campaign: Campaign, bureau: Bureau) -> str:
    return title_of(campaign, bureau)
