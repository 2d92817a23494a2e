"""The `inspector-bot` command. Exit status 0 on success, 2 on bad arguments or bad input files."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import click
from pydantic import ValidationError

from bot import texts
from bot.campaign import CampaignError, format_validation_error, load_campaign
from bot.config import Settings

BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(BAD_INPUT)


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        _fail(f"settings: {format_validation_error(exc)}")
    try:
        load_campaign(settings.campaign_file)
    except CampaignError as exc:
        _fail(str(exc))
    return settings


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="log debug output")
def main(verbose: bool) -> None:
    """inspector-bot: the 回头看 inspection assistant."""
    from bot import logs

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logs.install_redaction()  # tokens and secrets never reach a log line, whatever the command


# ---- chat (console channel)
@main.command()
@click.option("--user", "user_id", required=True, help="console user id (registered on first use)")
@click.option("--bureau", default=None, help="bureau name or short name, e.g. 泽州县")
@click.option("--role", type=click.Choice(["inspector", "supervisor", "admin"]), default=None)
@click.option("--name", default=None, help="display name (default: the user id)")
def chat(user_id: str, bureau: str | None, role: str | None, name: str | None) -> None:
    """Chat with the bot in the terminal; reads piped stdin too."""
    settings = load_settings()
    asyncio.run(_chat(settings, user_id, bureau, role, name))


async def _chat(settings: Settings, user_id: str, bureau: str | None, role: str | None, name: str | None) -> None:
    from bot.adapters.console import ConsoleAdapter
    from bot.app import build_app
    from bot.console_session import ensure_console_member

    app = await build_app(settings)
    try:
        try:
            note = await ensure_console_member(app, user_id, bureau, role, name)
        except LookupError as exc:
            _fail(str(exc))
        console = ConsoleAdapter(user=user_id)
        app.core.add_adapter(console)
        if note:
            click.echo(note)
        await app.core.recover()
        interactive = sys.stdin.isatty()
        loop = asyncio.get_running_loop()
        while True:
            if interactive:
                click.echo("> ", nl=False)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            if not line.strip() and not interactive:
                continue  # a script's blank lines; typed at the prompt, an empty line is answered
            parsed = console.parse(line, user_id)
            if isinstance(parsed, str):
                click.echo(parsed)
                continue
            await app.core.handle_now(parsed)
    finally:
        await app.close()


# ---- db
@main.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations (also done on every start)."""
    settings = load_settings()

    async def run() -> None:
        from storage import db

        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    click.echo("database is up to date")


# ---- org
@main.group("org")
def org_group() -> None:
    """Organisation: bureaus, members, group bindings."""


@org_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def org_import(file: Path) -> None:
    """Upsert bureaus, members, roles, channel ids and group bindings from YAML (idempotent)."""
    from bot.org_import import OrgError, read_org_file

    settings = load_settings()
    try:
        org = read_org_file(file)
    except OrgError as exc:
        _fail(str(exc))

    async def run() -> dict[str, int]:
        from bot.app import build_app
        from bot.org_import import import_org

        app = await build_app(settings)
        repos = app.core.repos()
        try:
            counts = await import_org(repos, org, file)
            await repos.commit()
            return counts
        except BaseException:
            await repos.rollback()
            raise
        finally:
            await repos.session.close()
            await app.close()

    try:
        counts = asyncio.run(run())
    except OrgError as exc:
        _fail(str(exc))
    click.echo(texts.ORG_IMPORTED.format(**counts))


# ---- serve
@main.command()
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """HTTP server: WeCom callback, Telegram webhook, health; runs the digest scheduler."""
    import uvicorn

    from bot.http import create_http_app

    from bot import logs

    settings = load_settings()
    logs.configure()
    uvicorn.run(create_http_app(settings), host=host, port=port, log_config=None,
                timeout_graceful_shutdown=30)


# Commands contributed by the channel and report modules (each exposes a `commands` list).
def _add_contributed_commands() -> None:
    from bot import cli_digest, cli_export, cli_media
    from bot.adapters import telegram_cli, wecom_cli  # channel commands live with their adapters

    for module in (telegram_cli, wecom_cli, cli_digest, cli_export, cli_media):
        for command in module.commands:
            main.add_command(command)


_add_contributed_commands()

if __name__ == "__main__":
    main()
