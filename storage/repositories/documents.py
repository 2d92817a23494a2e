"""What the documents keep besides the records: the report texts a clerk replaced, and the captions
of a typical case's 执法文书. Every change is audited. Instantiated from an open unit of work:
`DocumentRepo(repos.session, repos.audit)`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import utcnow
from storage.models_documents import CaseFileCaption, ReportText

from .audit import AuditRepo


class DocumentRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    # ---- the written report's texts
    async def report_texts(self, campaign_id: str, bureau_id: int) -> dict[str, str]:
        rows = await self.session.scalars(select(ReportText).where(
            ReportText.campaign_id == campaign_id, ReportText.bureau_id == bureau_id))
        return {r.key: r.text for r in rows.all()}

    async def _row(self, campaign_id: str, bureau_id: int, key: str) -> ReportText | None:
        return await self.session.scalar(select(ReportText).where(
            ReportText.campaign_id == campaign_id, ReportText.bureau_id == bureau_id, ReportText.key == key))

    async def set_report_text(self, campaign_id: str, bureau_id: int, key: str, text: str, actor_id: int) -> None:
        row = await self._row(campaign_id, bureau_id, key)
        old = row.text if row else None
        if row is None:
            row = ReportText(campaign_id=campaign_id, bureau_id=bureau_id, key=key, text=text)
            self.session.add(row)
        row.text, row.updated_by, row.updated_at = text, actor_id, utcnow()
        await self.session.flush()
        self.audit.record(actor_id, "report_text", row.id, key, old, text)

    async def reset_report_text(self, campaign_id: str, bureau_id: int, key: str, actor_id: int) -> bool:
        """Back to the prefilled text; False when it was not replaced."""
        row = await self._row(campaign_id, bureau_id, key)
        if row is None:
            return False
        self.audit.record(actor_id, "report_text", row.id, key, row.text, None)
        await self.session.delete(row)
        await self.session.flush()
        return True

    # ---- captions of 执法文书
    async def captions(self, file_ids: list[int]) -> dict[int, str]:
        if not file_ids:
            return {}
        rows = await self.session.scalars(select(CaseFileCaption).where(CaseFileCaption.case_file_id.in_(file_ids)))
        return {r.case_file_id: r.caption for r in rows.all()}

    async def set_caption(self, case_id: int, file_id: int, caption: str, actor_id: int) -> None:
        row = await self.session.get(CaseFileCaption, file_id)
        old = row.caption if row else None
        if row is None:
            row = CaseFileCaption(case_file_id=file_id, caption=caption)
            self.session.add(row)
        row.caption = caption
        await self.session.flush()
        self.audit.record(actor_id, "typical_case", case_id, "file_caption", old, f"#{file_id} {caption}")
