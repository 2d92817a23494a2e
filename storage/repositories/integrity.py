"""Integrity flags and the queries behind them: earlier photos to compare a new one with, certificate
numbers already recorded, and the flags as supervisors read them. Instantiate with the unit of
work's session: `IntegrityRepo(repos.session)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Certificate, Enterprise, Evidence, Inspection, IntegrityFlag

from .audit import AuditRepo

KINDS = ("photo_reused", "capture_time", "photo_location", "too_fast", "cert_number_reused", "cert_expired",
         "cert_number_photo")


@dataclass(frozen=True)
class FlagView:
    """A flag with what a reader needs to place it: which enterprise and visit, and the other one."""

    id: int
    kind: str
    reason: str
    resolved: bool
    created_at: datetime
    bureau_id: int
    inspection_id: int
    enterprise_name: str
    inspection_date: date
    other_inspection_id: int | None = None
    other_enterprise_name: str | None = None
    other_inspection_date: date | None = None
    evidence_id: int | None = None
    other_evidence_id: int | None = None
    certificate_id: int | None = None
    other_certificate_id: int | None = None


@dataclass(frozen=True)
class EarlierPhoto:
    """A photo of another (not cancelled) inspection, to compare a new photo with."""

    evidence_id: int
    inspection_id: int
    requirement_id: str
    sha256: str
    phash: str | None
    phash_crops: str | None
    enterprise_id: int
    enterprise_name: str
    inspection_date: date


@dataclass(frozen=True)
class CertificateUse:
    certificate_id: int
    person_name: str
    inspection_id: int
    enterprise_name: str
    inspection_date: date


class IntegrityRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.audit = AuditRepo(session)

    # ---- facts
    async def set_photo_facts(self, evidence: Evidence, *, phash: str | None, phash_crops: str | None,
                              taken_at: datetime | None, latitude: float | None,
                              longitude: float | None, fingerprint: bytes | None = None) -> None:
        evidence.phash, evidence.phash_crops, evidence.fingerprint = phash, phash_crops, fingerprint
        evidence.exif_taken_at, evidence.exif_lat, evidence.exif_lon = taken_at, latitude, longitude
        await self.session.flush()

    async def earlier_photos(self, inspection_id: int, sha256: str) -> list[EarlierPhoto]:
        """Photos of every other inspection that is not cancelled: those with a perceptual hash, and
        any with the same content hash."""
        query = (select(Evidence.id, Evidence.inspection_id, Evidence.requirement_id, Evidence.sha256,
                        Evidence.phash, Evidence.phash_crops, Enterprise.id, Enterprise.name,
                        Inspection.inspection_date)
                 .join(Inspection, Inspection.id == Evidence.inspection_id)
                 .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
                 .where(Evidence.inspection_id != inspection_id, Inspection.status != "cancelled",
                        or_(Evidence.phash.is_not(None), Evidence.sha256 == sha256))
                 .order_by(Evidence.id))
        return [EarlierPhoto(*row) for row in (await self.session.execute(query)).all()]

    async def fingerprints(self, evidence_ids: list[int]) -> dict[int, bytes]:
        """The fine-check fingerprints of these photos (those that have one)."""
        found: dict[int, bytes] = {}
        for start in range(0, len(evidence_ids), 500):
            rows = await self.session.execute(
                select(Evidence.id, Evidence.fingerprint).where(
                    Evidence.id.in_(evidence_ids[start:start + 500]), Evidence.fingerprint.is_not(None)))
            found.update({row[0]: row[1] for row in rows.all()})
        return found

    async def certificate_uses(self, number: str, exclude_certificate_id: int) -> list[CertificateUse]:
        """Other certificates recorded with this number, in inspections that are not cancelled."""
        query = (select(Certificate.id, Certificate.person_name, Inspection.id, Enterprise.name,
                        Inspection.inspection_date)
                 .join(Inspection, Inspection.id == Certificate.inspection_id)
                 .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
                 .where(Certificate.cert_number == number, Certificate.id != exclude_certificate_id,
                        Inspection.status != "cancelled")
                 .order_by(Certificate.id))
        return [CertificateUse(*row) for row in (await self.session.execute(query)).all()]

    # ---- flags
    async def add_flag(self, kind: str, inspection: Inspection, reason: str, actor_id: int | None, *,
                       other_inspection_id: int | None = None, evidence_id: int | None = None,
                       other_evidence_id: int | None = None, certificate_id: int | None = None,
                       other_certificate_id: int | None = None, reopen: bool = False) -> IntegrityFlag | None:
        """Record a flag once: the same kind over the same records is not recorded twice. A resolved
        one is opened again when `reopen`. Returns the new (or reopened) flag, else None."""
        assert kind in KINDS, kind
        links = dict(other_inspection_id=other_inspection_id, evidence_id=evidence_id,
                     other_evidence_id=other_evidence_id, certificate_id=certificate_id,
                     other_certificate_id=other_certificate_id)
        query = select(IntegrityFlag).where(IntegrityFlag.kind == kind,
                                            IntegrityFlag.inspection_id == inspection.id,
                                            *[getattr(IntegrityFlag, k).is_(None) if v is None
                                              else getattr(IntegrityFlag, k) == v for k, v in links.items()])
        existing = await self.session.scalar(query.limit(1))
        if existing is not None:
            if not (reopen and existing.resolved):
                return None
            self.audit.changed(actor_id, existing, "integrity_flag", resolved=False, reason=reason)
            existing.reason = reason
            await self.session.flush()
            return existing
        flag = IntegrityFlag(kind=kind, inspection_id=inspection.id, bureau_id=inspection.bureau_id,
                             reason=reason, resolved=False, **links)
        self.session.add(flag)
        await self.session.flush()
        self.audit.record(actor_id, "integrity_flag", flag.id, "created", None, f"{kind}: {reason}")
        return flag

    async def resolve_certificate_flags(self, kind: str, certificate_id: int, actor_id: int | None,
                                        keep_other_certificates: frozenset[int] = frozenset()) -> int:
        """Close the open flags of this kind on a certificate that no longer apply (its number or
        expiry was corrected). Returns how many were closed."""
        rows = await self.session.scalars(select(IntegrityFlag).where(
            IntegrityFlag.kind == kind, IntegrityFlag.certificate_id == certificate_id,
            IntegrityFlag.resolved.is_(False)))
        closed = 0
        for flag in rows.all():
            if flag.other_certificate_id in keep_other_certificates:
                continue
            self.audit.changed(actor_id, flag, "integrity_flag", resolved=True, reason="corrected")
            closed += 1
        await self.session.flush()
        return closed

    async def resolve(self, flag_id: int, actor_id: int | None, reason: str = "") -> bool:
        """A supervisor has looked at the flag and closed it."""
        flag = await self.session.get(IntegrityFlag, flag_id)
        if flag is None or flag.resolved:
            return False
        self.audit.changed(actor_id, flag, "integrity_flag", resolved=True, reason=reason)
        await self.session.flush()
        return True

    # ---- reading
    def _views(self):
        mine, other = aliased(Inspection), aliased(Inspection)
        mine_ent, other_ent = aliased(Enterprise), aliased(Enterprise)
        query = (select(IntegrityFlag, mine.inspection_date, mine_ent.name, other.inspection_date, other_ent.name)
                 .join(mine, mine.id == IntegrityFlag.inspection_id)
                 .join(mine_ent, mine_ent.id == mine.enterprise_id)
                 .outerjoin(other, other.id == IntegrityFlag.other_inspection_id)
                 .outerjoin(other_ent, other_ent.id == other.enterprise_id)
                 .order_by(IntegrityFlag.id))
        return query, mine

    @staticmethod
    def _view(flag: IntegrityFlag, day: date, name: str, other_day: date | None,
              other_name: str | None) -> FlagView:
        return FlagView(
            id=flag.id, kind=flag.kind, reason=flag.reason, resolved=flag.resolved, created_at=flag.created_at,
            bureau_id=flag.bureau_id, inspection_id=flag.inspection_id, enterprise_name=name,
            inspection_date=day, other_inspection_id=flag.other_inspection_id,
            other_enterprise_name=other_name, other_inspection_date=other_day, evidence_id=flag.evidence_id,
            other_evidence_id=flag.other_evidence_id, certificate_id=flag.certificate_id,
            other_certificate_id=flag.other_certificate_id)

    async def flags_for_bureau(self, bureau_ids: list[int] | None, campaign_id: str, *,
                               include_resolved: bool = False) -> list[FlagView]:
        """Open flags of the campaign's inspections (not cancelled) in these bureaus; None = all."""
        query, mine = self._views()
        query = query.where(mine.campaign_id == campaign_id, mine.status != "cancelled")
        if bureau_ids is not None:
            query = query.where(IntegrityFlag.bureau_id.in_(bureau_ids))
        if not include_resolved:
            query = query.where(IntegrityFlag.resolved.is_(False))
        return [self._view(*row) for row in (await self.session.execute(query)).all()]

    async def flags_for_inspection(self, inspection_id: int, *, include_resolved: bool = False) -> list[FlagView]:
        query, _mine = self._views()
        query = query.where(IntegrityFlag.inspection_id == inspection_id)
        if not include_resolved:
            query = query.where(IntegrityFlag.resolved.is_(False))
        return [self._view(*row) for row in (await self.session.execute(query)).all()]
