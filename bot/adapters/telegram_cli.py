"""`inspector-bot telegram`: the Telegram channel by long polling; `telegram set-webhook URL`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

import click

BAD_INPUT = 2


def _settings():
    from bot.cli import load_settings

    settings = load_settings()
    if not settings.telegram_token:
        click.echo("error: INSPECTOR_BOT_TELEGRAM_TOKEN is not set (the bot token from @BotFather)", err=True)
        sys.exit(BAD_INPUT)
    return settings


@click.group("telegram", invoke_without_command=True)
@click.option("--jobs/--no-jobs", default=True, show_default=True,
              help="also run the scheduled jobs (daily digest); use --no-jobs when `serve` runs them")
@click.pass_context
def telegram(ctx: click.Context, jobs: bool) -> None:
    """Telegram by long polling (getUpdates); Ctrl-C stops it."""
    if ctx.invoked_subcommand is not None:
        return
    from telegram.error import InvalidToken

    settings = _settings()
    try:
        asyncio.run(_poll(settings, jobs))
    except KeyboardInterrupt:
        pass
    except InvalidToken:
        click.echo("error: Telegram rejected INSPECTOR_BOT_TELEGRAM_TOKEN", err=True)
        sys.exit(BAD_INPUT)
    click.echo("telegram polling stopped")


async def _poll(settings, jobs: bool) -> None:
    from bot.adapters.telegram_polling import poll
    from bot.app import add_channel_adapters, build_app

    app = await build_app(settings)
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, main.cancel)
    tasks = []
    try:
        add_channel_adapters(app)  # Telegram, and WeCom when set: notices and digests go out from here too
        adapter = app.core.adapters["telegram"]
        from bot.adapters.telegram_menu import set_command_menus

        await set_command_menus(adapter)  # the command menus per role (setMyCommands)
        tasks.append(app.core.spawn(app.core.maintain()))
        if jobs:
            tasks += [app.core.spawn(job()) for job in app.background]
        click.echo("telegram polling started (Ctrl-C to stop)")
        await poll(adapter)
    except asyncio.CancelledError:
        pass
    finally:
        for task in tasks:
            task.cancel()
        await app.core.drain(timeout=20)
        await app.close()


@telegram.command("set-webhook")
@click.argument("url")
def set_webhook(url: str) -> None:
    """Register URL (https://HOST/telegram/webhook) with TELEGRAM_WEBHOOK_SECRET."""
    settings = _settings()
    if not settings.telegram_webhook_secret:
        click.echo("error: INSPECTOR_BOT_TELEGRAM_WEBHOOK_SECRET is not set", err=True)
        sys.exit(BAD_INPUT)
    if not url.startswith("https://"):
        click.echo("error: Telegram only calls https:// webhook URLs", err=True)
        sys.exit(BAD_INPUT)

    async def run() -> bool:
        from bot.adapters.telegram import TelegramAdapter, register_webhook

        adapter = TelegramAdapter(settings, core=None)  # type: ignore[arg-type] - no messages handled here
        try:
            return await register_webhook(settings, adapter, url)
        finally:
            await adapter.close()

    if not asyncio.run(run()):
        click.echo("error: setWebhook failed (see the log above)", err=True)
        sys.exit(1)
    click.echo(f"webhook set: {url}")


commands: list[click.Command] = [telegram]
