"""Progress questions from supervisors and inspectors, in the words they type, scoped by role:
进度, 全市进度, 泽州县进度, 今日, 问题, 查 企业名, 帮助 (and /progress, /today, /issues, /find, /help).
`group_router` answers the progress words in a bureau's group chat as well."""

from __future__ import annotations

import re

from bot import texts
from bot.context import Context
from bot.messages import Kind
from bot.progress import city, compute, open_flags, total_of, Timeline
from bot.progress_text import bureau_block, city_block, flag_lines, mine_lines
from conversations.parsing import normalize
from handlers import progress_lists
from handlers.common import role_help
from handlers.progress_scope import Viewer
from handlers.router import RouteHandler, Router

NAMED = re.compile(r"^(.{1,12}?)的?进度$")
FIND = re.compile(r"^(?:查询|查找|查)[\s:：]*(.*)$")
OWN_WORDS = {"本局", "我的", "我", "本县", "本单位", "本市局"}
CITY_WORDS = {"全市", "晋城", "全部", "各县"}


class ProgressRouter(Router):
    """Also routes "<bureau>进度" and "查 <enterprise>", which fixed words cannot express."""

    def __init__(self, name: str, *, find: bool) -> None:
        super().__init__(name)
        self.find = find

    def match(self, ctx: Context) -> tuple[RouteHandler, str] | None:
        found = super().match(ctx)
        if found or ctx.msg.kind != Kind.TEXT:
            return found
        text = normalize(ctx.msg.text)
        if m := NAMED.match(text):
            return named_progress, m.group(1).strip()
        if self.find and (m := FIND.match(text)):
            return progress_lists.find, m.group(1).strip()
        return None


router = ProgressRouter("progress", find=True)
# Words that are answered in a bureau's group chat as well (everything else is private-only).
group_router = ProgressRouter("progress-group", find=False)


@router.on("进度", "/progress", "本局进度", prefix=False)
async def progress(ctx: Context, arg: str) -> None:
    if arg:
        await named_progress(ctx, arg)
        return
    viewer = Viewer.of(ctx)
    if viewer.city_wide:
        await _city(ctx)
        return
    if not viewer.inspector:
        await _bureau(ctx, viewer.bureau, [], flags=True)
        return
    # an inspector: their own work and the flags on it, then the bureau's totals (not its flags)
    mine = await compute(ctx.repos, ctx.campaign, ctx.today, member_id=viewer.member.id)
    lines = mine_lines(total_of(mine, Timeline.of(ctx.campaign, ctx.today)).figures)
    lines += flag_lines(await open_flags(ctx.repos, ctx.campaign, viewer.bureau.id, member_id=viewer.member.id))
    await _bureau(ctx, viewer.bureau, lines, flags=False)


@router.on("全市进度", "全市", "/city")
async def city_progress(ctx: Context, _: str = "") -> None:
    if not Viewer.of(ctx).city_wide:
        ctx.reply(texts.PG_CITY_ONLY)
        return
    await _city(ctx)


async def named_progress(ctx: Context, name: str) -> None:
    viewer = Viewer.of(ctx)
    if name in OWN_WORDS:
        await progress(ctx, "")
        return
    if name in CITY_WORDS:
        await city_progress(ctx)
        return
    bureau = await ctx.repos.org.bureau(name) or await ctx.repos.org.bureau(name + "县")
    if bureau is None or bureau.name not in {b.name for b in ctx.campaign.bureaus}:
        names = "、".join(b.short for b in ctx.campaign.bureaus)
        ctx.reply(texts.PG_UNKNOWN_BUREAU.format(name=name[:20], names=names))
        return
    if not viewer.may_see(bureau):
        ctx.reply(texts.PG_NOT_YOURS.format(own=viewer.bureau.short_name))
        return
    if bureau.level == "city" and viewer.city_wide and name not in (bureau.short_name, bureau.name):
        await _city(ctx)  # 晋城市进度: the place name of the city means the whole city
        return
    await _bureau(ctx, bureau, [], flags=not viewer.inspector)


async def _bureau(ctx: Context, bureau, before: list[str], *, flags: bool) -> None:
    """The bureau's block; with `flags`, its open integrity flags (需关注) after it."""
    rows = await compute(ctx.repos, ctx.campaign, ctx.today, bureau_ids=[bureau.id])
    after = flag_lines(await open_flags(ctx.repos, ctx.campaign, bureau.id)) if flags else []
    ctx.reply("\n".join(before + bureau_block(rows[0]) + after))


async def _city(ctx: Context) -> None:
    ctx.reply("\n".join(city_block(await city(ctx.repos, ctx.campaign, ctx.today))))


@router.on("今日", "今天", "/today")
async def today(ctx: Context, arg: str) -> None:
    await progress_lists.today(ctx, arg)


@router.on("问题", "问题清单", "/issues")
async def issues(ctx: Context, arg: str) -> None:
    await progress_lists.issues(ctx, arg)


@router.on("/find")
async def find(ctx: Context, arg: str) -> None:
    await progress_lists.find(ctx, arg)


@router.on("帮助", "/help", "help", "?", "？", "菜单")
async def help_(ctx: Context, _: str) -> None:
    """The help for this member's role, with the progress words they may use."""
    ctx.reply(role_help(ctx) + "\n" + progress_help(ctx))


def progress_help(ctx: Context) -> str:
    viewer = Viewer.of(ctx)
    if viewer.city_wide:
        own, hint = texts.PROGRESS_HELP_OWN_CITY, texts.PROGRESS_HELP_CITY
    else:
        own = texts.PROGRESS_HELP_OWN_INSPECTOR if viewer.inspector else texts.PROGRESS_HELP_OWN_BUREAU
        hint = texts.PROGRESS_HELP_ONLY_OWN
    return texts.PROGRESS_HELP.format(own=own, city_hint=hint)


# ---- group chats: the bound bureau's progress, for those who may see it
@group_router.on("进度", "/progress", "本局进度")
async def group_progress(ctx: Context, arg: str) -> None:
    if arg:
        await named_progress(ctx, arg)
        return
    binding = await ctx.repos.org.binding(ctx.msg.channel, ctx.msg.chat_id)
    bureau = await ctx.repos.org.bureau_by_id(binding.bureau_id) if binding else Viewer.of(ctx).bureau
    viewer = Viewer.of(ctx)
    if not viewer.may_see(bureau):
        ctx.reply(texts.PG_GROUP_NOT_ALLOWED.format(bureau=bureau.short_name))
        return
    if bureau.level == "city":
        await _city(ctx)
    else:  # the group's flags, as its daily digest lists them
        await _bureau(ctx, bureau, [], flags=True)


group_router.on("全市进度", "全市", "/city")(city_progress)


@group_router.on("帮助", "/help", "help", "?", "？")
async def group_help(ctx: Context, _: str) -> None:
    ctx.reply(texts.GROUP_HELP)  # only the /commands: plain words never reach a bot in privacy mode
