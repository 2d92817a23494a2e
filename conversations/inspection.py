"""The inspection conversation: every state in one table, the commands that work at any step,
and the ways in (start, resume, restore after the cursor was lost). Diagram: inspection.mmd."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from bot.messages import Kind
from conversations import amend, evidence
from conversations import inspection_items as items
from conversations import inspection_register as reg
from conversations import inspection_review as review
from conversations import inspection_start as start_
from conversations.flow import Answer, BadInput, State, cursor, refuse_press, resolve
from conversations.nav import FLOW, STATES, advance, back, goto, go_position, inspection, member_id
from conversations.parsing import normalize, parse_jump
from conversations.position import HEADER_STEPS, open_items, open_position

STATES.update({
    # before the checklist
    "ent_query": State(start_.ask_ent_query, start_.on_ent_query, free_text=True),
    "ent_pick": State(start_.ask_ent_pick, start_.on_ent_pick, free_text=True),
    "ent_industry": State(start_.ask_ent_industry, start_.on_ent_industry),
    "ent_bureau": State(start_.ask_ent_bureau, start_.on_ent_bureau),
    "co_inspectors": State(start_.ask_co_inspectors, start_.on_co_inspectors, free_text=True),
    "date": State(start_.ask_date, start_.on_date, free_text=True),
    "location": State(start_.ask_location, start_.on_location, free_text=True, location=True),
    # the checklist
    "verdict": State(items.ask_verdict, items.on_verdict, photos=True),
    "note": State(items.ask_note, items.on_note, free_text=True, photos=True),
    "verdict_conflict": State(items.ask_verdict_conflict, items.on_verdict_conflict),
    # the certificate register (item 二)
    "cert_menu": State(reg.ask_cert_menu, reg.on_cert_menu),
    "cert_name": State(reg.ask_cert_name, reg.on_cert_name, free_text=True),
    "cert_position": State(reg.ask_cert_position, reg.on_cert_position),
    "cert_type": State(reg.ask_cert_type, reg.on_cert_type),
    "cert_number": State(reg.ask_cert_number, reg.on_cert_number, free_text=True, photos=True),  # OCR
    "cert_expiry": State(reg.ask_cert_expiry, reg.on_cert_expiry, free_text=True),
    "cert_platform": State(reg.ask_cert_platform, reg.on_cert_platform),
    "cert_photo": State(reg.ask_cert_photo, reg.on_cert_photo, photos=True),
    "cert_confirm": State(reg.ask_cert_confirm, reg.on_cert_confirm),
    # review and submit
    "review": State(review.ask_review, review.on_review),
    "sign_person": State(review.ask_sign_person, review.on_sign_person, free_text=True),
    "sign_photo": State(review.ask_sign_photo, review.on_sign_photo, photos=True),
    "confirm_submit": State(review.ask_confirm_submit, review.on_confirm_submit),
    "confirm_cancel": State(review.ask_confirm_cancel, review.on_confirm_cancel),
    # amending a submitted inspection (conversations/amend.py)
    "amend_reason": State(amend.ask_reason, amend.on_reason, free_text=True),
})

# Where 跳过 means "leave it for later" for a requirement.
SKIPPABLE = {"verdict", "note"}

BACK_WORDS = {"上一步", "返回", "/back"}
SKIP_WORDS = {"跳过", "/skip"}
PROGRESS_WORDS = {"进度", "/progress", "/status"}
PAUSE_WORDS = {"暂停", "/pause"}
RESUME_WORDS = {"继续", "/resume"}
CANCEL_WORDS = {"取消", "/cancel"}
HELP_WORDS = {"帮助", "/help", "?", "？"}
START_WORDS = {"开始检查", "/inspect"}


def in_flow(ctx: Context) -> bool:
    return bool(ctx.cursor and ctx.cursor.get("flow") == FLOW)


def accepts_photos(ctx: Context) -> bool:
    return in_flow(ctx) and STATES[cursor(ctx)["state"]].photos


def accepts_evidence(ctx: Context) -> bool:
    """Whether a photo, voice message or video now has a step to be kept with (see conversations.evidence)."""
    return in_flow(ctx) and (accepts_photos(ctx) or evidence.target(ctx, cursor(ctx)["state"]) is not None)


async def start(ctx: Context, query: str = "") -> None:
    assert ctx.member is not None
    if len(query) > start_.MAX_NAME:  # 开始检查 <name>: the same limit as the name asked for
        ctx.reply(texts.NAME_TOO_LONG.format(n=start_.MAX_NAME))
        return
    if ctx.member.active_inspection_id:  # a draft in progress is paused, not lost
        ctx.repos.org.set_active_inspection(ctx.member, None)
        ctx.reply(texts.PREVIOUS_PAUSED)
    ctx.cursor = {"flow": FLOW, "back": []}
    if query:
        cursor(ctx)["query"] = query
        await goto(ctx, "ent_pick", remember=False)
    else:
        await goto(ctx, "ent_query", remember=False)


async def resume(ctx: Context, inspection_id: int, restored: bool = False) -> None:
    assert ctx.member is not None
    insp = await ctx.repos.inspections.get(inspection_id)
    if insp is None or insp.created_by != ctx.member.id or insp.status != "draft":
        ctx.reply(texts.NO_SUCH_DRAFT.format(id=inspection_id))
        return
    ctx.repos.org.set_active_inspection(ctx.member, insp.id)
    ctx.cursor = {"flow": FLOW, "iid": insp.id, "back": []}
    ctx.reply((texts.RESTORED if restored else texts.RESUMED).format(id=insp.id, name=insp.enterprise.name))
    await go_position(ctx, await open_position(ctx.repos, ctx.campaign, insp), remember=False)


async def restore(ctx: Context) -> bool:
    """The cursor is gone but the member has a draft open: continue it from the database."""
    assert ctx.member is not None
    if not ctx.member.active_inspection_id:
        return False
    await resume(ctx, ctx.member.active_inspection_id, restored=True)
    return in_flow(ctx)


async def pause(ctx: Context) -> None:
    insp = await inspection(ctx)
    assert ctx.member is not None
    ctx.repos.org.set_active_inspection(ctx.member, None)
    ctx.repos.inspections.touch(insp)
    ctx.cursor = None
    ctx.reply(texts.PAUSED.format(id=insp.id, name=insp.enterprise.name))


async def handle(ctx: Context) -> None:
    """One message inside the flow."""
    cur = cursor(ctx)
    state_name = cur["state"]
    state = STATES[state_name]
    text = normalize(ctx.msg.text) if ctx.msg.kind in (Kind.TEXT, Kind.COMMAND) else ""
    amend.apply_reason(ctx)
    try:
        if text and amend.amending(ctx) and await amend.command(ctx, text.lower(), state_name):
            return
        if text and await _command(ctx, text, state_name):
            return
        if await evidence.take(ctx, state_name):  # photos, voice, video at any step: kept, question stays
            return
        answer = resolve(ctx, state)
        if state_name == "review" and answer.value == "submit" and amend.amending(ctx):
            await amend.finish(ctx)
            return
        await state.on(ctx, answer)
    except BadInput as bad:
        if refuse_press(ctx, bad):
            return
        ctx.reply(str(bad))
        if in_flow(ctx) and cursor(ctx).get("state") == state_name:
            await state.ask(ctx)


async def _command(ctx: Context, text: str, state_name: str) -> bool:
    created = bool(cursor(ctx).get("iid"))  # the inspection exists (also when its enterprise is re-chosen)
    word = text.lower()
    if word in BACK_WORDS:
        await back(ctx)
    elif word in HELP_WORDS:
        ctx.reply(texts.FLOW_HELP if created else texts.FLOW_HELP_START)
        await STATES[state_name].ask(ctx)
    elif word in CANCEL_WORDS:
        if not created:
            ctx.cursor = None
            ctx.reply(texts.START_ABANDONED)
        elif state_name != "confirm_cancel":
            await goto(ctx, "confirm_cancel")
        else:
            return False
    elif word in RESUME_WORDS and state_name == "confirm_cancel":  # 继续 = go on with it: 不取消
        await review.on_confirm_cancel(ctx, Answer("option", "no", texts.CANCEL_NO))
    elif word in RESUME_WORDS:
        await STATES[state_name].ask(ctx)
    elif word in START_WORDS:
        ctx.reply(texts.ALREADY_IN_FLOW)
        await STATES[state_name].ask(ctx)
    elif not created:
        return False
    elif word in SKIP_WORDS and state_name in SKIPPABLE:
        await _skip(ctx)
    elif word in PROGRESS_WORDS:
        await _progress(ctx)
        await STATES[state_name].ask(ctx)
    elif word in PAUSE_WORDS:
        await pause(ctx)
    elif (target := parse_jump(text)) is not None:
        await _jump(ctx, target)
    else:
        return False
    return True


async def _skip(ctx: Context) -> None:
    cur = cursor(ctx)
    insp = await inspection(ctx)
    req_id = cur["req"]
    existing = await ctx.repos.inspections.answer(insp.id, req_id)
    if existing is None:
        await ctx.repos.inspections.set_answer(insp, req_id, member_id(ctx), verdict=None)
    ctx.reply(texts.SKIPPED.format(id=req_id))
    await _next_after(ctx, req_id)


async def _next_after(ctx: Context, req_id: str) -> None:
    """After a skip: the next requirement in order that is still open, else the first open step."""
    insp = await inspection(ctx)
    answers = await ctx.repos.inspections.answers(insp.id)
    ids = [r.id for r in ctx.campaign.requirements]
    for rid in ids[ids.index(req_id) + 1:]:
        if rid not in answers:
            if ctx.campaign.register_after in ids[ids.index(req_id):ids.index(rid)] and not insp.register_done:
                await goto(ctx, "cert_menu")
                return
            await goto(ctx, "verdict", req=rid)
            return
    await advance(ctx)


async def _jump(ctx: Context, target: str) -> None:
    if target in HEADER_STEPS:
        await goto(ctx, target)
        return
    if target not in {r.id for r in ctx.campaign.requirements}:
        raise BadInput(texts.NO_SUCH_REQUIREMENT.format(id=target))
    await goto(ctx, "verdict", req=target)


async def _progress(ctx: Context) -> None:
    insp = await inspection(ctx)
    answers = await ctx.repos.inspections.answers(insp.id)
    total = len(ctx.campaign.requirements)
    done = sum(1 for a in answers.values() if a.verdict)
    missing = await open_items(ctx.repos, ctx.campaign, insp)
    register_open = any(kind == "register_open" for _, kind in missing)
    missing = [m for m in missing if m[1] != "register_open"]  # the register is a step, not an item
    photos = sum((await ctx.repos.inspections.evidence_counts(insp.id)).values())
    findings = sum(1 for f in await ctx.repos.inspections.findings(insp.id) if f.confirmed)
    where = cursor(ctx).get("req") or texts.STATE_NAMES.get(cursor(ctx)["state"], "")
    ctx.reply(texts.WHERE_AM_I.format(name=insp.enterprise.name, done=done, total=total,
                                      left=len(missing), findings=findings, photos=photos, where=where)
              + (texts.WHERE_REGISTER_OPEN if register_open else ""))
