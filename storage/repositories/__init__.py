"""Repositories: every query and every write goes through here; each write that changes a record
is also written to the audit log. The rest of the code never builds a query."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from .audit import AuditRepo
from .enterprises import EnterpriseRepo
from .inbox import InboxRepo, OutboxRepo
from .inspections import InspectionRepo
from .org import OrgRepo


class Repos:
    """One unit of work: the repositories over one session, committed together."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.audit = AuditRepo(session)
        self.org = OrgRepo(session, self.audit)
        self.enterprises = EnterpriseRepo(session, self.audit)
        self.inspections = InspectionRepo(session, self.audit)
        self.inbox = InboxRepo(session)
        self.outbox = OutboxRepo(session)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


__all__ = ["Repos", "AuditRepo", "OrgRepo", "EnterpriseRepo", "InspectionRepo", "InboxRepo", "OutboxRepo"]
