"""What a reviewer sees on the phone before deciding (审核 N): the findings with their notes, the
certificate register, and the evidence photos grouped by requirement (an album each on Telegram,
images one after the other on WeCom), then the question. Voice messages and videos are listed
with the requirement they belong to (bot.recordings)."""

from __future__ import annotations

from collections import defaultdict

from bot import recordings, texts
from bot.context import Context
from bot.media import evidence_key
from bot.messages import Album, Image
from conversations.inspection_items import VERDICT_LABEL
from storage.models import Certificate, Evidence, Inspection

MAX_PHOTOS = 30  # sent with one review; the rest are in the exported checklist (导出 N)
ALBUM_SIZE = 10  # Telegram's largest album


async def send(ctx: Context, insp: Inspection) -> None:
    """Queue the notes, the register and the photos of `insp` for the reviewer."""
    repo = ctx.repos.inspections
    evidence = await repo.evidence(insp.id)
    certs = await repo.certificates(insp.id)
    ctx.reply(await _findings(ctx, insp))
    ctx.reply(_register(ctx, certs, evidence))
    listed = recordings.review_lines(evidence)
    if listed:
        ctx.reply(texts.REVIEW_RECORDINGS.format(lines="\n".join(listed)))
    for album in _albums(ctx, evidence, certs):
        ctx.reply(album)
    photos = [e for e in evidence if evidence_key(e.sha256, e.media_type)]
    if len(photos) > MAX_PHOTOS:
        ctx.reply(texts.REVIEW_PHOTOS_MORE.format(n=len(photos) - MAX_PHOTOS, id=insp.id))
    elif not photos:
        ctx.reply(texts.REVIEW_NO_PHOTOS)


async def _findings(ctx: Context, insp: Inspection) -> str:
    """Each confirmed finding with its requirement; then the notes of answers that are no finding
    (a contradiction kept on record, a remark)."""
    repo = ctx.repos.inspections
    findings = [f for f in await repo.findings(insp.id) if f.confirmed]
    answers = await repo.answers(insp.id)
    lines = [texts.REVIEW_FINDING_LINE.format(n=n, req=f.requirement_id, text=f.description)
             for n, f in enumerate(findings, 1)]
    said = {f.description for f in findings} | {texts.NOTE_SEE_REGISTER}
    notes = [texts.REVIEW_NOTE_LINE.format(req=rid, verdict=VERDICT_LABEL.get(a.verdict or "", texts.NOT_ANSWERED),
                                           text=a.note)
             for rid, a in sorted(answers.items(), key=lambda kv: _order(ctx, kv[0]))
             if a.note and a.note not in said]
    head = (texts.REVIEW_FINDINGS_HEAD.format(id=insp.id, n=len(findings)) if findings
            else texts.REVIEW_NO_FINDINGS.format(id=insp.id))
    return "\n".join([head, *lines, *notes])


def _order(ctx: Context, req_id: str) -> int:
    ids = [r.id for r in ctx.campaign.requirements]
    return ids.index(req_id) if req_id in ids else len(ids)


def _register(ctx: Context, certs: list[Certificate], evidence: list[Evidence]) -> str:
    if not certs:
        return texts.REVIEW_REGISTER_NONE
    photos = defaultdict(int)
    for e in evidence:
        if e.certificate_id and evidence_key(e.sha256, e.media_type):
            photos[e.certificate_id] += 1
    platform = {True: texts.PLATFORM_YES, False: texts.PLATFORM_NO, None: texts.PLATFORM_UNCHECKED}
    lines = [texts.REVIEW_REGISTER_LINE.format(
        name=c.person_name, position=c.position or "", type=c.cert_type or "", number=c.cert_number or "",
        expiry=c.expiry_date.isoformat() if c.expiry_date else texts.NO_EXPIRY,
        platform=platform[c.platform_confirmed], photos=photos[c.id]) for c in certs]
    return "\n".join([texts.REVIEW_REGISTER_HEAD.format(n=len(certs)), *lines])


def _albums(ctx: Context, evidence: list[Evidence], certs: list[Certificate]) -> list[Album]:
    """The photos by requirement, in checklist order (the register's and the signed form's last),
    at most MAX_PHOTOS in all and ALBUM_SIZE an album."""
    names = {c.id: c.person_name for c in certs}
    groups: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence:
        if evidence_key(e.sha256, e.media_type):
            groups[e.requirement_id].append(e)
    albums: list[Album] = []
    left = MAX_PHOTOS
    for req_id in sorted(groups, key=lambda r: _order(ctx, r)):
        photos = groups[req_id][:left]
        left -= len(photos)
        for start in range(0, len(photos), ALBUM_SIZE):
            part = photos[start:start + ALBUM_SIZE]
            images = tuple(Image(ctx.media.ref(evidence_key(e.sha256, e.media_type)), _caption(e, names))
                           for e in part)
            albums.append(Album(images, _title(ctx, req_id, len(groups[req_id]))))
        if left <= 0:
            break
    return albums


def _title(ctx: Context, req_id: str, n: int) -> str:
    if req_id == "cert":
        return texts.REVIEW_ALBUM_CERT.format(n=n)
    if req_id == "signature":
        return texts.REVIEW_ALBUM_SIGNATURE.format(n=n)
    req = next((r for r in ctx.campaign.requirements if r.id == req_id), None)
    text = req.text if req else ""
    return texts.REVIEW_ALBUM.format(req=req_id, text=text if len(text) <= 24 else text[:23] + "…", n=n)


def _caption(e: Evidence, names: dict[int, str]) -> str:
    who = names.get(e.certificate_id or 0, "")
    return "：".join(p for p in (who, e.caption) if p)
