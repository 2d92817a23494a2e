"""First use of the console channel: the user is registered with the bureau and role given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import texts

if TYPE_CHECKING:
    from bot.app import App

CHANNEL = "console"


async def ensure_console_member(app: "App", user_id: str, bureau_name: str | None, role: str | None,
                                name: str | None) -> str:
    """Register the console user on first use; a note for the terminal, or '' if known already."""
    repos = app.core.repos()
    try:
        member = await repos.org.member_by_identity(CHANNEL, user_id)
        if member is not None:
            return ""
        if bureau_name:
            bureau = await repos.org.bureau(bureau_name)
            if bureau is None:
                names = "、".join(b.short_name for b in await repos.org.bureaus())
                raise LookupError(f"unknown bureau {bureau_name!r}; known: {names}")
        else:
            bureau = next(b for b in await repos.org.bureaus() if b.level == "county")
        member = await repos.org.add_member(name or user_id, bureau, role or "inspector")
        await repos.org.link_identity(member, CHANNEL, user_id)
        await repos.commit()
        return texts.CONSOLE_REGISTERED.format(name=member.name, bureau=bureau.short_name,
                                               role=texts.ROLE_NAMES[member.role])
    finally:
        await repos.session.close()
