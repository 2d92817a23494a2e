"""Moving through the inspection: go to a state, go back, go to the first open step, and the
things every step needs (the inspection, storing a photo)."""

from __future__ import annotations

import logging

from bot import integrity, texts
from bot.context import Context
from bot.media import MediaRejected, StoreUnavailable
from conversations.flow import BadInput, State, cursor
from conversations.position import Position, open_position, previous_position
from storage.models import Inspection

log = logging.getLogger(__name__)

# Filled by conversations.inspection: every state of the flow, declared in one place there.
STATES: dict[str, State] = {}
FLOW = "inspection"
BACK_LIMIT = 50


def here(ctx: Context) -> list:
    cur = cursor(ctx)
    return [cur.get("state"), cur.get("req"), cur.get("cert"), cur.get("finding")]


async def goto(ctx: Context, state: str, *, req: str | None = None, cert: int | None = None,
               finding: int | None = None, remember: bool = True) -> None:
    cur = cursor(ctx)
    if remember and cur.get("state") and here(ctx) != [state, req, cert, finding]:
        cur.setdefault("back", []).append(here(ctx))
        del cur["back"][:-BACK_LIMIT]
    cur.update(state=state, req=req, cert=cert, finding=finding)
    await STATES[state].ask(ctx)


async def go_position(ctx: Context, pos: Position, remember: bool = True) -> None:
    await goto(ctx, pos.state, req=pos.req, cert=pos.cert, finding=pos.finding, remember=remember)


async def advance(ctx: Context) -> None:
    """On to the first step still open (the next question in order, in the normal case)."""
    await go_position(ctx, await open_position(ctx.repos, ctx.campaign, await inspection(ctx)))


async def back(ctx: Context) -> None:
    cur = cursor(ctx)
    stack = cur.get("back") or []
    if stack:
        state, req, cert, finding = stack.pop()
        await goto(ctx, state, req=req, cert=cert, finding=finding, remember=False)
        return
    # No history (resumed, restored): the step before this one in the checklist's order.
    here_now = Position(cur["state"], cur.get("req"), cur.get("cert"), cur.get("finding"))
    before = previous_position(ctx.campaign, here_now) if cur.get("iid") else None
    if before is None:
        ctx.reply(texts.NO_BACK)
        await STATES[cur["state"]].ask(ctx)
        return
    await go_position(ctx, before, remember=False)


async def step_done(ctx: Context, step: str) -> None:
    """Record that a step before the checklist was answered (see position.HEADER_STEPS)."""
    insp = await inspection(ctx)
    if step not in (insp.steps_done or []):
        ctx.repos.inspections.update(insp, member_id(ctx), steps_done=[*(insp.steps_done or []), step])


async def inspection(ctx: Context) -> Inspection:
    iid = cursor(ctx).get("iid")
    found = await ctx.repos.inspections.get(iid) if iid else None
    if found is None:
        raise LookupError("the cursor names no inspection")
    return found


def member_id(ctx: Context) -> int:
    assert ctx.member is not None
    return ctx.member.id


async def store_photo(ctx: Context, requirement_id: str, certificate_id: int | None = None) -> int:
    """Fetch, check and store the photo of this message as evidence; the photos now kept with the
    requirement (with the certificate's person, when one is given)."""
    await keep_photo(ctx, requirement_id, certificate_id)
    return await photo_count(ctx, requirement_id, certificate_id)


async def photo_count(ctx: Context, requirement_id: str, certificate_id: int | None = None) -> int:
    """The photos kept with the requirement (with the certificate's person, when one is given)."""
    insp = await inspection(ctx)
    if certificate_id is not None:  # the register's photos are counted per person
        return sum(1 for e in await ctx.repos.inspections.evidence(insp.id)
                   if e.certificate_id == certificate_id and e.media_type.startswith("image/"))
    counts = await ctx.repos.inspections.evidence_counts(insp.id)
    return counts.get(requirement_id, 0)


async def keep_photo(ctx: Context, requirement_id: str, certificate_id: int | None = None):
    """Fetch, check and store the photo of this message as evidence: (the evidence row, the bytes)."""
    media = ctx.msg.media
    if media is None:
        raise BadInput(texts.PHOTO_MISSING)
    if media.size is not None and media.size > ctx.media.max_bytes:
        raise BadInput(texts.PHOTO_TOO_BIG.format(mb=ctx.media.max_bytes // (1024 * 1024)))
    try:
        data = await ctx.fetch_media(media)
    except Exception:  # noqa: BLE001 - the platform or the network failed: ask again
        log.warning("photo download failed", exc_info=True)
        raise BadInput(texts.PHOTO_DOWNLOAD_FAILED) from None
    try:
        stored = await ctx.media.store_image(data)  # decoded and hashed off the event loop
    except MediaRejected as exc:
        log.info("photo refused: %s", exc)
        raise BadInput({
            "too_big": texts.PHOTO_TOO_BIG.format(mb=ctx.media.max_bytes // (1024 * 1024)),
            "too_many_pixels": texts.PHOTO_TOO_MANY_PIXELS,
        }.get(exc.reason, texts.FILE_NOT_IMAGE)) from None
    except StoreUnavailable as exc:  # nothing stored, nothing recorded: the step is asked again
        log.warning("evidence store unavailable; photo refused: %s", exc)
        raise BadInput(texts.PHOTO_STORE_DOWN) from None
    insp = await inspection(ctx)
    evidence = await ctx.repos.inspections.add_evidence(
        insp, requirement_id, member_id(ctx), sha256=stored.sha256, media_type=stored.media_type,
        size=stored.size, width=stored.width, height=stored.height, caption=ctx.msg.text,
        certificate_id=certificate_id)
    await integrity.on_photo_stored(ctx, insp, evidence, stored.facts, member_id(ctx))
    return evidence, data
