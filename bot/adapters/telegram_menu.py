"""The command menus Telegram shows next to the input field (setMyCommands), per role and scope:
every private chat gets the inspector's commands; a supervisor's or admin's own chat also the
review commands; group chats only the commands that work there (with privacy mode on, a bot sees
only /commands in a group). Set when the bot starts (`serve`, `inspector-bot telegram`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot import policy, texts

if TYPE_CHECKING:
    from bot.adapters.telegram import TelegramAdapter

log = logging.getLogger(__name__)

INSPECTOR = ("inspect", "mine", "resume", "progress", "help")
OVERSEER = ("inspect", "mine", "resume", "pending", "review", "progress", "report", "help")
GROUP = ("progress", "city", "bind", "help")


def commands(names: tuple[str, ...], scope: str) -> list[BotCommand]:
    return [BotCommand(name, texts.TG_COMMANDS[scope].get(name) or texts.TG_COMMANDS["private"][name])
            for name in names]


async def set_command_menus(adapter: "TelegramAdapter") -> int:
    """Register the menus; the number of setMyCommands calls that succeeded (errors are logged:
    a menu is a convenience, the commands work without it)."""
    try:
        bot = await adapter.ready()
    except TelegramError as exc:  # Telegram unreachable at start: the bot works without menus
        log.warning("command menus not set: %r", exc)
        return 0
    menus = [(commands(INSPECTOR, "private"), BotCommandScopeAllPrivateChats()),
             (commands(GROUP, "group"), BotCommandScopeAllGroupChats())]
    repos = adapter.core.repos()
    try:
        people = await repos.org.roles_on("telegram")
    finally:
        await repos.session.close()
    overseer = commands(OVERSEER, "private")
    for user_id, role in people:
        if role in policy.OVERSEER_ROLES and user_id.lstrip("-").isdigit():
            menus.append((overseer, BotCommandScopeChat(int(user_id))))
    done = 0
    for menu, scope in menus:
        try:
            await bot.set_my_commands(menu, scope=scope)
            done += 1
        except TelegramError as exc:  # e.g. a chat the bot was never started in
            log.warning("setMyCommands for %s failed: %r", scope.type, exc)
    return done
