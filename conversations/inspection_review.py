"""Review, signatures and submission; cancelling a draft."""

from __future__ import annotations

from bot import integrity, texts
from bot.context import Context
from bot.documents.service import reply_signable, send_submitted_checklist
from conversations.flow import Answer, BadInput, ask, cursor
from conversations.inspection_items import VERDICT_LABEL
from conversations.nav import go_position, goto, inspection, member_id, store_photo
from conversations.parsing import person_name
from conversations.position import open_items, open_position
from storage.models import utcnow

MISSING_LABEL = {"unanswered": texts.MISSING_UNANSWERED, "skipped": texts.MISSING_SKIPPED,
                 "no_note": texts.MISSING_NOTE, "register_open": texts.MISSING_REGISTER}


async def summary(ctx: Context) -> str:
    """A compact summary for a phone screen: what is open first, then every requirement."""
    insp = await inspection(ctx)
    repo = ctx.repos.inspections
    answers = await repo.answers(insp.id)
    photos = await repo.evidence_counts(insp.id)
    findings = await repo.findings(insp.id)
    certs = await repo.certificates(insp.id)
    missing = await open_items(ctx.repos, ctx.campaign, insp)
    lines = [texts.SUMMARY_HEAD.format(name=insp.enterprise.name, date=insp.inspection_date.isoformat(),
                                       id=insp.id)]
    if missing:
        lines.append(texts.SUMMARY_OPEN.format(items="；".join(f"{rid} {MISSING_LABEL[why]}" for rid, why in missing)))
    for item in ctx.campaign.checklist.items:
        lines.append(f"{item.seq}、{item.title}")
        for req in item.requirements:
            a = answers.get(req.id)
            verdict = VERDICT_LABEL[a.verdict] if a and a.verdict else texts.NOT_ANSWERED
            photo = texts.PHOTO_COUNT.format(n=photos[req.id]) if photos.get(req.id) else ""
            lines.append(f"  {req.id} {verdict}{photo}")
    confirmed = [f for f in findings if f.confirmed]
    lines.append(texts.SUMMARY_TAIL.format(findings=len(confirmed), certs=len(certs),
                                           photos=sum(photos.values())))
    return "\n".join(lines)


async def ask_review(ctx: Context) -> None:
    ask(ctx, await summary(ctx) + "\n" + texts.REVIEW_HINT,
        [(texts.SUBMIT_LABEL, "submit"), (texts.PAUSE_LABEL, "pause")])


async def on_review(ctx: Context, a: Answer) -> None:
    if a.value == "pause":
        from conversations.inspection import pause  # the flow's own command

        await pause(ctx)
        return
    missing = await open_items(ctx.repos, ctx.campaign, await inspection(ctx))
    if missing:
        ids = "、".join(rid for rid, _ in missing)
        first = missing[0][0] if missing[0][0] != "cert" else ctx.campaign.register_after
        raise BadInput(texts.CANNOT_SUBMIT.format(n=len(missing), ids=ids, first=first))
    # The form the responsible person signs: printed or shown on the phone, before anything else.
    await reply_signable(ctx, await inspection(ctx))
    await goto(ctx, "sign_person")


async def ask_sign_person(ctx: Context) -> None:
    insp = await inspection(ctx)
    options = [(texts.KEEP_VALUE.format(value=insp.responsible_person), "keep")] if insp.responsible_person else []
    ask(ctx, texts.ASK_RESPONSIBLE_PERSON.format(name=insp.enterprise.name), options)


async def on_sign_person(ctx: Context, a: Answer) -> None:
    insp = await inspection(ctx)
    if a.kind == "text":
        name = person_name(a.value)
        if name is None:
            raise BadInput(texts.BAD_PERSON_NAME)
        ctx.repos.inspections.update(insp, member_id(ctx), responsible_person=name)
    await goto(ctx, "sign_photo")


async def ask_sign_photo(ctx: Context) -> None:
    ask(ctx, texts.ASK_SIGNED_FORM, [(texts.SIGNED_FORM_DONE, "done")])


async def on_sign_photo(ctx: Context, a: Answer) -> None:
    if a.kind == "photo":
        count = await store_photo(ctx, "signature")
        ctx.reply(texts.SIGNED_FORM_SAVED.format(count=count))
        return
    if not (await ctx.repos.inspections.evidence_counts((await inspection(ctx)).id)).get("signature"):
        raise BadInput(texts.SIGNED_FORM_MISSING)
    await goto(ctx, "confirm_submit")


async def ask_confirm_submit(ctx: Context) -> None:
    insp = await inspection(ctx)
    names = "、".join(i.name for i in insp.inspectors)
    signed = (await ctx.repos.inspections.evidence_counts(insp.id)).get("signature", 0)
    ask(ctx, texts.CONFIRM_SUBMIT.format(inspectors=names, person=insp.responsible_person,
                                         signed=texts.YES if signed else texts.NO),
        [(texts.SUBMIT_CONFIRM_LABEL, "yes"), (texts.BACK_TO_REVIEW, "no")])


async def on_confirm_submit(ctx: Context, a: Answer) -> None:
    if a.value == "no":
        await goto(ctx, "review")
        return
    insp = await inspection(ctx)
    if insp.status != "draft":
        raise BadInput(texts.ALREADY_SUBMITTED)
    ctx.repos.inspections.update(insp, member_id(ctx), status="submitted", submitted_at=utcnow())
    await integrity.check_submitted(ctx, insp, member_id(ctx))
    assert ctx.member is not None
    ctx.repos.org.set_active_inspection(ctx.member, None)
    ctx.cursor = None
    ctx.reply(texts.SUBMITTED.format(id=insp.id, name=insp.enterprise.name))
    if insp.inspection_date not in ctx.campaign.period:
        ctx.reply(texts.SUBMITTED_OUTSIDE_PERIOD)
    await send_submitted_checklist(ctx, insp)  # the filled 附件1, to keep and print


async def ask_confirm_cancel(ctx: Context) -> None:
    insp = await inspection(ctx)
    ask(ctx, texts.CONFIRM_CANCEL.format(id=insp.id, name=insp.enterprise.name),
        [(texts.CANCEL_YES, "yes"), (texts.CANCEL_NO, "no")])


async def on_confirm_cancel(ctx: Context, a: Answer) -> None:
    if a.value == "no":
        cur = cursor(ctx)
        ctx.reply(texts.CANCEL_ABORTED)
        if not cur.get("back"):  # no history (a restored position): the first open step
            await go_position(ctx, await open_position(ctx.repos, ctx.campaign, await inspection(ctx)),
                              remember=False)
            return
        state, req, cert, finding = cur["back"].pop()
        await goto(ctx, state, req=req, cert=cert, finding=finding, remember=False)
        return
    insp = await inspection(ctx)
    ctx.repos.inspections.update(insp, member_id(ctx), status="cancelled")
    assert ctx.member is not None
    ctx.repos.org.set_active_inspection(ctx.member, None)
    ctx.cursor = None
    ctx.reply(texts.CANCELLED.format(id=insp.id))
