"""Commands around inspections outside the conversation: start, list, resume, cancel."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations import amend
from conversations import inspection as flow
from conversations.orders import repo as enforcement_repo
from handlers.router import Router
from storage.models_enforcement import InspectionReview

router = Router("inspections")


@router.on("开始检查", "/inspect", "检查", prefix=True)
async def start(ctx: Context, query: str) -> None:
    await flow.start(ctx, query)


@router.on("继续", "/resume", "继续检查", prefix=True)
async def resume(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    arg = arg.lstrip("#").strip()
    if arg.isdigit():
        await flow.resume(ctx, int(arg))
        return
    drafts = await ctx.repos.inspections.drafts_of(ctx.member.id)
    if not drafts:
        ctx.reply(texts.NO_DRAFTS)
    elif len(drafts) == 1:
        await flow.resume(ctx, drafts[0].id)
    else:
        lines = [texts.DRAFT_LINE.format(id=d.id, name=d.enterprise.name, date=d.inspection_date.isoformat(),
                                         done=await _answered(ctx, d.id), total=len(ctx.campaign.requirements))
                 for d in drafts[:10]]
        ctx.reply(texts.CHOOSE_DRAFT + "\n" + "\n".join(lines) + "\n" + texts.CHOOSE_DRAFT_HINT)


async def _answered(ctx: Context, inspection_id: int) -> int:
    return sum(1 for a in (await ctx.repos.inspections.answers(inspection_id)).values() if a.verdict)


@router.on("我的检查", "/mine", "我的")
async def mine(ctx: Context, _: str) -> None:
    assert ctx.member is not None
    rows = await ctx.repos.inspections.of_member(ctx.member.id)
    if not rows:
        ctx.reply(texts.NOTHING_YET)
        return
    reviews = await enforcement_repo(ctx).reviews([i.id for i in rows if i.status == "submitted"])
    lines = [texts.MY_LINE.format(id=i.id, name=i.enterprise.name, date=i.inspection_date.isoformat(),
                                  status=_status(i.id, i.status, reviews.get(i.id))) for i in rows]
    ctx.reply(texts.MY_INSPECTIONS.format(lines="\n".join(lines)))


def _status(inspection_id: int, status: str, review: InspectionReview | None) -> str:
    """A submitted inspection as its review left it: returned (with the reason), approved, amended."""
    if review is None or status != "submitted":
        return texts.STATUS_NAMES[status]
    if review.status == "returned":
        return texts.MY_RETURNED.format(reason=review.reason, id=inspection_id)
    return texts.MY_REVIEW_STATUS.get(review.status, texts.STATUS_NAMES[status])


@router.on("取消", "/cancel")
async def cancel(ctx: Context, _: str) -> None:
    ctx.reply(texts.NOTHING_TO_CANCEL)


@router.on("修正", "/amend", prefix=True)
async def amend_submitted(ctx: Context, arg: str) -> None:
    await amend.begin(ctx, arg)
