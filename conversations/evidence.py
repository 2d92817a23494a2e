"""Evidence at any step of the checklist: a photo, a voice message or a short video is kept with the
requirement the inspector is at (the register's steps: with the register and the person; the
signature steps: with the signed form), and the question on screen stays as it is. A voice message
at a note step is the spoken note: kept, and a one-line written summary is asked for (the note of
record, the finding's description, is text: nothing is transcribed).

Steps that handle photos themselves (a verdict, a note, the certificate's and the signed form's
photo steps) keep doing so; the others get them here."""

from __future__ import annotations

import logging

from bot import recordings, texts
from bot.context import Context
from bot.media import StoreUnavailable
from bot.messages import Kind
from conversations.flow import BadInput, cursor
from conversations.nav import STATES, inspection, member_id, store_photo
from conversations.parsing import normalize

log = logging.getLogger(__name__)

REQUIREMENT_STEPS = {"verdict", "note", "verdict_conflict"}
REGISTER_STEPS = {"cert_menu", "cert_name", "cert_position", "cert_type", "cert_number", "cert_expiry",
                  "cert_platform", "cert_photo", "cert_confirm"}
SIGNATURE_STEPS = {"sign_person", "sign_photo", "confirm_submit"}
RECORDED = {Kind.VOICE: recordings.VOICE, Kind.VIDEO: recordings.VIDEO}


def target(ctx: Context, state_name: str) -> tuple[str, int | None] | None:
    """(requirement id, certificate id) evidence sent at this step belongs to; None before the
    checklist (no inspection to keep it with yet) and at the summary (which item is meant?)."""
    cur = cursor(ctx)
    if state_name in REQUIREMENT_STEPS and cur.get("req"):
        return cur["req"], None
    if state_name in REGISTER_STEPS:
        return "cert", cur.get("cert") if state_name != "cert_menu" else None
    if state_name in SIGNATURE_STEPS:
        return "signature", None
    return None


async def take(ctx: Context, state_name: str) -> bool:
    """Keep the evidence this message carries, if it is evidence the step does not take itself;
    True when it was handled here (stored, or refused with a reply)."""
    kind = ctx.msg.kind
    if kind == Kind.PHOTO and STATES[state_name].photos:
        return False  # the step's own handler stores it (and may say more, e.g. the signed form)
    if kind not in RECORDED and kind != Kind.PHOTO:
        return False
    where = target(ctx, state_name)
    if where is None:
        raise BadInput(texts.EVIDENCE_AT_REVIEW if state_name == "review" else texts.RECORDING_NOT_HERE)
    req_id, cert_id = where
    if kind == Kind.PHOTO:
        count = await store_photo(ctx, req_id, certificate_id=cert_id)
        cert = await ctx.repos.inspections.certificate(cert_id) if cert_id else None
        ctx.reply(texts.CERT_PHOTO_SAVED.format(name=cert.person_name, count=count) if cert else
                  texts.PHOTO_SAVED.format(id=_label(req_id), count=count))
        return True
    spoken = kind == Kind.VOICE and state_name == "note"
    counts = await store_recording(ctx, RECORDED[kind], req_id, cert_id,
                                   caption=texts.SPOKEN_NOTE_CAPTION if spoken else normalize(ctx.msg.text))
    if spoken:
        ctx.reply(texts.SPOKEN_NOTE_SAVED.format(id=req_id))  # the note step stays: its line is still due
    else:
        ctx.reply(texts.RECORDING_SAVED.format(icon=texts.RECORDING_ICONS[RECORDED[kind]],
                                               what=texts.RECORDING_WHAT[RECORDED[kind]], id=_label(req_id),
                                               counts=recordings.describe(counts)))
    return True


def _label(req_id: str) -> str:
    return texts.REQUIREMENT_LABELS.get(req_id, req_id)


async def store_recording(ctx: Context, kind: str, requirement_id: str, certificate_id: int | None = None,
                          caption: str = ""):
    """Fetch, check and store the voice message or video of this message as evidence; the counts of
    recordings now kept with the requirement (recordings.counts)."""
    what = texts.RECORDING_WHAT[kind]
    media = ctx.msg.media
    if media is None:
        raise BadInput(texts.PHOTO_MISSING)
    limit = recordings.limit(kind)
    too_big = BadInput(texts.RECORDING_TOO_BIG.format(what=what, mb=limit // (1024 * 1024)))
    if media.size is not None and media.size > limit:
        raise too_big
    try:
        data = await ctx.fetch_media(media)
    except Exception:  # noqa: BLE001 - the platform or the network failed: ask again
        log.warning("%s download failed", kind, exc_info=True)
        raise BadInput(texts.RECORDING_DOWNLOAD_FAILED.format(what=what)) from None
    try:
        media_type, sha256 = recordings.check(data, kind, limit)
    except recordings.RecordingRejected as exc:
        log.info("%s refused: %s", kind, exc.reason)
        raise (too_big if exc.reason == "too_big" else BadInput(texts.RECORDING_UNKNOWN.format(what=what))) from None
    key = recordings.recording_key(sha256, media_type)
    try:
        await ctx.media.put(key, data)  # content-addressed: the same file twice is stored once
    except StoreUnavailable as exc:  # nothing stored, nothing recorded
        log.warning("evidence store unavailable; %s refused: %s", kind, exc)
        raise BadInput(texts.RECORDING_STORE_DOWN.format(what=what)) from None
    insp = await inspection(ctx)
    await ctx.repos.inspections.add_evidence(
        insp, requirement_id, member_id(ctx), sha256=sha256, media_type=media_type, size=len(data),
        width=None, height=None, caption=caption, certificate_id=certificate_id)
    return recordings.counts(await ctx.repos.inspections.evidence(insp.id)).get(requirement_id)
