"""Group chats: an admin binds the group to their own bureau (`/bind 泽州县`, or `绑定 泽州县`); the city
bureau's admins, to any bureau (bot.policy).
Composed into handlers/root.py's `group_match`, so it is reached only in group chats."""

from __future__ import annotations

from bot import policy, texts
from bot.context import Context
from handlers.router import Router

router = Router("groups")


@router.on("/bind", "绑定", prefix=True)
async def bind(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    if not policy.binds_groups(ctx.member):
        ctx.reply(texts.GROUP_BIND_ADMIN_ONLY)
        return
    if not arg:
        ctx.reply(texts.GROUP_BIND_USAGE)
        return
    bureau = await ctx.repos.org.bureau(arg)
    if bureau is None:
        names = "、".join(b.short_name for b in await ctx.repos.org.bureaus())
        ctx.reply(texts.GROUP_BIND_UNKNOWN.format(name=arg[:20], names=names))
        return
    if not policy.may_bind_group(ctx.member, bureau):
        ctx.reply(texts.GROUP_BIND_OTHER_BUREAU.format(own=ctx.member.bureau.name, bureau=bureau.name))
        return
    existing = await ctx.repos.org.binding(ctx.msg.channel, ctx.msg.chat_id)
    await ctx.repos.org.bind_group(bureau, ctx.msg.channel, ctx.msg.chat_id,
                                   title=existing.title if existing else "", actor_id=ctx.member.id)
    ctx.reply(texts.GROUP_BIND_DONE.format(bureau=bureau.name))
