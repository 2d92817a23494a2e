"""Rectification orders, their reminders and follow-up visits; supervisor review of inspections."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Finding, Inspection, RectificationOrder, utcnow
from storage.models_enforcement import FollowUp, InspectionReview, OrderReminder
from storage.repositories.audit import AuditRepo


class EnforcementRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    # ---- orders
    async def order(self, order_id: int) -> RectificationOrder | None:
        return await self.session.get(RectificationOrder, order_id)

    async def orders_of(self, inspection_id: int) -> list[RectificationOrder]:
        rows = await self.session.scalars(select(RectificationOrder).where(
            RectificationOrder.inspection_id == inspection_id).order_by(RectificationOrder.id))
        return list(rows.all())

    async def findings_without_order(self, inspection_id: int) -> list[Finding]:
        ordered = select(RectificationOrder.finding_id)
        rows = await self.session.scalars(select(Finding).where(
            Finding.inspection_id == inspection_id, Finding.confirmed.is_(True),
            Finding.id.not_in(ordered)).order_by(Finding.id))
        return list(rows.all())

    async def add_order(self, finding: Finding, inspection: Inspection, actor_id: int, *, legal_basis: str,
                        measure: str, due: date, responsible: str, penalty: int | None,
                        decision_no: str) -> RectificationOrder:
        order = RectificationOrder(finding_id=finding.id, inspection_id=inspection.id,
                                   bureau_id=inspection.bureau_id, legal_basis=legal_basis, measure=measure,
                                   penalty_amount=penalty, decision_no=decision_no, due_date=due,
                                   responsible_person=responsible, created_by=actor_id)
        self.session.add(order)
        await self.session.flush()
        self.audit.record(actor_id, "order", order.id, "status", None, "open")
        return order

    async def open_orders(self, *, bureau_ids: list[int] | None = None,
                          creator_id: int | None = None) -> list[RectificationOrder]:
        query = select(RectificationOrder).where(RectificationOrder.status == "open")
        if bureau_ids is not None:
            query = query.where(RectificationOrder.bureau_id.in_(bureau_ids))
        if creator_id is not None:
            query = query.where(RectificationOrder.created_by == creator_id)
        rows = await self.session.scalars(query.order_by(RectificationOrder.due_date, RectificationOrder.id))
        return list(rows.all())

    def close_order(self, order: RectificationOrder, actor_id: int, status: str, measure: str | None = None) -> None:
        values = {"status": status, "closed_at": utcnow()}
        if measure is not None:
            values["measure"] = measure
        self.audit.changed(actor_id, order, "order", **values)

    async def add_followup(self, order: RectificationOrder, actor_id: int, visit: date, result: str,
                           note: str, photos: int) -> FollowUp:
        row = FollowUp(order_id=order.id, inspector_id=actor_id, visit_date=visit, result=result, note=note,
                       photos=photos)
        self.session.add(row)
        await self.session.flush()
        return row

    # ---- reminders
    async def reminders_due(self, today: date, days_before: int) -> list[tuple[RectificationOrder, str]]:
        """Open orders that need a reminder today and have not had that kind yet."""
        sent = select(OrderReminder.order_id, OrderReminder.kind).subquery()
        result = []
        for kind, cond in (("overdue", RectificationOrder.due_date < today),
                           ("due_soon", and_(RectificationOrder.due_date >= today,
                                             RectificationOrder.due_date <= today + timedelta(days=days_before)))):
            rows = await self.session.scalars(
                select(RectificationOrder)
                .outerjoin(sent, and_(sent.c.order_id == RectificationOrder.id, sent.c.kind == kind))
                .where(RectificationOrder.status == "open", cond, sent.c.order_id.is_(None))
                .order_by(RectificationOrder.id))
            result += [(o, kind) for o in rows.all()]
        return result

    async def claim_reminder(self, order_id: int, kind: str) -> bool:
        """Record that this reminder is being sent; False if another process already did."""
        try:
            async with self.session.begin_nested():
                self.session.add(OrderReminder(order_id=order_id, kind=kind))
        except IntegrityError:
            return False
        return True

    # ---- supervisor review
    async def review(self, inspection_id: int) -> InspectionReview | None:
        return await self.session.scalar(select(InspectionReview).where(
            InspectionReview.inspection_id == inspection_id))

    async def reviews(self, inspection_ids: list[int]) -> dict[int, InspectionReview]:
        """The review of each of these inspections that has one, by inspection id."""
        if not inspection_ids:
            return {}
        rows = await self.session.scalars(select(InspectionReview).where(
            InspectionReview.inspection_id.in_(inspection_ids)))
        return {r.inspection_id: r for r in rows.all()}

    async def awaiting_review(self, bureau_ids: list[int] | None, campaign_id: str) -> list[Inspection]:
        """Submitted inspections with no decision yet, or amended after being returned."""
        query = (select(Inspection).outerjoin(InspectionReview, InspectionReview.inspection_id == Inspection.id)
                 .where(Inspection.campaign_id == campaign_id, Inspection.status == "submitted",
                        (InspectionReview.id.is_(None)) | (InspectionReview.status == "resubmitted")))
        if bureau_ids is not None:
            query = query.where(Inspection.bureau_id.in_(bureau_ids))
        return list((await self.session.scalars(query.order_by(Inspection.submitted_at, Inspection.id))).all())

    async def decide(self, inspection: Inspection, actor_id: int | None, status: str, reason: str = "") -> None:
        row = await self.review(inspection.id)
        if row is None:
            row = InspectionReview(inspection_id=inspection.id, status="pending", reviewer_id=actor_id, reason="")
            self.session.add(row)
            await self.session.flush()
        self.audit.record(actor_id, "inspection", inspection.id, "review", row.status, status, reason)
        row.status, row.reason, row.decided_at = status, reason, utcnow()
        if status != "resubmitted":  # the inspector's resubmission keeps who reviewed it
            row.reviewer_id = actor_id
