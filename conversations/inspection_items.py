"""The checklist itself: a verdict per requirement, a note for each failure, photos as evidence."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations.flow import Answer, BadInput, ask, cursor
from conversations.nav import advance, goto, inspection, member_id, store_photo

VERDICTS = [("符合", "pass"), ("不符合", "fail"), ("不适用", "na")]
VERDICT_LABEL = dict((v, label) for label, v in VERDICTS)
MAX_NOTE = 1000


def requirement_prompt(ctx: Context, req_id: str) -> str:
    campaign = ctx.campaign
    req = campaign.requirement(req_id)
    item = campaign.item_of(req_id)
    index = [r.id for r in campaign.requirements].index(req_id) + 1
    return texts.REQUIREMENT.format(
        seq=item.seq, title=item.title, index=index, total=len(campaign.requirements), id=req.id,
        text=req.text, method=campaign.method_of(req), evidence="、".join(req.evidence))


async def ask_verdict(ctx: Context) -> None:
    req_id = cursor(ctx)["req"]
    insp = await inspection(ctx)
    text = requirement_prompt(ctx, req_id)
    answer = await ctx.repos.inspections.answer(insp.id, req_id)
    photos = (await ctx.repos.inspections.evidence_counts(insp.id)).get(req_id, 0)
    if answer is not None and answer.verdict:
        text += "\n" + texts.CURRENT_ANSWER.format(verdict=VERDICT_LABEL[answer.verdict], photos=photos)
    ask(ctx, text, VERDICTS)


async def on_verdict(ctx: Context, a: Answer) -> None:
    req_id = cursor(ctx)["req"]
    if a.kind == "photo":
        await photo_reply(ctx, req_id)
        return
    insp = await inspection(ctx)
    repo = ctx.repos.inspections
    await repo.set_answer(insp, req_id, member_id(ctx), verdict=a.value)
    if a.value == "fail":
        await goto(ctx, "note", req=req_id)
        return
    finding = await repo.answer_finding(insp, req_id)
    if finding is not None:  # the failure was revised: its finding goes, on the record
        await repo.delete_finding(insp, finding, member_id(ctx), reason="verdict changed")
    ctx.echo(texts.VERDICT_SAVED.format(id=req_id, verdict=a.label))  # a press shows it on the question
    await advance(ctx)


async def ask_note(ctx: Context) -> None:
    req_id = cursor(ctx)["req"]
    ask(ctx, texts.ASK_NOTE.format(id=req_id))


async def on_note(ctx: Context, a: Answer) -> None:
    req_id = cursor(ctx)["req"]
    if a.kind == "photo":
        await photo_reply(ctx, req_id)
        return
    if len(a.value) < 2:
        raise BadInput(texts.NOTE_TOO_SHORT)
    if len(a.value) > MAX_NOTE:
        raise BadInput(texts.NOTE_TOO_LONG.format(n=MAX_NOTE))
    insp = await inspection(ctx)
    repo = ctx.repos.inspections
    req = ctx.campaign.requirement(req_id)
    await repo.set_answer(insp, req_id, member_id(ctx), verdict="fail", note=a.value)
    finding = await repo.answer_finding(insp, req_id)
    if finding is None:
        await repo.add_finding(insp, member_id(ctx), requirement_id=req_id, source="answer",
                               description=a.value, legal_basis=req.legal_basis, confirmed=True)
    else:
        repo.update_finding(insp, finding, member_id(ctx), description=a.value)
    basis = ctx.campaign.legal_basis[req.legal_basis]
    ctx.reply(texts.FINDING_SAVED.format(id=req_id, citation=basis.citation))
    await advance(ctx)


async def photo_reply(ctx: Context, req_id: str) -> None:
    count = await store_photo(ctx, req_id)
    ctx.reply(texts.PHOTO_SAVED.format(id=req_id, count=count))
