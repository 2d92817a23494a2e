"""Making the written report and its internal annex from the database, as of a day: the figures
from bot.progress (as the progress answers and digests have them), the records cut to the day, and
the texts the clerk replaced. Used by the chat (handlers.report) and the CLI alike."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.campaign import Campaign
from bot.counting import AsOf
from bot.documents.records import load_records
from bot.documents.report_docx import build_report
from bot.documents.report_internal import build_internal
from bot.documents.report_sections import ReportScope, unfilled_parts
from bot.progress import city, compute
from storage.models import Bureau, Member
from storage.repositories import Repos
from storage.repositories.cases import CaseRepo
from storage.repositories.documents import DocumentRepo
from storage.repositories.exports import ExportRepo


class NotInCampaign(Exception):
    """The bureau has no quota in the campaign: there is nothing to report on."""


def contact_of(member: Member | None) -> str:
    """The 联系人 line prefilled with the member who asks for the report, when their phone is known."""
    if member is None or not member.phone:
        return ""
    return texts.RPT_CONTACT.format(name=member.name, phone=member.phone)


async def load_scope(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: AsOf,
                     asking: Member | None = None) -> ReportScope:
    is_city = bureau.level == "city"
    ids = None if is_city else [bureau.id]
    inspections = await ExportRepo(repos.session).inspections(campaign.id, ids, ("submitted",))
    records = await load_records(repos, inspections, campaign, as_of)
    cases = [c for c in await CaseRepo(repos.session, repos.audit).of_bureaus(campaign.id, ids, status="finished")
             if as_of.recorded(c.finished_at)]
    if is_city:
        whole = await city(repos, campaign, as_of.day, as_of.cutoff)
        rows = whole.bureaus
    else:
        whole = None
        rows = await compute(repos, campaign, as_of.day, bureau_ids=[bureau.id], cutoff=as_of.cutoff)
    if not rows:
        raise NotInCampaign(bureau.name)
    edits = await DocumentRepo(repos.session, repos.audit).report_texts(campaign.id, bureau.id)
    return ReportScope(campaign=campaign, bureau=bureau, records=records, cases=cases,
                       bureaus=await repos.org.bureaus(), as_of=as_of.day, rows=rows, city=whole, edits=edits,
                       contact=contact_of(asking))


async def report_file(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: AsOf, out: Path, *,
                      final: bool = False, asking: Member | None = None) -> Path:
    """The report (.docx). `final` refuses (ValueError naming what is missing) while a 【待填写】
    is left."""
    scope = await load_scope(repos, campaign, bureau, as_of, asking)
    if final:
        missing = unfilled_parts(scope)
        if missing:
            raise Unfinished(missing)
    return build_report(scope, out, final=final)


async def internal_file(repos: Repos, campaign: Campaign, bureau: Bureau, as_of: AsOf, out: Path) -> Path:
    scope = await load_scope(repos, campaign, bureau, as_of)
    drafts = sum(r.figures.drafts for r in scope.rows)
    return build_internal(scope, out, drafts)


class Unfinished(ValueError):
    """The final report was asked for while parts are still to be filled in."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("、".join(missing))
        self.missing = missing
