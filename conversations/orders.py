"""Rectification orders (责令限期改正) from an inspection's confirmed findings, one per finding: the
legal basis and measure come from the campaign file; the inspector gives the due date and, where
one is imposed, the penalty. The enterprise's responsible person is the one who signed the form."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import policy, texts
from bot.context import Context
from conversations.flow import Answer, BadInput, State, ask, cursor
from conversations.miniflow import MiniFlow
from conversations.parsing import parse_date
from storage.models import Inspection
from storage.repositories.enforcement import EnforcementRepo

REMIND_DAYS_BEFORE = 3
_PENALTY = re.compile(r"^罚款\s*(\d{1,9})\s*元?\s*(.*)$")


def repo(ctx: Context) -> EnforcementRepo:
    return EnforcementRepo(ctx.repos.session, ctx.repos.audit)


async def own_submitted(ctx: Context, arg: str) -> Inspection | None:
    """The submitted inspection numbered `arg` if this member took part in it; replies otherwise."""
    assert ctx.member is not None
    arg = arg.lstrip("#").strip()
    insp = await ctx.repos.inspections.get(int(arg)) if arg.isdigit() else None
    if insp is None or insp.status != "submitted" or not policy.may_issue_orders(ctx.member, insp):
        ctx.reply(texts.ORDER_NOT_YOURS.format(id=arg))
        return None
    return insp


async def begin(ctx: Context, arg: str) -> None:
    if not arg.strip():
        ctx.reply(texts.ORDER_USAGE)
        return
    insp = await own_submitted(ctx, arg)
    if insp is None:
        return
    findings = await repo(ctx).findings_without_order(insp.id)
    if not findings:
        ctx.reply(texts.ORDER_NOTHING.format(id=insp.id))
        return
    FLOW.begin(ctx, iid=insp.id, fids=[f.id for f in findings], i=0, made=0)
    await FLOW.goto(ctx, "order_due")


async def _finding(ctx: Context):
    cur = cursor(ctx)
    return await ctx.repos.inspections.finding(cur["fids"][cur["i"]])


async def ask_due(ctx: Context) -> None:
    cur = cursor(ctx)
    finding = await _finding(ctx)
    basis = ctx.campaign.legal_basis[finding.legal_basis]
    ask(ctx, texts.ASK_ORDER_DUE.format(i=cur["i"] + 1, n=len(cur["fids"]), desc=finding.description,
                                       law=basis.law, article=basis.article, measure=basis.measure),
        [("15" + texts.DAYS_SUFFIX, "15"), ("30" + texts.DAYS_SUFFIX, "30")])


async def on_due(ctx: Context, a: Answer) -> None:
    insp = await ctx.repos.inspections.get(cursor(ctx)["iid"])
    value = a.value.removesuffix(texts.DAYS_SUFFIX).strip()
    if value.isdigit() and 0 < int(value) <= 365:
        due = insp.inspection_date + timedelta(days=int(value))
    else:
        due = parse_date(a.value, ctx.now.date())
        if due is None:
            raise BadInput(texts.BAD_DATE)
        if due <= insp.inspection_date:
            raise BadInput(texts.ORDER_DUE_BAD.format(visit=insp.inspection_date.isoformat()))
    cursor(ctx)["due"] = due.isoformat()
    await FLOW.goto(ctx, "order_penalty")


async def ask_penalty(ctx: Context) -> None:
    ask(ctx, texts.ASK_ORDER_PENALTY, [(texts.NO_PENALTY_LABEL, "none")])


async def on_penalty(ctx: Context, a: Answer) -> None:
    amount, decision = None, ""
    if a.value != "none":
        m = _PENALTY.match(a.value.replace(",", "").replace("，", " "))
        if not m or not m.group(2).strip():
            raise BadInput(texts.ORDER_PENALTY_BAD)
        amount, decision = int(m.group(1)), m.group(2).strip()
    cur = cursor(ctx)
    insp = await ctx.repos.inspections.get(cur["iid"])
    finding = await _finding(ctx)
    basis = ctx.campaign.legal_basis[finding.legal_basis]
    order = await repo(ctx).add_order(
        finding, insp, ctx.member.id, legal_basis=finding.legal_basis, measure=basis.measure,
        due=date.fromisoformat(cur["due"]), responsible=insp.responsible_person, penalty=amount,
        decision_no=decision)
    penalty = texts.ORDER_PENALTY_PART.format(amount=amount, decision=decision) if amount else ""
    ctx.reply(texts.ORDER_CREATED.format(oid=order.id, desc=finding.description, due=cur["due"],
                                         person=insp.responsible_person or "—", penalty=penalty))
    cur["made"] += 1
    cur["i"] += 1
    if cur["i"] < len(cur["fids"]):
        await FLOW.goto(ctx, "order_due")
        return
    ctx.reply(texts.ORDERS_DONE.format(n=cur["made"], days=REMIND_DAYS_BEFORE, iid=insp.id))
    ctx.cursor = None


async def _stopped(ctx: Context) -> None:
    cur = cursor(ctx)
    ctx.reply(texts.ORDERS_STOPPED.format(n=cur["made"], iid=cur["iid"]))


FLOW = MiniFlow("orders", {
    "order_due": State(ask_due, on_due, free_text=True),
    "order_penalty": State(ask_penalty, on_penalty, free_text=True),
}, texts.ORDERS_HELP, _stopped)
