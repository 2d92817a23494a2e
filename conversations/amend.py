"""Amending a submitted inspection: never a silent edit. The inspector gives a reason first; every
change made while amending goes to the audit log with that reason and the old value; the flow's
usual steps (修改 X.Y, the verdict and note questions, review) do the editing. An amendment with
changes sends a returned or approved inspection back to review (conversations.supervisor_review)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import policy, texts
from bot.context import Context
from conversations.flow import Answer, BadInput, ask, cursor
from conversations.nav import FLOW, goto, inspection, member_id
from storage.models import AuditLog

FINISH_WORDS = {"完成修正", "/done", "提交", "暂停", "/pause", "取消", "/cancel"}


def amending(ctx: Context) -> bool:
    """Inside an amendment (from the reason question on)."""
    return bool(ctx.cursor and ctx.cursor.get("flow") == FLOW and "amend" in ctx.cursor)


def apply_reason(ctx: Context) -> None:
    """Every change in this message is recorded with the amendment's reason."""
    if amending(ctx) and cursor(ctx)["amend"]:
        ctx.repos.audit.default_reason = texts_reason(cursor(ctx)["amend"])


async def command(ctx: Context, word: str, state_name: str) -> bool:
    """Words that mean something else while amending: finishing (and never cancelling the inspection)."""
    if word not in FINISH_WORDS:
        return False
    if cursor(ctx)["amend"] is None:  # no reason given yet: nothing was changed
        insp = await inspection(ctx)
        ctx.cursor = None
        ctx.reply(texts.AMEND_NOTHING.format(id=insp.id))
    else:
        await finish(ctx)
    return True


def texts_reason(reason: str) -> str:
    return f"修正：{reason}"


async def begin(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    arg = arg.lstrip("#").strip()
    if not arg.isdigit():
        ctx.reply(texts.AMEND_USAGE)
        return
    insp = await ctx.repos.inspections.get(int(arg))
    mine = insp is not None and policy.may_amend(ctx.member, insp)
    if not mine or insp.status not in ("draft", "submitted"):
        ctx.reply(texts.AMEND_NOT_YOURS.format(id=arg))
        return
    if insp.status == "draft":
        ctx.reply(texts.AMEND_NOT_SUBMITTED.format(id=insp.id))
        return
    if ctx.member.active_inspection_id:  # a draft in progress is paused, not lost
        ctx.repos.org.set_active_inspection(ctx.member, None)
        ctx.reply(texts.PREVIOUS_PAUSED)
    ctx.cursor = {"flow": FLOW, "iid": insp.id, "back": [], "amend": None}
    await goto(ctx, "amend_reason", remember=False)


async def ask_reason(ctx: Context) -> None:
    insp = await inspection(ctx)
    ask(ctx, texts.ASK_AMEND_REASON.format(id=insp.id, name=insp.enterprise.name))


async def on_reason(ctx: Context, a: Answer) -> None:
    if a.kind != "text" or len(a.value) < 2:
        raise BadInput(texts.ASK_AMEND_REASON.format(id=cursor(ctx)["iid"], name=""))
    insp = await inspection(ctx)
    cur = cursor(ctx)
    cur["amend"] = a.value
    cur["amend_from"] = await _audit_mark(ctx)
    ctx.repos.audit.record(member_id(ctx), "inspection", insp.id, "amendment", None, "opened",
                           texts_reason(a.value))
    ctx.reply(texts.AMEND_OPEN.format(id=insp.id, reason=a.value))
    await goto(ctx, "review", remember=False)


async def finish(ctx: Context) -> None:
    insp = await inspection(ctx)
    cur = cursor(ctx)
    reason = cur["amend"]
    await ctx.repos.session.flush()
    changes = await ctx.repos.session.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.id > cur.get("amend_from", 0),
                                                        AuditLog.field != "amendment",
                                                        AuditLog.reason == texts_reason(reason)))
    ctx.repos.audit.record(member_id(ctx), "inspection", insp.id, "amendment", "opened", "closed",
                           texts_reason(reason))
    ctx.repos.inspections.touch(insp)
    ctx.cursor = None
    if not changes:
        ctx.reply(texts.AMEND_NOTHING.format(id=insp.id))
        return
    from conversations.supervisor_review import resubmitted

    before = await resubmitted(ctx, insp, reason)
    ctx.reply(texts.AMEND_DONE.format(id=insp.id, n=changes, reason=reason))
    if before == "approved":
        ctx.reply(texts.AMEND_BACK_TO_REVIEW.format(id=insp.id))


async def _audit_mark(ctx: Context) -> int:
    await ctx.repos.session.flush()
    return await ctx.repos.session.scalar(select(func.coalesce(func.max(AuditLog.id), 0))) or 0
