"""`inspector-bot digest [--date YYYY-MM-DD] [--dry-run] [--out DIR]`: build the daily digest now.
Without --dry-run it is posted to every bound group that has not had that day's digest yet (claimed
like the scheduled one, so it never doubles up); with --dry-run it is printed and each chart is
written to a PNG file whose path is printed. Exit status 2 on a bad date."""

from __future__ import annotations

import asyncio
import sys
from datetime import date, datetime
from pathlib import Path

import click

commands: list[click.Command] = []


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        click.echo(f"error: --date: {value!r} is not a date (YYYY-MM-DD)", err=True)
        sys.exit(2)


@click.command("digest")
@click.option("--date", "day_text", default=None, metavar="YYYY-MM-DD", help="the digest's day (default: today)")
@click.option("--dry-run", is_flag=True, help="print the digest and write the chart PNG; post nothing")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="where --dry-run writes the charts")
def digest(day_text: str | None, dry_run: bool, out_dir: Path) -> None:
    """Build the daily digest now: post it to the bound groups, or print it (--dry-run)."""
    from bot.cli import load_settings

    day = _parse_day(day_text)
    settings = load_settings()
    asyncio.run(_run(settings, day, dry_run, out_dir))


async def _run(settings, day: date | None, dry_run: bool, out_dir: Path) -> None:
    from bot.app import add_channel_adapters, build_app

    app = await build_app(settings)
    try:
        day = day or datetime.now(settings.tz).date()
        if dry_run:
            await _dry_run(app, day, out_dir)
            return
        add_channel_adapters(app)
        from bot.digest import post_digests

        result = await post_digests(app, day)
        click.echo(f"digest {day.isoformat()}: posted to {len(result.posted)} group(s), "
                   f"{len(result.skipped)} already had it")
    finally:
        await app.close()


async def _dry_run(app, day: date, out_dir: Path) -> None:
    from bot.digest import as_of, build, city_digest_preview
    from storage.repositories.progress import ProgressRepo

    cutoff = as_of(app, day).cutoff  # a past day: only what had happened by its end
    repos = app.core.repos()
    try:
        digests = []
        for binding in await repos.org.bindings():
            bureau = await repos.org.bureau_by_id(binding.bureau_id)
            previous = await ProgressRepo(repos.session).digest_before(binding.id, day)
            built = await build(repos, app.campaign, bureau, day, previous=previous.data if previous else None,
                                cutoff=cutoff)
            if built is not None:
                digests.append((f"{binding.channel}:{binding.title or binding.chat_id[:12]}", built))
        if not digests:
            digests.append(("(no group bound: the city digest)", await city_digest_preview(repos, app.campaign, day,
                                                                                           cutoff)))
    finally:
        await repos.session.close()
    for label, built in digests:
        path = out_dir / f"digest-{day.isoformat()}-b{built.bureau_id}.png"
        await asyncio.to_thread(built.render_chart, path)
        click.echo(f"== {label}")
        click.echo(built.text)
        click.echo(f"chart: {path.resolve()}")


commands.append(digest)
