"""Help, greeting, and what is said when nothing else applies."""

from __future__ import annotations

from bot import policy, texts
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


def role_help(ctx: Context) -> str:
    """What this member's role can do (an inspector does not see the supervisors' commands), and
    the campaign."""
    assert ctx.member is not None
    p = ctx.campaign.period
    parts = [texts.HELP_INSPECTOR]
    if policy.is_overseer(ctx.member):
        parts.append(texts.HELP_OVERSEER)
    if policy.binds_groups(ctx.member):
        parts.append(texts.HELP_ADMIN)
    parts.append(texts.HELP_CAMPAIGN.format(campaign=ctx.campaign.title, start=p.start.isoformat(),
                                            end=p.end.isoformat(), status=campaign_status(ctx)))
    return "\n".join(parts)


def greeting(ctx: Context) -> str:
    assert ctx.member is not None
    return texts.START_GREETING.format(name=ctx.member.name, bureau=ctx.member.bureau.short_name,
                                       role=texts.ROLE_NAMES.get(ctx.member.role, ""))


@router.on("帮助", "/help", "help", "?", "？", "菜单")
async def help_(ctx: Context, _: str) -> None:
    ctx.reply(role_help(ctx))


@router.on("/start")
async def start(ctx: Context, _: str) -> None:
    """Telegram's first message (the Start button): a greeting by name and role, then what this
    member can do."""
    from handlers.progress import progress_help  # the progress words this member may use

    ctx.reply(greeting(ctx) + "\n" + role_help(ctx) + "\n" + progress_help(ctx))


async def welcome(ctx: Context) -> None:
    """Opening the WeCom app (which can happen many times a day): the greeting, short."""
    p = ctx.campaign.period
    ctx.reply(greeting(ctx) + "\n" + texts.WELCOME_HINT.format(
        campaign=ctx.campaign.title, start=p.start.isoformat(), end=p.end.isoformat()))
