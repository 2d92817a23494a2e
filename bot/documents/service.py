"""Making documents from the records: where generated files go, and the chat-side helpers that put
a document in a reply (who may have which: bot.policy). Used by the chat handlers and the CLI alike."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot import texts
from bot.campaign import Campaign
from bot.documents.case_docx import build_case
from bot.documents.checklist_docx import build_checklist
from bot.documents.records import load_record, load_records
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


def chat_path(media: EvidenceStore, filename: str) -> Path:
    """A fresh place under MEDIA_DIR/documents for a document sent in a chat."""
    return media.root.resolve() / "documents" / uuid.uuid4().hex[:12] / filename


# ---- building
async def checklist_file(repos: Repos, campaign: Campaign, media: EvidenceStore, inspection: Inspection,
                         out: Path, as_of: date | None = None) -> Path:
    record = await load_record(repos, inspection)
    return build_checklist(campaign, record, media, out, as_of)


async def case_file(repos: Repos, media: EvidenceStore, case: TypicalCase, out: Path) -> Path:
    files = await CaseRepo(repos.session, repos.audit).files(case.id)
    return build_case(case, files, media, out)


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
        path = await checklist_file(ctx.repos, ctx.campaign, ctx.media, inspection, chat_path(ctx.media, name),
                                    ctx.today)
    except Exception:  # noqa: BLE001 - python-docx, disk or image trouble: the records are safe
        log.exception("checklist of inspection %s could not be written", inspection.id)
        ctx.reply(texts.EXPORT_FAILED.format(id=inspection.id))
        return False
    ctx.reply(Document(str(path), name, caption if caption is not None else texts.EXPORT_CAPTION.format(
        id=inspection.id, name=inspection.enterprise.name, date=inspection.inspection_date.isoformat())))
    return True


async def send_submitted_checklist(ctx: "Context", inspection: Inspection) -> None:
    """Called at submit (conversations.inspection_review)."""
    await reply_checklist(ctx, inspection, texts.EXPORT_SUBMIT_CAPTION.format(id=inspection.id))


def report_title(campaign: Campaign, bureau: Bureau) -> str:
    return title_of(campaign, ReportScope(bureau=bureau, records=[], cases=[], bureaus=[], as_of=date.today()))
