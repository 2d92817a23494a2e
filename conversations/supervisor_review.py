"""Supervisor review of submitted inspections: the findings with their notes, the certificate
register and the photos (conversations/review_evidence.py), then the summary and the question:
approve, or return with a reason; the inspector is told and amends (修正), and it comes back. An
approved inspection amended afterwards comes back too. Who may review what: bot.policy."""

from __future__ import annotations

from bot import policy, texts
from bot.context import Context
from conversations.flow import Answer, BadInput, State, ask, cursor
from conversations.inspection_review import summary
from conversations.miniflow import MiniFlow
from conversations import review_evidence
from conversations.orders import repo
from storage.models import Inspection
from storage.repositories.progress import ProgressRepo


def may_review(ctx: Context) -> bool:
    if ctx.member is None or not policy.is_overseer(ctx.member):
        ctx.reply(texts.REVIEW_NOT_ALLOWED)
        return False
    return True


async def pending(ctx: Context, _: str = "") -> None:
    if not may_review(ctx):
        return
    rows = await repo(ctx).awaiting_review(policy.oversight(ctx.member), ctx.campaign.id)
    if not rows:
        ctx.reply(texts.REVIEW_NOTHING)
        return
    bureaus = {b.id: b.short_name for b in await ctx.repos.org.bureaus()}
    lines = [texts.REVIEW_LINE.format(id=i.id, name=i.enterprise.name, bureau=bureaus[i.bureau_id],
                                      date=i.inspection_date.isoformat(), who=_who(i)) for i in rows[:20]]
    ctx.reply("\n".join([texts.REVIEW_LIST_HEAD.format(n=len(rows)), *lines, texts.REVIEW_LIST_HINT]))


def _refused(ctx: Context, insp: Inspection) -> bool:
    """Replies why this member may not decide on this inspection, if they may not."""
    assert ctx.member is not None
    decision = policy.may_review(ctx.member, insp)
    if decision.reason == policy.TOOK_PART:
        ctx.reply(texts.REVIEW_OWN.format(id=insp.id))
    elif decision.reason == policy.ROLE:
        ctx.reply(texts.REVIEW_NOT_ALLOWED)
    elif not decision:  # outside their bureaus: as if it did not exist
        ctx.reply(texts.REVIEW_NOT_FOUND.format(id=insp.id))
    return not decision


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
    if insp is None or insp.status != "submitted":
        ctx.reply(texts.REVIEW_NOT_FOUND.format(id=arg))
        return
    if _refused(ctx, insp):
        return
    existing = await repo(ctx).review(insp.id)
    if existing is not None and existing.status != "resubmitted":
        ctx.reply(texts.REVIEW_ALREADY.format(id=insp.id, status=texts.REVIEW_STATUS_NAMES[existing.status]))
        return
    FLOW.begin(ctx, iid=insp.id)
    await review_evidence.send(ctx, insp)  # the notes, the register and the photos, then the question
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
    if _refused(ctx, insp):  # asked again: the inspectors may have changed while the summary was shown
        ctx.cursor = None
        return
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


async def resubmitted(ctx: Context, insp: Inspection, reason: str) -> str | None:
    """An amendment with changes finished: a returned or approved inspection is waiting for review
    again, and its reviewer is told (if they cannot be reached, the bureau's other reviewers are).
    Returns the review status it had, or None when it was not reviewed yet."""
    review = await repo(ctx).review(insp.id)
    if review is None or review.status not in ("returned", "approved"):
        return None
    before, reviewer_id = review.status, review.reviewer_id
    await repo(ctx).decide(insp, ctx.member.id if ctx.member else None, "resubmitted", "")
    if before == "returned":
        text = texts.NOTIFY_RESUBMITTED.format(id=insp.id, name=insp.enterprise.name)
    else:
        who = ctx.member.name if ctx.member else ""
        text = texts.NOTIFY_AMENDED_AFTER_APPROVAL.format(id=insp.id, name=insp.enterprise.name, who=who,
                                                          reason=reason)
    reviewer = await ctx.repos.org.member(reviewer_id) if reviewer_id else None
    if not (reviewer is not None and reviewer.active and await notify_member(ctx, reviewer.id, text)):
        for member in await ProgressRepo(ctx.repos.session).supervisors(insp.bureau_id):
            if policy.may_review(member, insp):
                await notify_member(ctx, member.id, text)
    return before


async def notify_member(ctx: Context, member_id: int, text: str) -> bool:
    """Tell a member on every channel they use; False if they have none."""
    identities = await ctx.repos.org.identities_of(member_id)
    for identity in identities:
        ctx.notify(identity.channel, identity.external_id, text)
    return bool(identities)


async def _stopped(ctx: Context) -> None:
    ctx.reply(texts.REVIEW_STOPPED)


FLOW = MiniFlow("review", {
    "rv_decide": State(ask_decide, on_decide),
    "rv_reason": State(ask_reason, on_reason, free_text=True),
}, texts.REVIEW_HELP, _stopped)
