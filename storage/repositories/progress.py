"""Progress toward the quotas: SQL aggregates (GROUP BY, COUNT DISTINCT), never a loop over rows;
the lists a supervisor asks for (today's inspections, open findings, one enterprise); and the claims
that make the daily digest and the reminders go out once. Instantiated from an open unit of work:
`ProgressRepo(repos.session)`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

from sqlalchemy import Select, and_, case, exists, func, or_, select, text, true, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditLog, DigestLog, Enterprise, Finding, Inspection, InspectionInspector, IntegrityFlag, Member,
    RectificationOrder, TypicalCase, utcnow,
)
from storage.models_enforcement import InspectionReview


@dataclass(frozen=True)
class Scope:
    """Which inspections a figure covers: one campaign, some bureaus (None: all), one member's own work
    (None: everyone's), whether only supervisor-approved inspections count (quota_counts), and the
    day it is made for (bot.counting.AsOf): visits dated after `as_of` are left out, and with a
    `cutoff` (UTC, the end of a past day) whatever was recorded after it."""

    campaign_id: str
    bureau_ids: tuple[int, ...] | None = None
    member_id: int | None = None
    approved_only: bool = False
    as_of: date | None = None
    cutoff: datetime | None = None

    def before_cutoff(self, column):
        """`column` (a recorded time) is before the cutoff, or there is none."""
        return true() if self.cutoff is None else column < _utc(self.cutoff)


@dataclass(frozen=True)
class CountRow:
    bureau_id: int
    industry: str
    in_period: bool
    enterprises: int  # distinct enterprises, submitted inspections
    visits: int  # submitted inspections
    approved_enterprises: int = 0  # the same, of inspections a supervisor approved
    approved_visits: int = 0


@dataclass(frozen=True)
class OrderCounts:
    """Rectification orders of one bureau: open (of which due within a few days, and overdue),
    rectified, escalated."""

    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    rectified: int = 0
    escalated: int = 0

    @property
    def total(self) -> int:
        return self.open + self.rectified + self.escalated

    def plus(self, other: "OrderCounts") -> "OrderCounts":
        return OrderCounts(self.open + other.open, self.due_soon + other.due_soon, self.overdue + other.overdue,
                           self.rectified + other.rectified, self.escalated + other.escalated)


class ProgressRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- filters
    def _scoped(self, query: Select, scope: Scope) -> Select:
        query = query.where(Inspection.campaign_id == scope.campaign_id)
        if scope.bureau_ids is not None:
            query = query.where(Inspection.bureau_id.in_(scope.bureau_ids))
        if scope.member_id is not None:
            took_part = select(InspectionInspector.inspection_id).where(
                InspectionInspector.member_id == scope.member_id)
            query = query.where(or_(Inspection.created_by == scope.member_id, Inspection.id.in_(took_part)))
        return query

    def _submitted(self, query: Select, scope: Scope) -> Select:
        """Submitted inspections as of the scope's day: dated by then, and submitted by its end."""
        query = self._scoped(query, scope).where(Inspection.status == "submitted")
        if scope.as_of is not None:
            query = query.where(Inspection.inspection_date <= scope.as_of)
        if scope.cutoff is not None:
            query = query.where(or_(Inspection.submitted_at.is_(None), scope.before_cutoff(Inspection.submitted_at)))
        return query

    @staticmethod
    def _review_on(scope: Scope):
        """Join condition: the inspection's review decision, if it was made by the cutoff."""
        return and_(InspectionReview.inspection_id == Inspection.id, scope.before_cutoff(InspectionReview.decided_at))

    def _counted(self, query: Select, scope: Scope) -> Select:
        """Inspections that count toward a quota (dates aside): submitted, or also approved."""
        query = self._submitted(query, scope)
        if scope.approved_only:
            query = query.where(exists().where(self._review_on(scope), InspectionReview.status == "approved"))
        return query

    def _campaign(self, query: Select, scope: Scope, start: date, end: date) -> Select:
        """The campaign's inspections (bot.counting): counted, dated inside the period."""
        return self._counted(query, scope).where(self._in_period(start, end))

    @staticmethod
    def _in_period(start: date, end: date):
        return Inspection.inspection_date.between(start, end)

    # ---- aggregates
    async def enterprise_counts(self, scope: Scope, start: date, end: date) -> list[CountRow]:
        """Distinct enterprises and visits per bureau, industry and inside/outside the period, of the
        submitted inspections and (in the same pass) of the approved ones; `scope.approved_only` is
        not applied here: the caller picks the pair the campaign counts."""
        in_period = case((self._in_period(start, end), True), else_=False).label("in_period")
        approved = InspectionReview.status == "approved"
        query = self._submitted(
            select(Inspection.bureau_id, Enterprise.industry, in_period,
                   func.count(func.distinct(Inspection.enterprise_id)), func.count(Inspection.id),
                   func.count(func.distinct(case((approved, Inspection.enterprise_id)))),
                   func.count(case((approved, Inspection.id))))
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .outerjoin(InspectionReview, self._review_on(scope)), scope,
        ).group_by(Inspection.bureau_id, Enterprise.industry, in_period)
        rows = await self.session.execute(query)
        return [CountRow(b, ind, bool(p), e, v, ae, av) for b, ind, p, e, v, ae, av in rows.all()]

    async def distinct_enterprises(self, scope: Scope, start: date, end: date, industries: list[str]) -> int:
        """Distinct enterprises of these industries among the campaign's inspections of all the bureaus
        in scope together (an enterprise two bureaus inspected is one here)."""
        query = self._campaign(
            select(func.count(func.distinct(Inspection.enterprise_id)))
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id), scope, start, end,
        ).where(Enterprise.industry.in_(industries))
        return int(await self.session.scalar(query) or 0)

    async def awaiting_review(self, scope: Scope) -> dict[int, int]:
        """Submitted inspections (any date) with no decision yet, or amended after being returned:
        the ones `待审核` lists."""
        query = self._submitted(
            select(Inspection.bureau_id, func.count(Inspection.id))
            .outerjoin(InspectionReview, self._review_on(scope)), scope,
        ).where(or_(InspectionReview.id.is_(None), InspectionReview.status == "resubmitted")).group_by(
            Inspection.bureau_id)
        return {b: n for b, n in (await self.session.execute(query)).all()}

    async def order_counts(self, scope: Scope, start: date, end: date, today: date,
                           due_days: int) -> dict[int, OrderCounts]:
        """Orders issued (by the cutoff) on the campaign's inspections, per bureau, with their status
        as of the day: open, open and due within `due_days` (today included), open and past due,
        rectified, escalated. An order closed after the cutoff was still open then."""
        return (await self.order_figures(scope, start, end, today, due_days))[0]

    async def order_figures(self, scope: Scope, start: date, end: date, today: date, due_days: int
                            ) -> tuple[dict[int, OrderCounts], dict[int, tuple[int, int]]]:
        """`order_counts` and `penalties` together: one pass over the same orders."""
        order = RectificationOrder
        status = order.status
        if scope.cutoff is not None:
            status = case((and_(order.closed_at.is_not(None), order.closed_at >= _utc(scope.cutoff)), "open"),
                          else_=order.status)
        is_open = status == "open"
        fined = and_(order.penalty_amount.is_not(None), order.penalty_amount > 0)

        def n(condition):
            return func.count(case((condition, order.id)))

        query = self._campaign(
            select(Inspection.bureau_id, n(is_open),
                   n(and_(is_open, order.due_date >= today, order.due_date <= today + timedelta(days=due_days))),
                   n(and_(is_open, order.due_date < today)), n(status == "rectified"), n(status == "escalated"),
                   n(fined), func.coalesce(func.sum(case((fined, order.penalty_amount))), 0))
            .join(Inspection, Inspection.id == order.inspection_id), scope, start, end,
        ).where(scope.before_cutoff(order.created_at)).group_by(Inspection.bureau_id)
        counts: dict[int, OrderCounts] = {}
        penalties: dict[int, tuple[int, int]] = {}
        for b, *row in (await self.session.execute(query)).all():
            counts[b] = OrderCounts(*row[:5])
            if row[5]:
                penalties[b] = (row[5], int(row[6]))
        return counts, penalties

    def _open_flags(self, query: Select, scope: Scope) -> Select:
        """Open integrity flags of live inspections: what IntegrityRepo.flags_for_bureau lists."""
        return self._scoped(query.join(Inspection, Inspection.id == IntegrityFlag.inspection_id), scope).where(
            IntegrityFlag.resolved.is_(False), Inspection.status != "cancelled",
            scope.before_cutoff(IntegrityFlag.created_at))

    async def open_flag_counts(self, scope: Scope) -> dict[int, int]:
        query = self._open_flags(select(IntegrityFlag.bureau_id, func.count(IntegrityFlag.id)), scope).group_by(
            IntegrityFlag.bureau_id)
        return {b: n for b, n in (await self.session.execute(query)).all()}

    async def open_flag_ids(self, scope: Scope) -> set[int]:
        """The open flags in scope (for a member: on the inspections they took part in)."""
        return set((await self.session.scalars(self._open_flags(select(IntegrityFlag.id), scope))).all())

    async def drafts(self, scope: Scope) -> dict[int, int]:
        query = self._scoped(select(Inspection.bureau_id, func.count(Inspection.id)), scope).where(
            Inspection.status == "draft").group_by(Inspection.bureau_id)
        return {b: n for b, n in (await self.session.execute(query)).all()}

    async def finished_cases(self, scope: Scope) -> dict[int, int]:
        """Typical cases finished (by the cutoff)."""
        query = select(TypicalCase.bureau_id, func.count(TypicalCase.id)).where(
            TypicalCase.campaign_id == scope.campaign_id, TypicalCase.status == "finished",
            scope.before_cutoff(TypicalCase.finished_at))
        if scope.bureau_ids is not None:
            query = query.where(TypicalCase.bureau_id.in_(scope.bureau_ids))
        if scope.member_id is not None:
            query = query.where(TypicalCase.created_by == scope.member_id)
        query = query.group_by(TypicalCase.bureau_id)
        return {b: n for b, n in (await self.session.execute(query)).all()}

    def _findings_of(self, columns: list, scope: Scope, start: date, end: date) -> Select:
        """Confirmed findings of the campaign's inspections, with their bureau and industry."""
        return self._campaign(
            select(*columns).select_from(Finding)
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id), scope, start, end,
        ).where(Finding.confirmed.is_(True))

    async def findings(self, scope: Scope, start: date, end: date) -> list[tuple[int, str, str, int, int]]:
        """Confirmed findings of the campaign's inspections: (bureau, industry, requirement, findings,
        distinct enterprises with one)."""
        return (await self.findings_and_enterprises(scope, start, end))[0]

    async def finding_enterprises(self, scope: Scope, start: date, end: date) -> dict[tuple[int, str], int]:
        """(bureau, industry) -> distinct enterprises with a confirmed finding in the campaign's inspections."""
        return (await self.findings_and_enterprises(scope, start, end))[1]

    async def findings_and_enterprises(self, scope: Scope, start: date, end: date
                                       ) -> tuple[list[tuple[int, str, str, int, int]], dict[tuple[int, str], int]]:
        """`findings` and `finding_enterprises` together; on PostgreSQL in one pass (GROUPING SETS)."""
        bureau, industry, req = Inspection.bureau_id, Enterprise.industry, Finding.requirement_id
        enterprises = func.count(func.distinct(Inspection.enterprise_id))
        if self.session.bind.dialect.name != "postgresql":  # SQLite has no GROUPING SETS
            rows = await self.session.execute(self._findings_of(
                [bureau, industry, req, func.count(Finding.id), enterprises], scope, start, end
            ).group_by(bureau, industry, req))
            per = await self.session.execute(self._findings_of(
                [bureau, industry, enterprises], scope, start, end).group_by(bureau, industry))
            return [(b, ind, r, n, e) for b, ind, r, n, e in rows.all()], {(b, ind): n for b, ind, n in per.all()}
        query = self._findings_of([bureau, industry, req, func.count(Finding.id), enterprises, func.grouping(req)],
                                  scope, start, end).group_by(
            func.grouping_sets(tuple_(bureau, industry, req), tuple_(bureau, industry)))
        by_requirement, by_industry = [], {}
        for b, ind, r, n, e, total in (await self.session.execute(query)).all():
            if total:
                by_industry[(b, ind)] = e
            else:
                by_requirement.append((b, ind, r, n, e))
        return by_requirement, by_industry

    async def penalties(self, scope: Scope, start: date, end: date) -> dict[int, tuple[int, int]]:
        """Orders with a penalty, issued (by the cutoff) on the campaign's inspections: bureau -> (count, yuan)."""
        return (await self.order_figures(scope, start, end, start, 0))[1]

    # ---- lists
    async def inspections_on(self, scope: Scope, day: date, limit: int = 15) -> tuple[int, list[tuple]]:
        """Inspections dated `day` (not cancelled): how many, and the latest rows
        (id, bureau_id, enterprise, industry, status, creator)."""
        base = self._scoped(select(Inspection.id), scope).where(
            Inspection.inspection_date == day, Inspection.status != "cancelled")
        total = await self.session.scalar(select(func.count()).select_from(base.subquery())) or 0
        query = self._scoped(
            select(Inspection.id, Inspection.bureau_id, Enterprise.name, Enterprise.industry, Inspection.status,
                   Member.name)
            .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
            .join(Member, Member.id == Inspection.created_by), scope,
        ).where(Inspection.inspection_date == day, Inspection.status != "cancelled").order_by(
            Inspection.id.desc()).limit(limit)
        return int(total), [tuple(r) for r in (await self.session.execute(query)).all()]

    def _open_findings(self, query: Select, scope: Scope) -> Select:
        """Confirmed findings of live inspections that no order has closed as rectified."""
        rectified = select(RectificationOrder.finding_id).where(RectificationOrder.status == "rectified")
        return self._scoped(query.join(Inspection, Inspection.id == Finding.inspection_id), scope).where(
            Finding.confirmed.is_(True), Inspection.status != "cancelled", Finding.id.not_in(rectified))

    async def open_findings_by_requirement(self, scope: Scope) -> dict[str, int]:
        query = self._open_findings(select(Finding.requirement_id, func.count(Finding.id)), scope).group_by(
            Finding.requirement_id)
        return {r: n for r, n in (await self.session.execute(query)).all()}

    async def open_findings(self, scope: Scope, limit: int = 8) -> list[tuple]:
        """The latest open findings: (inspection id, enterprise, requirement, description, order status,
        due date)."""
        order = RectificationOrder
        query = self._open_findings(
            select(Inspection.id, Enterprise.name, Finding.requirement_id, Finding.description, order.status,
                   order.due_date)
            .select_from(Finding)
            .outerjoin(order, order.finding_id == Finding.id), scope,
        ).join(Enterprise, Enterprise.id == Inspection.enterprise_id).order_by(
            Finding.id.desc()).limit(limit)
        return [tuple(r) for r in (await self.session.execute(query)).all()]

    async def enterprise_inspections(self, scope: Scope, enterprise_id: int, limit: int = 8) -> list[tuple]:
        """(id, bureau_id, date, status, creator) of one enterprise's inspections, newest first."""
        query = self._scoped(
            select(Inspection.id, Inspection.bureau_id, Inspection.inspection_date, Inspection.status, Member.name)
            .join(Member, Member.id == Inspection.created_by), scope,
        ).where(Inspection.enterprise_id == enterprise_id, Inspection.status != "cancelled").order_by(
            Inspection.inspection_date.desc(), Inspection.id.desc()).limit(limit)
        return [tuple(r) for r in (await self.session.execute(query)).all()]

    async def enterprise_visit_count(self, scope: Scope, enterprise_id: int) -> int:
        query = self._scoped(select(func.count(Inspection.id)), scope).where(
            Inspection.enterprise_id == enterprise_id, Inspection.status != "cancelled")
        return int(await self.session.scalar(query) or 0)

    # ---- reminders
    async def stale_drafts(self, campaign_id: str, untouched_since: datetime) -> list[tuple]:
        """Drafts not touched since then: (id, created_by, enterprise, inspection date, updated_at)."""
        query = (select(Inspection.id, Inspection.created_by, Enterprise.name, Inspection.inspection_date,
                        Inspection.updated_at)
                 .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
                 .where(Inspection.campaign_id == campaign_id, Inspection.status == "draft",
                        Inspection.updated_at < _utc(untouched_since))
                 .order_by(Inspection.id))
        return [tuple(r) for r in (await self.session.execute(query)).all()]

    async def reminded(self, entity: str, entity_id: int, what: str) -> bool:
        """Whether this reminder is in the audit log already (the database is the record of it)."""
        found = await self.session.scalar(select(AuditLog.id).where(
            AuditLog.entity == entity, AuditLog.entity_id == entity_id, AuditLog.field == "reminder",
            AuditLog.new == what).limit(1))
        return found is not None

    def record_reminder(self, entity: str, entity_id: int, what: str) -> None:
        self.session.add(AuditLog(actor_id=None, entity=entity, entity_id=entity_id, field="reminder",
                                  old=None, new=what, reason=""))

    # ---- digest claims
    async def claim_digest(self, binding_id: int, day: date) -> DigestLog | None:
        """Claim a group's digest for the day; None when another process (or an earlier run) has it.
        On PostgreSQL a concurrent claimer waits here until the first one commits, then gets None."""
        row = DigestLog(binding_id=binding_id, day=day, status="claimed", data={})
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row

    async def digest_claimed(self, binding_id: int, day: date) -> bool:
        found = await self.session.scalar(select(DigestLog.id).where(
            DigestLog.binding_id == binding_id, DigestLog.day == day))
        return found is not None

    def mark_digest_sent(self, row: DigestLog, data: dict) -> None:
        row.status, row.data, row.sent_at = "sent", data, utcnow()

    async def digest_before(self, binding_id: int, day: date) -> DigestLog | None:
        """The latest digest sent to the group before `day` (for "since yesterday")."""
        return await self.session.scalar(
            select(DigestLog).where(DigestLog.binding_id == binding_id, DigestLog.day < day,
                                    DigestLog.status == "sent")
            .order_by(DigestLog.day.desc()).limit(1))

    async def digest_days(self, binding_id: int) -> list[date]:
        rows = await self.session.scalars(
            select(DigestLog.day).where(DigestLog.binding_id == binding_id).order_by(DigestLog.day))
        return list(rows.all())

    async def supervisors(self, bureau_id: int) -> list[Member]:
        rows = await self.session.scalars(select(Member).where(
            Member.bureau_id == bureau_id, Member.active.is_(True),
            Member.role.in_(("supervisor", "admin"))).order_by(Member.id))
        return list(rows.all())


PARALLEL = 3  # connections one progress view uses at once on PostgreSQL


async def side_by_side(session: AsyncSession, *calls: Callable[[ProgressRepo], Awaitable[Any]]) -> list:
    """The results of these ProgressRepo calls, in order. On PostgreSQL, when this session has
    written nothing, they run on PARALLEL pooled connections of their own, side by side: every
    statement sees what was committed when it started (READ COMMITTED), so the figures are those
    the calls would give one after another on this session. Otherwise one after another here."""
    if (session.bind.dialect.name != "postgresql" or session.new or session.dirty or session.deleted
            or await session.scalar(text("SELECT txid_current_if_assigned()")) is not None):
        repo = ProgressRepo(session)
        return [await call(repo) for call in calls]
    lanes = asyncio.Semaphore(PARALLEL)

    async def run(call):
        async with lanes, AsyncSession(session.bind) as own:
            return await call(ProgressRepo(own))

    return list(await asyncio.gather(*(run(call) for call in calls)))


def _utc(moment: datetime) -> datetime:
    """Stored times are UTC; SQLite keeps their digits without the offset, so compare in UTC."""
    return moment if moment.tzinfo is None else moment.astimezone(timezone.utc)
