"""Supervisor review of submitted inspections: the summary and evidence counts in the chat, then
approve, or return with a reason; the inspector is told and amends (修正), and it comes back."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations.flow import Answer, BadInput, State, ask, cursor
from conversations.inspection_review import summary
from conversations.miniflow import MiniFlow
from conversations.orders import repo
from storage.models import Inspection

REVIEWER_ROLES = {"supervisor", "admin"}


async def scope(ctx: Context) -> list[int] | None:
    """The bureaus this member reviews: None for the city bureau (all of them)."""
    assert ctx.member is not None
    bureau = await ctx.repos.org.bureau_by_id(ctx.member.bureau_id)
    return None if bureau.level == "city" else [bureau.id]


def may_review(ctx: Context) -> bool:
    if ctx.member is None or ctx.member.role not in REVIEWER_ROLES:
        ctx.reply(texts.REVIEW_NOT_ALLOWED)
        return False
    return True


async def pending(ctx: Context, _: str = "") -> None:
    if not may_review(ctx):
        return
    rows = await repo(ctx).awaiting_review(await scope(ctx), ctx.campaign.id)
    if not rows:
        ctx.reply(texts.REVIEW_NOTHING)
        return
    bureaus = {b.id: b.short_name for b in await ctx.repos.org.bureaus()}
    lines = [texts.REVIEW_LINE.format(id=i.id, name=i.enterprise.name, bureau=bureaus[i.bureau_id],
                                      date=i.inspection_date.isoformat(), who=_who(i)) for i in rows[:20]]
    ctx.reply("\n".join([texts.REVIEW_LIST_HEAD.format(n=len(rows)), *lines, texts.REVIEW_LIST_HINT]))


def _who(insp: Inspection) -> str:
    return "、".join(i.name for i in insp.inspectors)


async def begin(ctx: Context, arg: str) -> None:
    if not may_review(ctx):
        return
    arg = arg.lstrip("#").strip()
    if not arg.isdigit():
        ctx.reply(texts.REVIEW_USAGE)
        return
    insp = await ctx.repos.inspections.get(int(arg))
    bureaus = await scope(ctx)
    if insp is None or insp.status != "submitted" or (bureaus is not None and insp.bureau_id not in bureaus):
        ctx.reply(texts.REVIEW_NOT_FOUND.format(id=arg))
        return
    existing = await repo(ctx).review(insp.id)
    if existing is not None and existing.status != "resubmitted":
        ctx.reply(texts.REVIEW_ALREADY.format(id=insp.id, status=texts.REVIEW_STATUS_NAMES[existing.status]))
        return
    FLOW.begin(ctx, iid=insp.id)
    await FLOW.goto(ctx, "rv_decide")


async def ask_decide(ctx: Context) -> None:
    insp = await ctx.repos.inspections.get(cursor(ctx)["iid"])
    ask(ctx, await summary(ctx) + "\n" + texts.REVIEW_ASK.format(id=insp.id, who=_who(insp)),
        [(texts.APPROVE_LABEL, "approved"), (texts.RETURN_LABEL, "returned")])


async def on_decide(ctx: Context, a: Answer) -> None:
    if a.value == "returned":
        await FLOW.goto(ctx, "rv_reason")
        return
    await _decide(ctx, "approved", "")


async def ask_reason(ctx: Context) -> None:
    ask(ctx, texts.ASK_RETURN_REASON)


async def on_reason(ctx: Context, a: Answer) -> None:
    if len(a.value) < 2:
        raise BadInput(texts.ASK_RETURN_REASON)
    await _decide(ctx, "returned", a.value)


async def _decide(ctx: Context, status: str, reason: str) -> None:
    assert ctx.member is not None
    insp = await ctx.repos.inspections.get(cursor(ctx)["iid"])
    await repo(ctx).decide(insp, ctx.member.id, status, reason)
    if status == "approved":
        ctx.reply(texts.REVIEW_APPROVED.format(id=insp.id))
        notice = texts.NOTIFY_APPROVED.format(id=insp.id, name=insp.enterprise.name, reviewer=ctx.member.name)
    else:
        ctx.reply(texts.REVIEW_RETURNED.format(id=insp.id, reason=reason))
        notice = texts.NOTIFY_RETURNED.format(id=insp.id, name=insp.enterprise.name, reviewer=ctx.member.name,
                                              reason=reason)
    await notify_member(ctx, insp.created_by, notice)
    ctx.cursor = None


async def resubmitted(ctx: Context, insp: Inspection) -> None:
    """An amendment finished: a returned inspection goes back to its reviewer."""
    review = await repo(ctx).review(insp.id)
    if review is None or review.status != "returned":
        return
    reviewer_id = review.reviewer_id
    await repo(ctx).decide(insp, ctx.member.id if ctx.member else None, "resubmitted", "")
    if reviewer_id:
        await notify_member(ctx, reviewer_id,
                            texts.NOTIFY_RESUBMITTED.format(id=insp.id, name=insp.enterprise.name))


async def notify_member(ctx: Context, member_id: int, text: str) -> None:
    for identity in await ctx.repos.org.identities_of(member_id):
        ctx.notify(identity.channel, identity.external_id, text)


async def _stopped(ctx: Context) -> None:
    ctx.reply(texts.REVIEW_STOPPED)


FLOW = MiniFlow("review", {
    "rv_decide": State(ask_decide, on_decide),
    "rv_reason": State(ask_reason, on_reason, free_text=True),
}, texts.REVIEW_HELP, _stopped)
