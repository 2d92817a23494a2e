"""Help, greeting, and what is said when nothing else applies."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from handlers.router import Router

router = Router("common")


def campaign_status(ctx: Context) -> str:
    period = ctx.campaign.period
    if ctx.today > period.end:
        return texts.CAMPAIGN_OVER
    if ctx.today < period.start:
        return texts.CAMPAIGN_NOT_STARTED
    return texts.CAMPAIGN_RUNNING


@router.on("帮助", "/help", "/start", "help", "?", "？", "菜单")
async def help_(ctx: Context, _: str) -> None:
    p = ctx.campaign.period
    ctx.reply(texts.HELP.format(campaign=ctx.campaign.title, start=p.start.isoformat(), end=p.end.isoformat(),
                                status=campaign_status(ctx)))


async def welcome(ctx: Context) -> None:
    assert ctx.member is not None
    p = ctx.campaign.period
    ctx.reply(texts.WELCOME.format(name=ctx.member.name, bureau=ctx.member.bureau.short_name,
                                   campaign=ctx.campaign.title, start=p.start.isoformat(), end=p.end.isoformat()))
