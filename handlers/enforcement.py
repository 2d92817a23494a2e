"""Orders, follow-up visits and supervisor review, by message."""

from __future__ import annotations

from datetime import date

from bot import policy, texts
from bot.context import Context
from conversations import followup, orders, supervisor_review
from handlers.router import Router
from storage.repositories.integrity import IntegrityRepo

router = Router("enforcement")
FLOWS = (orders.FLOW, followup.FLOW, supervisor_review.FLOW)


async def handle_flow(ctx: Context) -> bool:
    for flow in FLOWS:
        if flow.active(ctx):
            await flow.handle(ctx)
            return True
    return False


@router.on("复查", "/followup", prefix=True)
async def follow_up(ctx: Context, arg: str) -> None:
    await followup.begin(ctx, arg)


@router.on("整改单", "/orders")
async def open_orders(ctx: Context, _: str) -> None:
    """An inspector: the orders they issued; a supervisor: their bureau's (the city bureau: all)."""
    assert ctx.member is not None
    repo = orders.repo(ctx)
    if policy.is_overseer(ctx.member):
        rows = await repo.open_orders(bureau_ids=policy.oversight(ctx.member))
    else:
        rows = await repo.open_orders(creator_id=ctx.member.id)
    if not rows:
        ctx.reply(texts.NO_OPEN_ORDERS)
        return
    ctx.reply("\n".join([texts.ORDERS_LIST_HEAD.format(n=len(rows)),
                         *[await order_line(ctx, o, ctx.now.date()) for o in rows[:30]]]))


async def order_line(ctx: Context, order, today: date) -> str:
    finding = await ctx.repos.inspections.finding(order.finding_id)
    insp = await ctx.repos.inspections.get(order.inspection_id)
    late = texts.ORDER_LATE.format(days=(today - order.due_date).days) if today > order.due_date else ""
    return texts.ORDER_LINE.format(oid=order.id, name=insp.enterprise.name, desc=finding.description,
                                   due=order.due_date.isoformat(), late=late, iid=insp.id)


# After 整改单: the prefix 整改 would take it.
@router.on("整改", "下达整改", "/order", prefix=True)
async def make_orders(ctx: Context, arg: str) -> None:
    await orders.begin(ctx, arg)


@router.on("待审核", "/pending")
async def pending(ctx: Context, arg: str) -> None:
    await supervisor_review.pending(ctx, arg)


@router.on("审核", "/review", prefix=True)
async def review(ctx: Context, arg: str) -> None:
    await supervisor_review.begin(ctx, arg)


@router.on("核实", "/resolve", prefix=True)
async def resolve_flag(ctx: Context, arg: str) -> None:
    """A supervisor has looked at a 需关注 item and closes it, saying what was found; never one raised
    on an inspection they took part in."""
    assert ctx.member is not None
    if not policy.is_overseer(ctx.member):
        ctx.reply(texts.INTEGRITY_RESOLVE_NOT_ALLOWED)
        return
    number, _, reason = arg.lstrip("#").partition(" ")
    number = number.removeprefix("F").removeprefix("f")  # F12 as listed (12 as before)
    reason = reason.strip()
    if not number.isdigit() or len(reason) < 2:
        ctx.reply(texts.INTEGRITY_RESOLVE_USAGE)
        return
    flags = IntegrityRepo(ctx.repos.session)
    open_flags = {f.id: f for f in await flags.flags_for_bureau(policy.oversight(ctx.member), ctx.campaign.id)}
    flag = open_flags.get(int(number))
    insp = await ctx.repos.inspections.get(flag.inspection_id) if flag else None
    decision = policy.may_resolve_flag(ctx.member, insp) if insp else policy.Decision(policy.SCOPE)
    if decision.reason == policy.TOOK_PART:
        ctx.reply(texts.INTEGRITY_RESOLVE_OWN.format(id=number, iid=insp.id))
        return
    if not decision or not await flags.resolve(int(number), ctx.member.id, reason):
        ctx.reply(texts.INTEGRITY_RESOLVE_NOT_FOUND.format(id=number))
        return
    ctx.reply(texts.INTEGRITY_RESOLVED.format(id=number, reason=reason))
