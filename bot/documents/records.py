"""What the documents are made of, loaded once per document: an inspection with everything
recorded in it (answers, findings, photos, orders and their follow-up visits, the review decision,
the integrity flags), as plain attributes the (synchronous) writers read, cut to the day the
document is made for (bot.counting.AsOf): orders as they stood then, visits and decisions up to it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

from bot.campaign import Campaign
from bot.counting import AsOf, counts_toward_quota  # noqa: F401  (re-exported for the documents)
from bot import recordings
from bot.media import evidence_key
from storage.models import (
    Answer, Bureau, Certificate, Evidence, Finding, Inspection, RectificationOrder,
)
from storage.repositories import Repos
from storage.models_enforcement import FollowUp
from storage.repositories.exports import ExportRepo
from storage.repositories.integrity import FlagView, IntegrityRepo


@dataclass(frozen=True)
class OrderAsOf:
    """A rectification order as it stood on a day: closed after it, it was still open then."""

    id: int
    finding_id: int
    inspection_id: int
    bureau_id: int
    legal_basis: str
    measure: str
    penalty_amount: int | None
    decision_no: str
    due_date: date | None
    responsible_person: str
    status: str
    created_by: int
    created_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, order: RectificationOrder, as_of: AsOf) -> "OrderAsOf":
        values = {f.name: getattr(order, f.name) for f in fields(cls)}
        if order.closed_at is not None and not as_of.recorded(order.closed_at):
            values.update(status="open", closed_at=None)
        return cls(**values)


@dataclass
class InspectionRecord:
    inspection: Inspection
    bureau: Bureau
    answers: dict[str, Answer]
    findings: list[Finding]
    certificates: list[Certificate]
    evidence: list[Evidence]
    orders: list[OrderAsOf] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # member id -> name (uploaders, answerers)
    approved: bool = False  # a supervisor approved it (matters when the campaign counts approved only)
    review: str | None = None  # approved | returned | resubmitted; None: not reviewed yet
    followups: dict[int, list[FollowUp]] = field(default_factory=dict)  # order id -> visits, oldest first
    flags: list[FlagView] = field(default_factory=list)  # integrity flags, open and resolved

    @property
    def open_flags(self) -> list[FlagView]:
        return [f for f in self.flags if not f.resolved]

    def finding(self, finding_id: int) -> Finding | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    @property
    def confirmed_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.confirmed]

    def findings_of(self, requirement_id: str) -> list[Finding]:
        return [f for f in self.confirmed_findings if f.requirement_id == requirement_id]

    @property
    def photos(self) -> list[Evidence]:
        """The evidence that is pictures (voice messages and videos are `recordings_of`)."""
        return [e for e in self.evidence if e.media_type.startswith("image/")]

    def photos_of(self, requirement_id: str) -> list[Evidence]:
        return [e for e in self.photos if e.requirement_id == requirement_id]

    def recordings_of(self, requirement_id: str) -> list[Evidence]:
        return [e for e in self.evidence if e.requirement_id == requirement_id and recordings.is_recording(e.media_type)]

    @property
    def inspector_names(self) -> str:
        return "、".join(i.name for i in self.inspection.inspectors)

    @property
    def penalty_total(self) -> int:
        return sum(o.penalty_amount or 0 for o in self.orders)


def overdue_days(order: "RectificationOrder | OrderAsOf", as_of: date) -> int:
    """Days an open order is past its due date on `as_of`; 0 when it is not (or is closed)."""
    if order.status != "open" or order.due_date is None:
        return 0
    return max(0, (as_of - order.due_date).days)


TZ = ZoneInfo("Asia/Shanghai")


def local_time(moment: datetime | None, tz: ZoneInfo = TZ) -> str:
    """A stored timestamp (UTC; naive on SQLite) as local time for a document."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def evidence_keys(records: "list[InspectionRecord]") -> list[str]:
    """The store keys of every photo of these records (for EvidenceStore.local_files)."""
    keys = (evidence_key(e.sha256, e.media_type) for r in records for e in r.evidence)
    return [k for k in keys if k]


def evidence_path(pictures: Mapping[str, Path], evidence: Evidence) -> Path | None:
    """The photo as a file on this disk, from what EvidenceStore.local_files gave; None if missing."""
    key = evidence_key(evidence.sha256, evidence.media_type)
    return pictures.get(key) if key else None


async def load_records(repos: Repos, inspections: list[Inspection], campaign: Campaign | None = None,
                       as_of: AsOf | None = None) -> list[InspectionRecord]:
    """Everything recorded in these inspections, as of `as_of` (default: everything so far): an
    inspection dated after the day, or submitted after it ended, is left out; orders issued after
    it are left out and those closed after it were open; follow-up visits and review decisions
    after it did not happen yet; flags raised after it are left out."""
    if as_of is not None:
        inspections = [i for i in inspections if as_of.dated(i.inspection_date)
                       and (i.status != "submitted" or as_of.recorded(i.submitted_at))]
    return await _load(repos, inspections, as_of or AsOf(date.max))


async def _load(repos: Repos, inspections: list[Inspection], as_of: AsOf) -> list[InspectionRecord]:
    exports = ExportRepo(repos.session)
    ids = [i.id for i in inspections]
    answers = await exports.answers(ids)
    findings = await exports.findings(ids)
    certs = await exports.certificates(ids)
    evidence = await exports.evidence(ids)
    orders = {iid: [OrderAsOf.of(o, as_of) for o in rows if as_of.recorded(o.created_at)]
              for iid, rows in (await exports.orders(ids)).items()}
    followups = await exports.followups([o.id for rows in orders.values() for o in rows])
    followups = {oid: [v for v in rows if as_of.dated(v.visit_date)] for oid, rows in followups.items()}
    reviews = {iid: r.status for iid, r in (await exports.review_rows(ids)).items() if as_of.recorded(r.decided_at)}
    flags = {iid: [f for f in rows if as_of.recorded(f.created_at)]
             for iid, rows in (await _flags(repos, inspections)).items()}
    member_ids = {a.answered_by for rows in answers.values() for a in rows}
    member_ids |= {e.uploaded_by for rows in evidence.values() for e in rows}
    member_ids |= {f.inspector_id for rows in followups.values() for f in rows}
    names = await exports.member_names(member_ids)
    bureaus = {b.id: b for b in await repos.org.bureaus()}
    return [InspectionRecord(
        inspection=i, bureau=bureaus[i.bureau_id],
        answers={a.requirement_id: a for a in answers.get(i.id, [])},
        findings=findings.get(i.id, []), certificates=certs.get(i.id, []), evidence=evidence.get(i.id, []),
        orders=orders.get(i.id, []), names=names, approved=reviews.get(i.id) == "approved",
        review=reviews.get(i.id), followups={o.id: followups.get(o.id, []) for o in orders.get(i.id, [])},
        flags=flags.get(i.id, [])) for i in inspections]


async def _flags(repos: Repos, inspections: list[Inspection]) -> dict[int, list[FlagView]]:
    """Integrity flags (open and resolved) of these inspections."""
    integrity = IntegrityRepo(repos.session)
    if len(inspections) == 1:
        views = await integrity.flags_for_inspection(inspections[0].id, include_resolved=True)
    else:
        views = []
        for campaign_id in sorted({i.campaign_id for i in inspections}):
            views += await integrity.flags_for_bureau(sorted({i.bureau_id for i in inspections}), campaign_id,
                                                      include_resolved=True)
    wanted = {i.id for i in inspections}
    out: dict[int, list[FlagView]] = {}
    for view in views:
        if view.inspection_id in wanted:
            out.setdefault(view.inspection_id, []).append(view)
    return out


async def load_record(repos: Repos, inspection: Inspection, as_of: AsOf | None = None) -> InspectionRecord:
    """One inspection's record; `as_of` cuts its orders, visits and decisions, never the inspection."""
    [record] = await _load(repos, [inspection], as_of or AsOf(date.max))
    return record
