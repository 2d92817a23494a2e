"""Who is asking: registered members only; an unknown user is told whom to ask, admins once."""

from __future__ import annotations

from bot import texts
from bot.context import Context

ADMIN_NOTICE_TTL = 7 * 24 * 3600


async def identify(ctx: Context) -> bool:
    msg = ctx.msg
    ctx.member = await ctx.repos.org.member_by_identity(msg.channel, msg.user_id)
    if ctx.member is not None and ctx.member.active:
        return True
    admins = await ctx.repos.org.admins()
    names = "（" + "、".join(a.name for a in admins[:3]) + "）" if admins else ""
    ctx.reply(texts.UNREGISTERED.format(admins=names, user_id=msg.user_id))
    first_time = await ctx.repos.org.note_unregistered(msg.channel, msg.user_id)
    if first_time:
        label = f"（{msg.display_name}）" if msg.display_name else ""
        notice = texts.UNREGISTERED_ADMIN_NOTICE.format(channel=msg.channel, user_id=msg.user_id, name=label)
        for admin in admins:
            for identity in await ctx.repos.org.identities_of(admin.id):
                if identity.channel != "console":
                    ctx.notify(identity.channel, identity.external_id, notice)
    ctx.member = None
    return False
