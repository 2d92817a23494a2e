"""Inspections and everything recorded during one: answers, evidence, certificates, findings.
Each write is immediate (flushed in the message's transaction) and audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer, Certificate, Evidence, Finding, Inspection, InspectionInspector, utcnow,
)

from .audit import AuditRepo


class InspectionRepo:
    def __init__(self, session: AsyncSession, audit: AuditRepo) -> None:
        self.session = session
        self.audit = audit

    # ---- the inspection
    async def create(self, *, campaign_id: str, enterprise_id: int, bureau_id: int, created_by: int,
                     inspection_date: date, inspectors: list[tuple[int | None, str]],
                     latitude: float | None = None, longitude: float | None = None) -> Inspection:
        inspection = Inspection(campaign_id=campaign_id, enterprise_id=enterprise_id, bureau_id=bureau_id,
                                created_by=created_by, inspection_date=inspection_date,
                                latitude=latitude, longitude=longitude)
        self.session.add(inspection)
        await self.session.flush()
        for member_id, name in inspectors:
            self.session.add(InspectionInspector(inspection_id=inspection.id, member_id=member_id, name=name))
        self.audit.record(created_by, "inspection", inspection.id, "created", None,
                          f"enterprise={enterprise_id} date={inspection_date.isoformat()}")
        await self.session.flush()
        await self.session.refresh(inspection, ["enterprise", "inspectors"])
        return inspection

    async def get(self, inspection_id: int) -> Inspection | None:
        return await self.session.get(Inspection, inspection_id)

    async def drafts_of(self, member_id: int) -> list[Inspection]:
        query = (select(Inspection)
                 .where(Inspection.created_by == member_id, Inspection.status == "draft")
                 .order_by(Inspection.updated_at.desc(), Inspection.id.desc()))
        return list((await self.session.scalars(query)).all())

    async def of_member(self, member_id: int, limit: int = 20) -> list[Inspection]:
        query = (select(Inspection).where(Inspection.created_by == member_id, Inspection.status != "cancelled")
                 .order_by(Inspection.id.desc()).limit(limit))
        return list((await self.session.scalars(query)).all())

    async def add_inspector(self, inspection: Inspection, member_id: int | None, name: str,
                            actor_id: int) -> None:
        self.session.add(InspectionInspector(inspection_id=inspection.id, member_id=member_id, name=name))
        self.audit.record(actor_id, "inspection", inspection.id, "inspector", None, name)
        await self.session.flush()
        await self.session.refresh(inspection, ["inspectors"])

    async def remove_inspector(self, inspection: Inspection, inspector: InspectionInspector,
                               actor_id: int) -> None:
        self.audit.record(actor_id, "inspection", inspection.id, "inspector", inspector.name, None)
        await self.session.delete(inspector)
        await self.session.flush()
        await self.session.refresh(inspection, ["inspectors"])

    def update(self, inspection: Inspection, actor_id: int | None, reason: str = "", **values) -> None:
        self.audit.changed(actor_id, inspection, "inspection", reason=reason, **values)
        inspection.updated_at = utcnow()

    def touch(self, inspection: Inspection) -> None:
        inspection.updated_at = utcnow()

    # ---- answers
    async def answers(self, inspection_id: int) -> dict[str, Answer]:
        rows = await self.session.scalars(select(Answer).where(Answer.inspection_id == inspection_id))
        return {a.requirement_id: a for a in rows.all()}

    async def answer(self, inspection_id: int, requirement_id: str) -> Answer | None:
        return await self.session.scalar(select(Answer).where(
            Answer.inspection_id == inspection_id, Answer.requirement_id == requirement_id))

    async def set_answer(self, inspection: Inspection, requirement_id: str, actor_id: int, *,
                         verdict: str | None, note: str | None = None, reason: str = "") -> Answer:
        answer = await self.answer(inspection.id, requirement_id)
        if answer is None:
            answer = Answer(inspection_id=inspection.id, requirement_id=requirement_id, verdict=verdict,
                            note=note or "", answered_by=actor_id, answered_at=utcnow())
            self.session.add(answer)
            await self.session.flush()
            self.audit.record(actor_id, "answer", answer.id, f"verdict:{requirement_id}", None, verdict, reason)
            if note:
                self.audit.record(actor_id, "answer", answer.id, f"note:{requirement_id}", None, note, reason)
        else:
            self.audit.record(actor_id, "answer", answer.id, f"verdict:{requirement_id}", answer.verdict,
                              verdict, reason)
            answer.verdict = verdict
            if note is not None:
                self.audit.record(actor_id, "answer", answer.id, f"note:{requirement_id}", answer.note, note, reason)
                answer.note = note
            answer.answered_by = actor_id
            answer.answered_at = utcnow()
        self.touch(inspection)
        await self.session.flush()
        return answer

    # ---- evidence
    async def add_evidence(self, inspection: Inspection, requirement_id: str, actor_id: int, *, sha256: str,
                           media_type: str, size: int, width: int | None, height: int | None,
                           caption: str = "", certificate_id: int | None = None) -> Evidence:
        evidence = Evidence(inspection_id=inspection.id, requirement_id=requirement_id, sha256=sha256,
                            media_type=media_type, size=size, width=width, height=height, caption=caption,
                            uploaded_by=actor_id, certificate_id=certificate_id)
        self.session.add(evidence)
        await self.session.flush()
        self.audit.record(actor_id, "evidence", evidence.id, f"added:{requirement_id}", None, sha256)
        self.touch(inspection)
        return evidence

    async def evidence(self, inspection_id: int) -> list[Evidence]:
        rows = await self.session.scalars(
            select(Evidence).where(Evidence.inspection_id == inspection_id).order_by(Evidence.id))
        return list(rows.all())

    async def evidence_counts(self, inspection_id: int) -> dict[str, int]:
        """Photos per requirement (voice messages and videos are counted by bot.recordings)."""
        rows = await self.session.execute(
            select(Evidence.requirement_id, func.count()).where(Evidence.inspection_id == inspection_id,
                                                                Evidence.media_type.like("image/%"))
            .group_by(Evidence.requirement_id))
        return {req: n for req, n in rows.all()}

    # ---- certificates
    async def certificates(self, inspection_id: int) -> list[Certificate]:
        rows = await self.session.scalars(
            select(Certificate).where(Certificate.inspection_id == inspection_id).order_by(Certificate.id))
        return list(rows.all())

    async def certificate(self, certificate_id: int) -> Certificate | None:
        return await self.session.get(Certificate, certificate_id)

    async def add_certificate(self, inspection: Inspection, person_name: str, actor_id: int) -> Certificate:
        cert = Certificate(inspection_id=inspection.id, person_name=person_name)
        self.session.add(cert)
        await self.session.flush()
        self.audit.record(actor_id, "certificate", cert.id, "person_name", None, person_name)
        self.touch(inspection)
        return cert

    def update_certificate(self, inspection: Inspection, cert: Certificate, actor_id: int, **values) -> None:
        self.audit.changed(actor_id, cert, "certificate", **values)
        self.touch(inspection)

    async def delete_certificate(self, inspection: Inspection, cert: Certificate, actor_id: int) -> None:
        self.audit.record(actor_id, "certificate", cert.id, "deleted", cert.person_name, None)
        for finding in await self.findings(inspection.id):
            if finding.certificate_id == cert.id:
                await self.session.delete(finding)
        await self.session.delete(cert)
        self.touch(inspection)
        await self.session.flush()

    # ---- findings
    async def findings(self, inspection_id: int) -> list[Finding]:
        rows = await self.session.scalars(
            select(Finding).where(Finding.inspection_id == inspection_id).order_by(Finding.id))
        return list(rows.all())

    async def add_finding(self, inspection: Inspection, actor_id: int, *, requirement_id: str, source: str,
                          description: str, legal_basis: str, certificate_id: int | None = None,
                          confirmed: bool | None = None) -> Finding:
        finding = Finding(inspection_id=inspection.id, requirement_id=requirement_id, source=source,
                          description=description, legal_basis=legal_basis, certificate_id=certificate_id,
                          confirmed=confirmed)
        self.session.add(finding)
        await self.session.flush()
        self.audit.record(actor_id, "finding", finding.id, "created", None, description)
        self.touch(inspection)
        return finding

    async def finding(self, finding_id: int) -> Finding | None:
        return await self.session.get(Finding, finding_id)

    async def answer_finding(self, inspection: Inspection, requirement_id: str) -> Finding | None:
        return await self.session.scalar(select(Finding).where(
            Finding.inspection_id == inspection.id, Finding.requirement_id == requirement_id,
            Finding.source == "answer"))

    def update_finding(self, inspection: Inspection, finding: Finding, actor_id: int, reason: str = "",
                       **values) -> None:
        self.audit.changed(actor_id, finding, "finding", reason=reason, **values)
        self.touch(inspection)

    async def delete_finding(self, inspection: Inspection, finding: Finding, actor_id: int, reason: str = "") -> None:
        self.audit.record(actor_id, "finding", finding.id, "deleted", finding.description, None, reason)
        await self.session.delete(finding)
        self.touch(inspection)
        await self.session.flush()
