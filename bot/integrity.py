"""Evidence integrity: catch an inspection done for show. Each check records a flag (reason in plain
words, links to the records) for supervisors; a reused photo or certificate number is also told to
the inspector at once. Thresholds: bot/integrity_image.py (photos) and the campaign's `integrity`."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

import logging

from bot import image_work, ocr, texts
from bot.integrity_image import ImageFacts, PhotoHashes, haversine_km, nearest_bits, query_hashes
from bot.integrity_match import check_candidates
from bot.integrity_thresholds import COARSE_BITS, MAX_FINE_CANDIDATES
from storage.repositories.integrity import EarlierPhoto, FlagView, IntegrityRepo

if TYPE_CHECKING:
    from bot.context import Context
    from storage.models import Certificate, Evidence, Inspection

# Photos every inspection takes of the same printed form: only an identical file counts as reuse.
SAME_TEMPLATE = {"signature"}
BLOCK_LIMIT = 10
log = logging.getLogger(__name__)


def repo(ctx: "Context") -> IntegrityRepo:
    return IntegrityRepo(ctx.repos.session)


def _req_label(requirement_id: str) -> str:
    if requirement_id == "cert":
        return texts.INTEGRITY_REQ_CERT
    if requirement_id == "signature":
        return texts.INTEGRITY_REQ_SIGNATURE
    return texts.INTEGRITY_REQ.format(id=requirement_id)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)  # SQLite hands back naive UTC


# ---- photos, when stored
async def reused(r: IntegrityRepo, evidence: "Evidence", facts: ImageFacts,
                 earlier: list[EarlierPhoto]) -> list[tuple[EarlierPhoto, bool]]:
    """The earlier photos this one repeats, first per other inspection: (photo, identical file).
    Identical files by content hash; copies (re-encoded, cropped, turned, mirrored, screenshots) by
    the coarse hashes, then the fine check in an image worker (bot/integrity_match.py), which tells
    them from other pages of the same printed form."""
    found: dict[int, tuple[EarlierPhoto, bool]] = {}
    for other in earlier:
        if other.sha256 == evidence.sha256:
            found.setdefault(other.inspection_id, (other, True))
    mine = PhotoHashes.parse(evidence.phash, evidence.phash_crops)
    if mine is None or not facts.fingerprint or evidence.requirement_id in SAME_TEMPLATE:
        return list(found.values())
    pool = [o for o in earlier if o.sha256 != evidence.sha256 and o.inspection_id not in found
            and o.requirement_id not in SAME_TEMPLATE and o.phash]
    hashes = [PhotoHashes.parse(o.phash, o.phash_crops) for o in pool]
    bits = nearest_bits(query_hashes(evidence.phash, evidence.phash_crops, facts.oriented), hashes)
    near = sorted((int(b), i) for i, b in enumerate(bits) if b <= COARSE_BITS)
    if len(near) > MAX_FINE_CANDIDATES:
        log.warning("reuse check: %d candidates, the closest %d checked", len(near), MAX_FINE_CANDIDATES)
    shortlist = [pool[i] for _b, i in near[:MAX_FINE_CANDIDATES]]
    prints = await r.fingerprints([o.evidence_id for o in shortlist])
    jobs = [(o.evidence_id, prints[o.evidence_id]) for o in shortlist if o.evidence_id in prints]
    if not jobs:
        return list(found.values())
    verdicts = await image_work.workers().run(check_candidates, facts.fingerprint, facts.mirror_fingerprint, jobs)
    copies = {key for key, verdict in verdicts if verdict.same}
    for other in shortlist:
        if other.evidence_id in copies and other.inspection_id not in found:
            found[other.inspection_id] = (other, False)
    return list(found.values())


async def on_photo_stored(ctx: "Context", insp: "Inspection", evidence: "Evidence", facts: ImageFacts,
                          actor_id: int) -> None:
    """Keep the photo's facts; if it was already used in another inspection, flag it and say so."""
    r = repo(ctx)
    await r.set_photo_facts(evidence, phash=facts.phash, phash_crops=facts.phash_crops,
                            taken_at=facts.taken_at, latitude=facts.latitude, longitude=facts.longitude,
                            fingerprint=facts.fingerprint)
    matches = await reused(r, evidence, facts, await r.earlier_photos(insp.id, evidence.sha256))
    if not matches:
        return
    for other, same in matches:
        how = texts.INTEGRITY_SAME if same else texts.INTEGRITY_NEAR
        reason = texts.INTEGRITY_REASON_PHOTO.format(
            req=_req_label(evidence.requirement_id), date=other.inspection_date.isoformat(),
            name=other.enterprise_name, id=other.inspection_id, how=how)
        await r.add_flag("photo_reused", insp, reason, actor_id, other_inspection_id=other.inspection_id,
                         evidence_id=evidence.id, other_evidence_id=other.evidence_id)
    first, same = min(matches, key=lambda m: (not m[1], m[0].evidence_id))
    more = texts.INTEGRITY_PHOTO_MORE.format(n=len(matches) - 1) if len(matches) > 1 else ""
    ctx.reply(texts.INTEGRITY_PHOTO_REUSED.format(
        date=first.inspection_date.isoformat(), name=first.enterprise_name,
        how=texts.INTEGRITY_SAME if same else texts.INTEGRITY_NEAR, more=more))


# ---- certificates, as recorded
def _person(name: str) -> str:
    return "".join(name.split())


async def check_certificate_number(ctx: "Context", insp: "Inspection", cert: "Certificate", number: str,
                                   actor_id: int) -> None:
    """The same number recorded for somebody else: flag it and tell the inspector."""
    r = repo(ctx)
    clashes = [u for u in await r.certificate_uses(number, cert.id)
               if _person(u.person_name) != _person(cert.person_name)]
    await r.resolve_certificate_flags("cert_number_reused", cert.id, actor_id,
                                      frozenset(u.certificate_id for u in clashes))
    for use in clashes:
        reason = texts.INTEGRITY_REASON_CERT_NUMBER.format(
            this=cert.person_name, number=number, person=use.person_name,
            date=use.inspection_date.isoformat(), name=use.enterprise_name)
        await r.add_flag("cert_number_reused", insp, reason, actor_id, other_inspection_id=use.inspection_id,
                         certificate_id=cert.id, other_certificate_id=use.certificate_id, reopen=True)
    if clashes:
        use = clashes[0]
        ctx.reply(texts.INTEGRITY_CERT_NUMBER_REUSED.format(
            number=number, person=use.person_name, date=use.inspection_date.isoformat(),
            name=use.enterprise_name, this=cert.person_name))


async def check_certificate_photo(ctx: "Context", insp: "Inspection", cert: "Certificate", number: str,
                                  read_number: str, evidence_id: int | None, actor_id: int) -> bool:
    """The number recorded against the number OCR read from the person's certificate photo
    (bot/ocr.py): a difference is flagged and told; agreement closes an earlier such flag. True
    when they agree."""
    r = repo(ctx)
    if ocr.same_number(number, read_number):
        await r.resolve_certificate_flags("cert_number_photo", cert.id, actor_id)
        return True
    reason = texts.INTEGRITY_REASON_CERT_PHOTO.format(person=cert.person_name, typed=number, read=read_number)
    await r.add_flag("cert_number_photo", insp, reason, actor_id, evidence_id=evidence_id,
                     certificate_id=cert.id, reopen=True)
    ctx.reply(texts.OCR_NUMBER_MISMATCH.format(typed=number, read=read_number))
    return False


async def check_certificate_expiry(ctx: "Context", insp: "Inspection", cert: "Certificate",
                                   expiry: date | None, actor_id: int) -> None:
    """A certificate that had expired before the visit is flagged (the finding is made elsewhere)."""
    r = repo(ctx)
    if expiry is None or expiry >= insp.inspection_date:
        await r.resolve_certificate_flags("cert_expired", cert.id, actor_id)
        return
    reason = texts.INTEGRITY_REASON_CERT_EXPIRED.format(
        person=cert.person_name, type=cert.cert_type or "", expiry=expiry.isoformat(),
        visit=insp.inspection_date.isoformat())
    await r.add_flag("cert_expired", insp, reason, actor_id, certificate_id=cert.id, reopen=True)


# ---- the whole inspection, at submit
async def check_submitted(ctx: "Context", insp: "Inspection", actor_id: int) -> None:
    """Pace of the answers, and when and where the photos were taken."""
    rules = ctx.campaign.integrity
    r = repo(ctx)
    count = len(ctx.campaign.requirements)
    answers = await ctx.repos.inspections.answers(insp.id)
    if count and all(req.id in answers for req in ctx.campaign.requirements):
        last = max(_aware(a.answered_at) for a in answers.values())
        elapsed = max(0.0, (last - _aware(insp.started_at)).total_seconds())
        if elapsed < rules.min_seconds_per_requirement * count:
            minutes, seconds = divmod(int(elapsed), 60)
            reason = texts.INTEGRITY_REASON_FAST.format(
                n=count, minutes=minutes, seconds=seconds, min=f"{rules.min_seconds_per_requirement:g}")
            await r.add_flag("too_fast", insp, reason, actor_id)
    known = {req.id for req in ctx.campaign.requirements} | {"cert", "signature"}
    for ev in await ctx.repos.inspections.evidence(insp.id):
        if ev.requirement_id not in known:  # e.g. photos of a later follow-up visit
            continue
        await _check_capture_time(r, insp, ev, rules.max_capture_days, actor_id)
        await _check_location(r, insp, ev, rules.max_distance_km, actor_id)


async def _check_capture_time(r: IntegrityRepo, insp: "Inspection", ev: "Evidence", max_days: int,
                              actor_id: int) -> None:
    if ev.exif_taken_at is None:
        return
    days = abs((ev.exif_taken_at.date() - insp.inspection_date).days)
    if days <= max_days:
        return
    reason = texts.INTEGRITY_REASON_CAPTURE.format(
        req=_req_label(ev.requirement_id), taken=ev.exif_taken_at.strftime("%Y-%m-%d %H:%M"),
        visit=insp.inspection_date.isoformat(), days=days)
    await r.add_flag("capture_time", insp, reason, actor_id, evidence_id=ev.id)


async def _check_location(r: IntegrityRepo, insp: "Inspection", ev: "Evidence", max_km: float,
                          actor_id: int) -> None:
    if ev.exif_lat is None or ev.exif_lon is None:
        return
    far = []
    ent = insp.enterprise
    if ent.latitude is not None and ent.longitude is not None:
        km = haversine_km(ev.exif_lat, ev.exif_lon, ent.latitude, ent.longitude)
        if km > max_km:
            far.append(texts.INTEGRITY_FAR_ENTERPRISE.format(km=km))
    if insp.latitude is not None and insp.longitude is not None:
        km = haversine_km(ev.exif_lat, ev.exif_lon, insp.latitude, insp.longitude)
        if km > max_km:
            far.append(texts.INTEGRITY_FAR_SHARED.format(km=km))
    if far:
        reason = texts.INTEGRITY_REASON_LOCATION.format(req=_req_label(ev.requirement_id), where="、".join(far))
        await r.add_flag("photo_location", insp, reason, actor_id, evidence_id=ev.id)


# ---- for progress answers, digests and reports
def format_flags(flags: list[FlagView], limit: int = BLOCK_LIMIT) -> str:
    """A short "需关注" block, one line a flag (at most `limit`); "" when there is nothing."""
    if not flags:
        return ""
    lines = [texts.INTEGRITY_BLOCK_HEAD.format(n=len(flags))]
    for flag in flags[:limit]:
        lines.append(texts.INTEGRITY_BLOCK_LINE.format(
            id=flag.id, name=flag.enterprise_name, date=flag.inspection_date.isoformat(), reason=flag.reason))
    if len(flags) > limit:
        lines.append(texts.INTEGRITY_BLOCK_MORE.format(n=len(flags) - limit))
    return "\n".join(lines)
