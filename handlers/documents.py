"""Documents by message: the filled checklist (导出 12), the typical case (典型案例), the written
report (报告, supervisors) and the spreadsheet (导出 表格, supervisors)."""

from __future__ import annotations

from bot import policy, texts
from bot.context import Context
from bot.counting import AsOf
from bot.documents import service
from bot.messages import Document
from conversations import typical_case
from conversations.parsing import normalize
from handlers import report as report_chat
from handlers.router import Router

router = Router("documents")
SHEET_WORDS = {"表格", "xlsx", "excel", "数据"}
SIGN_WORDS = ("签字版", "签字")


async def handle_flow(ctx: Context) -> bool:
    """Continue a documents conversation (the typical case, a report section asked for) if this
    member is in one."""
    if typical_case.in_flow(ctx):
        await typical_case.handle(ctx)
        return True
    if report_chat.in_flow(ctx):
        await report_chat.handle(ctx)
        return True
    return False


@router.on("典型案例", "/case", prefix=True)
async def case(ctx: Context, arg: str) -> None:
    await typical_case.start(ctx, arg)


@router.on("导出", "/export", prefix=True)
async def export(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    arg = normalize(arg).lstrip("#").strip()
    if arg.lower() in SHEET_WORDS:
        await _sheet(ctx)
        return
    signable = False
    for word in SIGN_WORDS:
        if arg.endswith(word) and arg[:-len(word)].strip().lstrip("#").isdigit():
            arg, signable = arg[:-len(word)].strip().lstrip("#"), True
            break
    if not arg.isdigit():
        rows = await ctx.repos.inspections.of_member(ctx.member.id, limit=5)
        lines = "\n".join(texts.EXPORT_LINE.format(id=i.id, name=i.enterprise.name,
                                                   date=i.inspection_date.isoformat()) for i in rows)
        ctx.reply(texts.EXPORT_USAGE.format(lines=lines) if rows else texts.EXPORT_USAGE_NONE)
        return
    insp = await ctx.repos.inspections.get(int(arg))
    if insp is None:
        ctx.reply(texts.EXPORT_NOT_FOUND.format(id=arg))
    elif not policy.may_export(ctx.member, insp):
        ctx.reply(texts.EXPORT_FORBIDDEN.format(id=insp.id))
    elif insp.status == "cancelled":
        ctx.reply(texts.EXPORT_CANCELLED.format(id=insp.id))
    elif signable:
        await _signable(ctx, insp)
    else:
        await service.reply_checklist(ctx, insp)


@router.on("签字版", "/sign", prefix=True)
async def signable_form(ctx: Context, arg: str) -> None:
    """签字版 12: the checklist to print (or show) and sign on site, before submit."""
    await export(ctx, f"{normalize(arg).lstrip('#')} 签字")


async def _signable(ctx: Context, insp) -> None:
    await service.reply_signable(ctx, insp)


async def _sheet(ctx: Context) -> None:
    assert ctx.member is not None
    bureau = ctx.member.bureau
    if not policy.may_report_on(ctx.member, bureau):
        ctx.reply(texts.REPORT_FORBIDDEN)
        return
    name = service.xlsx_name(None if bureau.level == "city" else bureau, ctx.today)
    ref = await service.chat_document(ctx.media, name, lambda out: service.xlsx_file(
        ctx.repos, ctx.campaign, bureau, out, AsOf.of(ctx.today, ctx.now)))
    ctx.reply(Document(ref, name, texts.EXPORT_XLSX_CAPTION.format(scope=bureau.short_name)))


@router.on("报告", "/report", "书面报告", prefix=True)
async def report(ctx: Context, arg: str) -> None:
    await report_chat.report(ctx, arg)
