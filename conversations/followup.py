"""The follow-up visit (复查): started from an inspection's open orders, it asks only about them, one
by one, with new evidence. Rectified → the order is closed; not rectified after the due date → it is
escalated to the stronger measure the legal basis names; not rectified before it → it stays open."""

from __future__ import annotations

from datetime import date

from bot import texts
from bot.context import Context
from conversations.flow import Answer, State, ask, cursor
from conversations.miniflow import MiniFlow
from conversations.nav import store_photo
from conversations.orders import own_submitted, repo


async def begin(ctx: Context, arg: str) -> None:
    if not arg.strip():
        ctx.reply(texts.FOLLOWUP_USAGE)
        return
    insp = await own_submitted(ctx, arg)
    if insp is None:
        return
    orders = [o for o in await repo(ctx).orders_of(insp.id) if o.status == "open"]
    if not orders:
        ctx.reply(texts.FOLLOWUP_NOTHING.format(id=insp.id))
        return
    FLOW.begin(ctx, iid=insp.id, oids=[o.id for o in orders], i=0,
               tally={"rectified": 0, "escalated": 0, "open": 0})
    await FLOW.goto(ctx, "fu_result")


def _late(due: date, today: date) -> str:
    return texts.ORDER_LATE.format(days=(today - due).days) if today > due else ""


def evidence_id(order_id: int) -> str:
    """Follow-up photos are evidence of the original inspection under this id."""
    return f"fu{order_id}"


async def ask_result(ctx: Context) -> None:
    cur = cursor(ctx)
    order = await repo(ctx).order(cur["oids"][cur["i"]])
    finding = await ctx.repos.inspections.finding(order.finding_id)
    ask(ctx, texts.ASK_FOLLOWUP.format(i=cur["i"] + 1, n=len(cur["oids"]), oid=order.id,
                                      desc=finding.description, due=order.due_date.isoformat(),
                                      late=_late(order.due_date, ctx.now.date())),
        [(texts.RECTIFIED_LABEL, "rectified"), (texts.NOT_RECTIFIED_LABEL, "not_rectified")])


async def on_result(ctx: Context, a: Answer) -> None:
    cur = cursor(ctx)
    if a.kind == "photo":
        await _photo(ctx)
        await ask_result(ctx)
        return
    cur["result"] = a.value
    await FLOW.goto(ctx, "fu_note")


async def _photo(ctx: Context) -> None:
    """New evidence for the order being checked, at either question."""
    cur = cursor(ctx)
    cur["photos"] = await store_photo(ctx, evidence_id(cur["oids"][cur["i"]]))
    ctx.reply(texts.FOLLOWUP_PHOTO.format(n=cur["photos"]))


async def ask_note(ctx: Context) -> None:
    ask(ctx, texts.ASK_FOLLOWUP_NOTE)


async def on_note(ctx: Context, a: Answer) -> None:
    cur = cursor(ctx)
    if a.kind == "photo":
        await _photo(ctx)
        await ask_note(ctx)
        return
    enforcement = repo(ctx)
    order = await enforcement.order(cur["oids"][cur["i"]])
    today = ctx.now.date()
    await enforcement.add_followup(order, ctx.member.id, today, cur["result"], a.value, cur.get("photos", 0))
    if cur["result"] == "rectified":
        enforcement.close_order(order, ctx.member.id, "rectified")
        ctx.reply(texts.ORDER_RECTIFIED.format(oid=order.id))
        cur["tally"]["rectified"] += 1
    elif today > order.due_date:
        escalation = ctx.campaign.legal_basis[order.legal_basis].escalation or order.measure
        enforcement.close_order(order, ctx.member.id, "escalated", measure=escalation)
        ctx.reply(texts.ORDER_ESCALATED.format(oid=order.id, measure=escalation))
        cur["tally"]["escalated"] += 1
    else:
        ctx.reply(texts.ORDER_STILL_OPEN.format(oid=order.id, due=order.due_date.isoformat()))
        cur["tally"]["open"] += 1
    cur["i"] += 1
    cur.pop("photos", None)
    if cur["i"] < len(cur["oids"]):
        await FLOW.goto(ctx, "fu_result")
        return
    ctx.reply(texts.FOLLOWUP_DONE.format(iid=cur["iid"], closed=cur["tally"]["rectified"],
                                         escalated=cur["tally"]["escalated"], open=cur["tally"]["open"]))
    ctx.cursor = None


async def _stopped(ctx: Context) -> None:
    ctx.reply(texts.FOLLOWUP_STOPPED)


FLOW = MiniFlow("followup", {
    "fu_result": State(ask_result, on_result, photos=True),
    "fu_note": State(ask_note, on_note, free_text=True, photos=True),
}, texts.FOLLOWUP_HELP, _stopped)
