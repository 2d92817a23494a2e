"""Read-only queries behind the documents and spreadsheets: every inspection of some bureaus with
what was recorded in it, the orders issued from their findings, their follow-up visits and the
supervisors' review decisions.
Instantiated from an open unit of work: `ExportRepo(repos.session)`."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer, Certificate, Evidence, Finding, Inspection, Member, RectificationOrder,
)
from storage.models_enforcement import FollowUp, InspectionReview


class ExportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def inspections(self, campaign_id: str, bureau_ids: list[int] | None = None,
                          statuses: tuple[str, ...] = ("submitted",)) -> list[Inspection]:
        query = select(Inspection).where(Inspection.campaign_id == campaign_id, Inspection.status.in_(statuses))
        if bureau_ids is not None:
            query = query.where(Inspection.bureau_id.in_(bureau_ids))
        query = query.order_by(Inspection.inspection_date, Inspection.id)
        return list((await self.session.scalars(query)).all())

    async def _by_inspection(self, model, ids: list[int]) -> dict[int, list]:
        out: dict[int, list] = defaultdict(list)
        if not ids:
            return out
        rows = await self.session.scalars(select(model).where(model.inspection_id.in_(ids)).order_by(model.id))
        for row in rows.all():
            out[row.inspection_id].append(row)
        return out

    async def answers(self, ids: list[int]) -> dict[int, list[Answer]]:
        return await self._by_inspection(Answer, ids)

    async def findings(self, ids: list[int]) -> dict[int, list[Finding]]:
        return await self._by_inspection(Finding, ids)

    async def certificates(self, ids: list[int]) -> dict[int, list[Certificate]]:
        return await self._by_inspection(Certificate, ids)

    async def evidence(self, ids: list[int]) -> dict[int, list[Evidence]]:
        return await self._by_inspection(Evidence, ids)

    async def orders(self, ids: list[int]) -> dict[int, list[RectificationOrder]]:
        return await self._by_inspection(RectificationOrder, ids)

    async def followups(self, order_ids: list[int]) -> dict[int, list[FollowUp]]:
        """Follow-up visits (复查) of these orders, oldest first."""
        out: dict[int, list[FollowUp]] = defaultdict(list)
        if not order_ids:
            return out
        rows = await self.session.scalars(select(FollowUp).where(FollowUp.order_id.in_(order_ids))
                                          .order_by(FollowUp.visit_date, FollowUp.id))
        for row in rows.all():
            out[row.order_id].append(row)
        return out

    async def reviews(self, ids: list[int]) -> dict[int, str]:
        """Inspection id -> the review decision (approved | returned | resubmitted); absent: none yet."""
        if not ids:
            return {}
        rows = await self.session.execute(select(InspectionReview.inspection_id, InspectionReview.status).where(
            InspectionReview.inspection_id.in_(ids)))
        return {iid: status for iid, status in rows.all()}

    async def review_rows(self, ids: list[int]) -> dict[int, InspectionReview]:
        """Inspection id -> its review row (status and when it was decided)."""
        if not ids:
            return {}
        rows = await self.session.scalars(select(InspectionReview).where(InspectionReview.inspection_id.in_(ids)))
        return {r.inspection_id: r for r in rows.all()}

    async def approved(self, ids: list[int]) -> set[int]:
        """Of these inspections, those a supervisor approved (the enforcement area's reviews)."""
        return {iid for iid, status in (await self.reviews(ids)).items() if status == "approved"}

    async def member_names(self, member_ids: set[int]) -> dict[int, str]:
        if not member_ids:
            return {}
        rows = await self.session.execute(select(Member.id, Member.name).where(Member.id.in_(member_ids)))
        return {mid: name for mid, name in rows.all()}

    async def members(self, member_ids: set[int]) -> dict[int, Member]:
        if not member_ids:
            return {}
        rows = await self.session.scalars(select(Member).where(Member.id.in_(member_ids)))
        return {m.id: m for m in rows.all()}
