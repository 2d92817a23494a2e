"""`inspector-bot media ...`: the evidence store. Registered by bot.cli.

- `media migrate [--from DIR] [--delete-local]`: move a directory of evidence (default MEDIA_DIR)
  into the object store of MEDIA_URL, verifying every hash (bot.media_migrate). Resumable: run it
  again after an interruption; a second run moves nothing.
- `media cleanup`: remove generated documents older than DOCUMENT_RETENTION_DAYS now (`serve` does
  it every hour).

Exit status 0 on success, 1 when a file failed or the store is unreachable, 2 on bad arguments.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot import texts


def _fail(message: str, status: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


@click.group("media")
def media() -> None:
    """The evidence store: move local evidence into object storage, remove old documents."""


@media.command("migrate")
@click.option("--from", "source", type=click.Path(path_type=Path), default=None,
              help="directory of evidence (default: INSPECTOR_BOT_MEDIA_DIR)")
@click.option("--delete-local", is_flag=True, help="delete each local file once its stored copy is verified")
def migrate(source: Path | None, delete_local: bool) -> None:
    """Move local evidence into the object store of INSPECTOR_BOT_MEDIA_URL, verified by hash."""
    from bot.cli import load_settings
    from bot.media import StoreUnavailable, evidence_store
    from bot.media_migrate import migrate as run_migration

    settings = load_settings()
    if not settings.media_url:
        _fail("INSPECTOR_BOT_MEDIA_URL is not set: there is no object store to move the evidence to")
    source = source or settings.media_dir
    if not source.is_dir():
        _fail(f"--from: {source} is not a directory")

    async def run():
        store = evidence_store(settings)
        try:
            await store.ping()
            return await run_migration(source, store.objects, delete_local=delete_local)
        finally:
            await store.close()

    try:
        report = asyncio.run(run())
    except StoreUnavailable as exc:
        _fail(f"the object store {settings.media_url} is unreachable: {exc}", 1)
    for key, why in report.failed:
        click.echo(f"failed: {key}: {why}", err=True)
    click.echo(texts.MEDIA_MIGRATED.format(moved=len(report.moved), present=len(report.present),
                                           skipped=len(report.skipped), failed=len(report.failed)))
    if report.removed:
        click.echo(texts.MEDIA_MIGRATED_REMOVED.format(n=report.removed))
    sys.exit(0 if report.ok else 1)


@media.command("cleanup")
def cleanup() -> None:
    """Remove generated documents older than INSPECTOR_BOT_DOCUMENT_RETENTION_DAYS now."""
    from bot.cli import load_settings
    from bot.media import StoreUnavailable, evidence_store

    settings = load_settings()
    days = settings.document_retention_days
    if not days:
        click.echo(texts.MEDIA_CLEANED.format(days="∞", n=0))
        return

    async def run() -> int:
        from datetime import datetime, timedelta, timezone

        store = evidence_store(settings)
        try:
            return await store.remove_generated(datetime.now(timezone.utc) - timedelta(days=days))
        finally:
            await store.close()

    try:
        removed = asyncio.run(run())
    except StoreUnavailable as exc:
        _fail(f"the evidence store is unreachable: {exc}", 1)
    click.echo(texts.MEDIA_CLEANED.format(days=days, n=removed))


commands: list[click.Command] = [media]
