"""`inspector-bot` commands of the wecom area; registered by bot.cli.

`inspector-bot wecom menu` installs the app menu: its click keys are handlers.root.MENU_KEYS, so a
tap on 开始检查 is handled exactly like the typed word."""

from __future__ import annotations

import sys

import click

from bot import texts
from bot.redact import redact

BAD_INPUT = 2

commands: list[click.Command] = []


def app_menu() -> dict:
    """WeCom allows three top-level buttons: the two used most, and the rest under 更多."""
    from handlers.root import MENU_KEYS

    buttons = [{"type": "click", "name": label, "key": key} for key, label in MENU_KEYS.items()]
    if len(buttons) <= 3:
        return {"button": buttons}
    return {"button": buttons[:2] + [{"name": texts.WECOM_MENU_MORE, "sub_button": buttons[2:7]}]}


@click.group("wecom")
def wecom_group() -> None:
    """WeCom (企业微信 / 政务微信) app maintenance."""


@wecom_group.command("menu")
def menu() -> None:
    """Install the app menu (开始检查 / 我的检查 / 进度 / 帮助)."""
    from wechatpy.exceptions import WeChatClientException

    from bot.adapters.wecom import make_api
    from bot.cli import load_settings
    from handlers.root import MENU_KEYS

    settings = load_settings()
    if not settings.wecom_enabled or not settings.wecom_agent_id.strip().isdigit():
        click.echo(f"error: {texts.WECOM_NOT_CONFIGURED}", err=True)
        sys.exit(BAD_INPUT)
    api = make_api(settings)
    try:
        api.create_menu(app_menu())
    except (WeChatClientException, OSError) as exc:
        click.echo(f"error: {texts.WECOM_MENU_FAILED.format(error=redact(str(exc)))}", err=True)
        sys.exit(1)
    finally:
        api.close()
    click.echo(texts.WECOM_MENU_INSTALLED.format(agent_id=settings.wecom_agent_id,
                                                 labels="、".join(MENU_KEYS.values())))


commands.append(wecom_group)
