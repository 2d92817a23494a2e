"""Typical enforcement cases (附件2) and the files attached to them as 执法文书.
Instantiated from an open unit of work: `CaseRepo(repos.session, repos.audit)`."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CaseFile, TypicalCase, utcnow

from .audit import AuditRepo


class CaseRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    async def create(self, *, campaign_id: str, bureau_id: int, created_by: int,
                     inspection_id: int | None = None, **values) -> TypicalCase:
        case = TypicalCase(campaign_id=campaign_id, bureau_id=bureau_id, created_by=created_by,
                           inspection_id=inspection_id, keywords=[], officers=[])
        for name, value in values.items():
            setattr(case, name, value)
        self.session.add(case)
        await self.session.flush()
        self.audit.record(created_by, "typical_case", case.id, "created", None,
                          f"inspection={inspection_id}" if inspection_id else "blank")
        return case

    async def get(self, case_id: int) -> TypicalCase | None:
        return await self.session.get(TypicalCase, case_id)

    async def drafts_of(self, member_id: int) -> list[TypicalCase]:
        query = (select(TypicalCase)
                 .where(TypicalCase.created_by == member_id, TypicalCase.status == "draft")
                 .order_by(TypicalCase.updated_at.desc(), TypicalCase.id.desc()))
        return list((await self.session.scalars(query)).all())

    def update(self, case: TypicalCase, actor_id: int, **values) -> None:
        """Set fields, each change audited. JSON lists are replaced, never mutated in place."""
        for name, new in values.items():
            old = getattr(case, name)
            if old != new:
                self.audit.record(actor_id, "typical_case", case.id, name,
                                  _plain(old), _plain(new))
                setattr(case, name, list(new) if isinstance(new, list) else new)
        case.updated_at = utcnow()

    def finish(self, case: TypicalCase, actor_id: int) -> None:
        self.update(case, actor_id, status="finished")
        case.finished_at = utcnow()

    async def of_bureaus(self, campaign_id: str, bureau_ids: list[int] | None = None,
                         status: str | None = None) -> list[TypicalCase]:
        query = select(TypicalCase).where(TypicalCase.campaign_id == campaign_id)
        if bureau_ids is not None:
            query = query.where(TypicalCase.bureau_id.in_(bureau_ids))
        if status:
            query = query.where(TypicalCase.status == status)
        return list((await self.session.scalars(query.order_by(TypicalCase.id))).all())

    async def finished_count(self, campaign_id: str, bureau_id: int) -> int:
        return await self.session.scalar(select(func.count()).select_from(TypicalCase).where(
            TypicalCase.campaign_id == campaign_id, TypicalCase.bureau_id == bureau_id,
            TypicalCase.status == "finished")) or 0

    # ---- 执法文书
    async def add_file(self, case: TypicalCase, actor_id: int, *, sha256: str, media_type: str,
                       filename: str, size: int) -> CaseFile:
        row = CaseFile(case_id=case.id, sha256=sha256, media_type=media_type, filename=filename,
                       size=size, uploaded_by=actor_id)
        self.session.add(row)
        await self.session.flush()
        self.audit.record(actor_id, "typical_case", case.id, "file", None, f"{filename} {sha256}")
        case.updated_at = utcnow()
        return row

    async def files(self, case_id: int) -> list[CaseFile]:
        rows = await self.session.scalars(select(CaseFile).where(CaseFile.case_id == case_id).order_by(CaseFile.id))
        return list(rows.all())

    async def remove_files(self, case: TypicalCase, actor_id: int) -> int:
        rows = await self.files(case.id)
        for row in rows:
            self.audit.record(actor_id, "typical_case", case.id, "file", f"{row.filename} {row.sha256}", None)
            await self.session.delete(row)
        await self.session.flush()
        return len(rows)


def _plain(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)
