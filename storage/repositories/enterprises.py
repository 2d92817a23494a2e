from __future__ import annotations

import heapq
from difflib import SequenceMatcher

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Enterprise

from .audit import AuditRepo


SHORTLIST = 50  # candidates scored in full by a fuzzy search


class EnterpriseRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    async def get(self, enterprise_id: int) -> Enterprise | None:
        return await self.session.get(Enterprise, enterprise_id)

    async def by_name(self, bureau_id: int, name: str) -> Enterprise | None:
        return await self.session.scalar(
            select(Enterprise).where(Enterprise.bureau_id == bureau_id, Enterprise.name == name.strip()))

    async def search(self, bureau_id: int | None, query: str, limit: int = 5) -> list[Enterprise]:
        """The closest names (in the bureau, or everywhere for None): substrings first, then similar."""
        query = query.strip()
        scope = [Enterprise.bureau_id == bureau_id] if bureau_id is not None else []
        like = await self.session.scalars(
            select(Enterprise)
            .where(*scope, Enterprise.name.contains(query, autoescape=True))
            .order_by(func.length(Enterprise.name), Enterprise.id).limit(limit))
        found = list(like.all())
        if len(found) >= limit:
            return found
        others = await self.session.execute(select(Enterprise.id, Enterprise.name).where(*scope).limit(5000))

        chars = set(query)

        def overlap(name: str) -> float:
            return len(chars & set(name)) / max(len(chars), 1)

        seen = {e.id for e in found}
        # The costly similarity only for the names that share the most characters with the query.
        shortlist = heapq.nlargest(SHORTLIST, ((overlap(n), i, n) for i, n in others.all() if i not in seen))
        ranked = sorted(((common + SequenceMatcher(None, query, n).ratio(), i) for common, i, n in shortlist),
                        reverse=True)
        for s, enterprise_id in ranked[: limit - len(found)]:
            if s >= 0.6:
                found.append(await self.session.get(Enterprise, enterprise_id))
        return found

    async def create(self, name: str, industry: str, bureau_id: int, actor_id: int | None,
                     credit_code: str = "", latitude: float | None = None,
                     longitude: float | None = None) -> Enterprise:
        enterprise = Enterprise(name=name.strip(), industry=industry, bureau_id=bureau_id,
                                credit_code=credit_code, latitude=latitude, longitude=longitude)
        self.session.add(enterprise)
        await self.session.flush()
        self.audit.record(actor_id, "enterprise", enterprise.id, "created", None, f"{name}/{industry}")
        return enterprise

    def update(self, enterprise: Enterprise, actor_id: int | None, **values) -> None:
        self.audit.changed(actor_id, enterprise, "enterprise", **values)
