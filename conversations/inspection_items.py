"""The checklist itself: a verdict per requirement, a note for each failure, photos as evidence."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations.flow import Answer, BadInput, ask, cursor
from conversations.nav import advance, goto, inspection, member_id, store_photo
from conversations.parsing import NONE_WORDS, normalize

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


async def register_findings(ctx: Context, req_id: str) -> list:
    """The confirmed findings of the certificate register recorded under this requirement: the
    same facts the verdict speaks of (one fact, one finding)."""
    insp = await inspection(ctx)
    return [f for f in await ctx.repos.inspections.findings(insp.id)
            if f.requirement_id == req_id and f.source == "certificate" and f.confirmed]


def _listed(findings: list) -> str:
    return "\n".join(f"· {f.description}" for f in findings)


async def ask_verdict(ctx: Context) -> None:
    req_id = cursor(ctx)["req"]
    insp = await inspection(ctx)
    text = requirement_prompt(ctx, req_id)
    found = await register_findings(ctx, req_id)
    if found:
        text += "\n" + texts.REGISTER_FOUND.format(findings=_listed(found))
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
    found = await register_findings(ctx, req_id)
    await repo.set_answer(insp, req_id, member_id(ctx), verdict=a.value)
    if a.value == "fail":
        await goto(ctx, "note", req=req_id)
        return
    finding = await repo.answer_finding(insp, req_id)
    if finding is not None:  # the failure was revised: its finding goes, on the record
        await repo.delete_finding(insp, finding, member_id(ctx), reason="verdict changed")
    if found:  # 符合 / 不适用 against a confirmed finding: asked, never taken silently
        await goto(ctx, "verdict_conflict", req=req_id)
        return
    ctx.echo(texts.VERDICT_SAVED.format(id=req_id, verdict=a.label))  # a press shows it on the question
    await advance(ctx)


CONFLICT_CHOICES = [(texts.CONFLICT_FAIL, "fail"), (texts.CONFLICT_WITHDRAW, "withdraw"),
                    (texts.CONFLICT_KEEP, "keep")]


async def ask_verdict_conflict(ctx: Context) -> None:
    req_id = cursor(ctx)["req"]
    insp = await inspection(ctx)
    answer = await ctx.repos.inspections.answer(insp.id, req_id)
    verdict = VERDICT_LABEL.get(answer.verdict or "", "") if answer else ""
    found = await register_findings(ctx, req_id)
    ask(ctx, texts.ASK_VERDICT_CONFLICT.format(id=req_id, verdict=verdict, findings=_listed(found)),
        CONFLICT_CHOICES)


async def on_verdict_conflict(ctx: Context, a: Answer) -> None:
    req_id = cursor(ctx)["req"]
    insp = await inspection(ctx)
    repo = ctx.repos.inspections
    answer = await repo.answer(insp.id, req_id)
    found = await register_findings(ctx, req_id)
    verdict = answer.verdict if answer and answer.verdict in ("pass", "na") else "pass"
    if a.value == "fail":
        await repo.set_answer(insp, req_id, member_id(ctx), verdict="fail", note=texts.NOTE_SEE_REGISTER)
        ctx.reply(texts.CONFLICT_FAILED.format(id=req_id, n=len(found)))
    elif a.value == "withdraw":
        for f in found:
            repo.update_finding(insp, f, member_id(ctx), reason=f"{req_id} {VERDICT_LABEL[verdict]}",
                                confirmed=False)
        await repo.set_answer(insp, req_id, member_id(ctx), verdict=verdict, note="")
        ctx.reply(texts.CONFLICT_WITHDRAWN.format(id=req_id, verdict=VERDICT_LABEL[verdict], n=len(found)))
    else:
        note = texts.CONTRADICTION_NOTE.format(verdict=VERDICT_LABEL[verdict],
                                               findings="；".join(f.description for f in found))
        await repo.set_answer(insp, req_id, member_id(ctx), verdict=verdict, note=note)
        ctx.reply(texts.CONFLICT_KEPT.format(id=req_id, verdict=VERDICT_LABEL[verdict]))
    await advance(ctx)


async def ask_note(ctx: Context) -> None:
    req_id = cursor(ctx)["req"]
    found = await register_findings(ctx, req_id)
    if found:
        ask(ctx, texts.ASK_NOTE_REGISTER.format(id=req_id, findings=_listed(found)),
            [(texts.NOTE_REGISTER_ENOUGH, "register")])
    else:
        ask(ctx, texts.ASK_NOTE.format(id=req_id))


async def on_note(ctx: Context, a: Answer) -> None:
    req_id = cursor(ctx)["req"]
    if a.kind == "photo":
        await photo_reply(ctx, req_id)
        return
    found = await register_findings(ctx, req_id)
    note = a.value
    if found and (a.value == "register" or normalize(a.value).lower() in NONE_WORDS):
        note = texts.NOTE_SEE_REGISTER
    elif normalize(a.value) in VERDICT_LABEL.values():
        raise BadInput(texts.NOTE_IS_A_VERDICT)
    if len(note) < 2:
        raise BadInput(texts.NOTE_TOO_SHORT)
    if len(note) > MAX_NOTE:
        raise BadInput(texts.NOTE_TOO_LONG.format(n=MAX_NOTE))
    insp = await inspection(ctx)
    repo = ctx.repos.inspections
    req = ctx.campaign.requirement(req_id)
    await repo.set_answer(insp, req_id, member_id(ctx), verdict="fail", note=note)
    finding = await repo.answer_finding(insp, req_id)
    if found:
        # The register's findings are this failure: the note explains them, no second finding.
        if finding is not None:
            await repo.delete_finding(insp, finding, member_id(ctx), reason="same fact as the register's finding")
        ctx.reply(texts.NOTE_ON_REGISTER_FINDINGS.format(id=req_id, n=len(found)))
        await advance(ctx)
        return
    if finding is None:
        await repo.add_finding(insp, member_id(ctx), requirement_id=req_id, source="answer",
                               description=note, legal_basis=req.legal_basis, confirmed=True)
    else:
        repo.update_finding(insp, finding, member_id(ctx), description=note)
    basis = ctx.campaign.legal_basis[req.legal_basis]
    ctx.reply(texts.FINDING_SAVED.format(id=req_id, citation=basis.citation))
    await advance(ctx)


async def photo_reply(ctx: Context, req_id: str) -> None:
    count = await store_photo(ctx, req_id)
    ctx.reply(texts.PHOTO_SAVED.format(id=req_id, count=count))
