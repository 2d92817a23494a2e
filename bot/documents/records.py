"""What the documents are made of, loaded once per document: an inspection with everything
recorded in it, as plain attributes the (synchronous) writers read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.campaign import Campaign
from bot.media import EvidenceStore
from storage.models import (
    Answer, Bureau, Certificate, Evidence, Finding, Inspection, RectificationOrder,
)
from storage.repositories import Repos
from storage.repositories.exports import ExportRepo


@dataclass
class InspectionRecord:
    inspection: Inspection
    bureau: Bureau
    answers: dict[str, Answer]
    findings: list[Finding]
    certificates: list[Certificate]
    evidence: list[Evidence]
    orders: list[RectificationOrder] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # member id -> name (uploaders, answerers)
    approved: bool = False  # a supervisor approved it (matters when the campaign counts approved only)

    @property
    def confirmed_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.confirmed]

    def findings_of(self, requirement_id: str) -> list[Finding]:
        return [f for f in self.confirmed_findings if f.requirement_id == requirement_id]

    def photos_of(self, requirement_id: str) -> list[Evidence]:
        return [e for e in self.evidence if e.requirement_id == requirement_id]

    @property
    def inspector_names(self) -> str:
        return "、".join(i.name for i in self.inspection.inspectors)

    @property
    def penalty_total(self) -> int:
        return sum(o.penalty_amount or 0 for o in self.orders)


def counts_toward_quota(campaign: Campaign, record: InspectionRecord) -> bool:
    """Submitted (and approved, if the campaign says so), dated in the period, in a target industry."""
    inspection = record.inspection
    return (inspection.status == "submitted"
            and (campaign.quota_counts != "approved" or record.approved)
            and inspection.inspection_date in campaign.period
            and inspection.enterprise.industry in campaign.target_industries)


TZ = ZoneInfo("Asia/Shanghai")


def local_time(moment: datetime | None, tz: ZoneInfo = TZ) -> str:
    """A stored timestamp (UTC; naive on SQLite) as local time for a document."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def evidence_path(media: EvidenceStore, evidence: Evidence) -> Path | None:
    try:
        path = media.find(evidence.sha256, evidence.media_type)
    except StopIteration:
        return None
    return path if path.is_file() else None


async def load_records(repos: Repos, inspections: list[Inspection],
                       campaign: Campaign | None = None) -> list[InspectionRecord]:
    exports = ExportRepo(repos.session)
    ids = [i.id for i in inspections]
    answers = await exports.answers(ids)
    findings = await exports.findings(ids)
    certs = await exports.certificates(ids)
    evidence = await exports.evidence(ids)
    orders = await exports.orders(ids)
    member_ids = {a.answered_by for rows in answers.values() for a in rows}
    member_ids |= {e.uploaded_by for rows in evidence.values() for e in rows}
    names = await exports.member_names(member_ids)
    bureaus = {b.id: b for b in await repos.org.bureaus()}
    approved = await exports.approved(ids) if campaign is not None and campaign.quota_counts == "approved" else set()
    return [InspectionRecord(
        inspection=i, bureau=bureaus[i.bureau_id],
        answers={a.requirement_id: a for a in answers.get(i.id, [])},
        findings=findings.get(i.id, []), certificates=certs.get(i.id, []), evidence=evidence.get(i.id, []),
        orders=orders.get(i.id, []), names=names, approved=i.id in approved) for i in inspections]


async def load_record(repos: Repos, inspection: Inspection) -> InspectionRecord:
    [record] = await load_records(repos, [inspection])
    return record
