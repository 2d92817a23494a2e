"""Jobs a server runs on a clock; `serve` (and `telegram`) start them.

Once a day, at DIGEST_TIME in TIMEZONE or at the first check after it (a server that was down at
that time catches up when it starts, the same day):
- the daily digest to every bound group, from the first day of the period through the report
  deadline; after the deadline, once, the final tally instead;
- reminders: drafts untouched for a day, bureaus behind pace near the end of the period
  (bot.progress_reminders), and the rectification-order reminders (bot.enforcement_jobs).
Every send is claimed in the database first, so several processes running this loop send once.

Every hour: generated documents older than DOCUMENT_RETENTION_DAYS are removed from the evidence
store (`remove_old_documents`; removing twice is harmless, so every process may do it).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Awaitable, Callable

from bot.digest import post_digests
from bot.enforcement_jobs import send_order_reminders
from bot.progress_reminders import send_progress_reminders

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

CHECK_EVERY = 60.0  # seconds between checks of the clock
CLEANUP_EVERY = 3600.0  # seconds between removals of old generated documents


def background_jobs(app: "App") -> list[Callable[[], Awaitable[None]]]:
    """Coroutine functions to run for the life of the server."""
    done: set[date] = set()

    async def daily_jobs() -> None:
        while True:
            try:
                await tick(app, done)
            except Exception:  # noqa: BLE001 - the database may be restarting; try again later
                log.warning("daily jobs failed; retrying", exc_info=True)
            await asyncio.sleep(CHECK_EVERY)

    async def document_cleanup() -> None:
        while True:
            try:
                await remove_old_documents(app)
            except Exception:  # noqa: BLE001 - the store may be unreachable; try again later
                log.warning("document cleanup failed; retrying", exc_info=True)
            await asyncio.sleep(CLEANUP_EVERY)

    return [daily_jobs] + ([document_cleanup] if app.settings.document_retention_days else [])


async def remove_old_documents(app: "App", now: datetime | None = None) -> int:
    """Generated documents past DOCUMENT_RETENTION_DAYS out of the store (evidence stays). Real
    time, not the app's clock: the store dates its objects by the wall clock."""
    days = app.settings.document_retention_days
    if not days:
        return 0
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    removed = await app.core.media.remove_generated(cutoff)
    if removed:
        log.info("removed %d generated documents older than %s", removed, cutoff.isoformat())
    return removed


async def tick(app: "App", done: set[date] | None = None) -> bool:
    """Run today's jobs if it is past DIGEST_TIME and they have not run in this process yet
    (other processes are kept off by the claims). True if they ran."""
    now = app.core.clock().astimezone(app.settings.tz)
    today = now.date()
    if now.time() < app.settings.digest_time or (done is not None and today in done):
        return False
    campaign = app.campaign
    if campaign.period.start <= today <= campaign.report_deadline:
        await post_digests(app, today)
    elif today > campaign.report_deadline:
        await post_digests(app, today, final=True)
    await send_progress_reminders(app, now)
    await send_order_reminders(app, today)
    if done is not None:
        done.add(today)
    return True
