"""Reminders about progress: to an inspector whose draft has not been touched for a day, and, in the
last days of the period, to bureaus behind pace (their bound groups, else their supervisors).

Each reminder is recorded in the audit log (the database is the record of what was sent) and the
pass runs under a lock in the state store, so several server processes send each one once."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot import texts
from bot.messages import Text, outgoing_to_json
from bot.progress import RUNNING, compute, Timeline
from bot.progress_text import number
from storage.repositories.progress import ProgressRepo
from storage.state import LockTimeout

if TYPE_CHECKING:
    from bot.app import App
    from storage.repositories import Repos

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=1)
# Days before the end of the period at which bureaus behind pace are reminded (once each).
BEHIND_THRESHOLDS = (7, 3)
LOCK = "progress-reminders"


async def send_progress_reminders(app: "App", now: datetime) -> int:
    """Queue and deliver the reminders due at `now`; how many were queued (0 if another process
    holds the lock: it is sending them)."""
    try:
        async with app.state.lock(LOCK, ttl=120, wait=1):
            repos = app.core.repos()
            try:
                queued = await _stale_drafts(repos, app, now)
                queued += await _behind_pace(repos, app, now.date())
                await repos.commit()
            except BaseException:
                await repos.rollback()
                raise
            finally:
                await repos.session.close()
    except LockTimeout:
        return 0
    if queued:
        await app.core.deliver()
    return queued


async def _stale_drafts(repos: "Repos", app: "App", now: datetime) -> int:
    progress = ProgressRepo(repos.session)
    queued = 0
    for iid, creator, name, day, updated in await progress.stale_drafts(app.campaign.id, now - STALE_AFTER):
        what = f"stale_draft:{updated.strftime('%Y-%m-%dT%H:%M:%S')}"  # touched again: reminded again
        if await progress.reminded("inspection", iid, what):
            continue
        text = texts.PG_REMIND_STALE_DRAFT.format(id=iid, name=name, date=day.isoformat())
        for identity in await repos.org.identities_of(creator):
            repos.outbox.add(identity.channel, identity.external_id, outgoing_to_json(Text(text)))
        progress.record_reminder("inspection", iid, what)
        queued += 1
    return queued


def behind_threshold(timeline: Timeline) -> int | None:
    """The reminder threshold today falls under (days left ≤ it), or None."""
    if timeline.phase != RUNNING:
        return None
    applicable = [t for t in BEHIND_THRESHOLDS if timeline.days_left <= t]
    return min(applicable) if applicable else None


async def _behind_pace(repos: "Repos", app: "App", today: date) -> int:
    campaign = app.campaign
    threshold = behind_threshold(Timeline.of(campaign, today))
    if threshold is None:
        return 0
    progress = ProgressRepo(repos.session)
    bindings = await repos.org.bindings()
    queued = 0
    for p in await compute(repos, campaign, today):
        what = f"behind:{campaign.id}:{threshold}"
        if not p.behind or await progress.reminded("bureau", p.bureau_id, what):
            continue
        text = texts.PG_REMIND_BEHIND.format(name=p.short, done=p.figures.enterprises, quota=p.quota,
                                             days=p.timeline.days_left, pace=number(p.pace or 0))
        targets = [(b.channel, b.chat_id) for b in bindings if b.bureau_id == p.bureau_id]
        if not targets:
            for member in await progress.supervisors(p.bureau_id):
                targets += [(i.channel, i.external_id) for i in await repos.org.identities_of(member.id)]
        for channel, chat_id in targets:
            repos.outbox.add(channel, chat_id, outgoing_to_json(Text(text)))
        progress.record_reminder("bureau", p.bureau_id, what)
        queued += 1
    return queued
