"""The daily digest: to every group bound to a bureau, that bureau's progress (the city group: every
bureau side by side), what changed since the last digest, who is behind pace, and a PNG chart.

Exactly once per group and day, however many server processes run: each group's digest is claimed
by inserting its DigestLog row (unique binding + day) in the same transaction that queues the
messages in the outbox. A second process blocks on that insert until the first commits, then finds
the row and skips; a crash before the commit leaves neither claim nor messages, so the next pass
(the same day) sends it. The outbox then delivers, with retries.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot import texts
from bot.chart import Bar, render
from bot.counting import AsOf
from bot.messages import Image, Text, outgoing_to_json
from bot.progress import RUNNING, BureauProgress, CityProgress, Timeline, city, compute, open_flags
from bot.progress_text import bureau_block, city_block, flag_lines
from storage.models import GroupBinding
from storage.repositories.progress import ProgressRepo

if TYPE_CHECKING:
    from bot.app import App
    from bot.campaign import Campaign
    from storage.models import Bureau
    from storage.repositories import Repos

log = logging.getLogger(__name__)


@dataclass
class Digest:
    bureau_id: int
    name: str  # bureau short name, or 全市
    text: str
    bars: list[Bar]
    chart_title: str
    data: dict = field(default_factory=dict)

    def render_chart(self, path: Path) -> Path:
        return render(self.bars, self.chart_title, path)


@dataclass
class PostResult:
    posted: list[int] = field(default_factory=list)  # binding ids
    skipped: list[int] = field(default_factory=list)  # claimed already (another process, or earlier)


def final_day(campaign: "Campaign") -> date:
    """The day the final tally is filed under (its DigestLog row): the day after the deadline."""
    return campaign.report_deadline + timedelta(days=1)


async def build(repos: "Repos", campaign: "Campaign", bureau: "Bureau", day: date, *,
                previous: dict | None = None, final: bool = False, cutoff: datetime | None = None) -> Digest | None:
    """The digest for a group bound to `bureau`, as of `day` (with `cutoff` for a past day, see
    bot.counting.AsOf); None if the campaign gives that bureau no quota."""
    if bureau.name not in {b.name for b in campaign.bureaus}:
        return None
    timeline = Timeline.of(campaign, day)
    if bureau.level == "city":
        progress = await city(repos, campaign, day, cutoff)
        name, body, rows = texts.PG_CITY_NAME, city_block(progress, head=False), progress.bureaus
        since, flags = _city_since(progress, previous), []  # the city: flags counted per bureau in the body
    else:
        rows = await compute(repos, campaign, day, bureau_ids=[bureau.id], cutoff=cutoff)
        name, body = bureau.short_name, bureau_block(rows[0], head=False)
        since, flags = _since(rows[0], previous), flag_lines(await open_flags(repos, campaign, bureau.id))
    head = (texts.PG_DIGEST_FINAL_HEAD.format(name=name, deadline=campaign.report_deadline.isoformat()) if final
            else texts.PG_DIGEST_HEAD.format(name=name, day=day.isoformat()))
    lines = [head, *body] + ([] if final else [since]) + flags
    data = {"day": day.isoformat(), "final": final,
            "bureaus": {str(b.bureau_id): b.summary() for b in rows}}
    title = texts.PG_CHART_TITLE.format(name=name, day=day.isoformat())
    return Digest(bureau.id, name, "\n".join(lines), chart_bars(rows, timeline), title, data)


def chart_bars(rows: list[BureauProgress], timeline: Timeline) -> list[Bar]:
    running = timeline.phase == RUNNING
    return [Bar(b.short, b.figures.by_industry, b.quota, b.expected if running else None, b.figures.cases,
                b.case_quota) for b in rows]


def _deltas(now: dict, before: dict) -> list[tuple[str, int]]:
    return [(key, now[key] - before.get(key, 0)) for key in texts.PG_DIGEST_WHAT if now[key] != before.get(key, 0)]


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def _since(p: BureauProgress, previous: dict | None) -> str:
    if not previous:
        return texts.PG_DIGEST_FIRST
    day = previous["day"]
    before = previous.get("bureaus", {}).get(str(p.bureau_id), {})
    changes = _deltas(p.summary(), before)
    if not changes:
        return texts.PG_DIGEST_SINCE_NONE.format(day=day)
    parts = "，".join(f"{texts.PG_DIGEST_WHAT[k]} {_signed(n)}" for k, n in changes)
    return texts.PG_DIGEST_SINCE.format(day=day, parts=parts)


def _city_since(c: CityProgress, previous: dict | None) -> str:
    if not previous:
        return texts.PG_DIGEST_FIRST
    day = previous["day"]
    before = previous.get("bureaus", {})
    changes = [(b.short, b.figures.enterprises - before.get(str(b.bureau_id), {}).get("enterprises", 0))
               for b in c.bureaus]
    changes = [(name, n) for name, n in changes if n]
    if not changes:
        return texts.PG_DIGEST_SINCE_NONE.format(day=day)
    return texts.PG_DIGEST_CITY_SINCE.format(day=day, parts="、".join(f"{n} {_signed(d)}" for n, d in changes))


async def chart_ref(app: "App", digest: "Digest", day: date, binding_id: int) -> str:
    """The chart, drawn on this host's disk and put in the evidence store (digests/...), so that any
    process can send it; its reference for the outgoing Image."""
    name = f"{day.isoformat()}-g{binding_id}.png"
    async with app.core.media.scratch() as tmp:
        path = await asyncio.to_thread(digest.render_chart, tmp / name)
        return await app.core.media.put_document(name, path, folder="digests")


async def post_digests(app: "App", day: date, *, final: bool = False) -> PostResult:
    """Claim, build and queue the digest of every bound group for `day` (the final tally with
    `final`, filed under the day after the deadline), then deliver. Groups claimed already are skipped."""
    claim_day = final_day(app.campaign) if final else day
    cutoff = as_of(app, day).cutoff
    result = PostResult()
    repos = app.core.repos()
    try:
        bindings = await repos.org.bindings()
    finally:
        await repos.session.close()
    for binding in bindings:
        posted = await _post_one(app, binding.id, claim_day, day, final, cutoff)
        (result.posted if posted else result.skipped).append(binding.id)
    if result.posted:
        await app.core.deliver()
    log.info("digest %s: posted to %s, skipped %s", claim_day, result.posted, result.skipped)
    return result


def as_of(app: "App", day: date) -> AsOf:
    """A digest for `day` counts what had happened by its end (bot.counting)."""
    return AsOf.of(day, app.core.clock().astimezone(app.settings.tz))


async def _post_one(app: "App", binding_id: int, claim_day: date, day: date, final: bool,
                    cutoff: datetime | None = None) -> bool:
    repos = app.core.repos()
    try:
        progress = ProgressRepo(repos.session)
        binding = await repos.session.get(GroupBinding, binding_id)
        bureau = await repos.org.bureau_by_id(binding.bureau_id) if binding else None
        if bureau is None:
            return False
        if await progress.digest_claimed(binding.id, claim_day):  # the common case: no failed insert
            return False
        claim = await progress.claim_digest(binding.id, claim_day)
        if claim is None:
            await repos.rollback()
            return False
        previous = await progress.digest_before(binding.id, claim_day)
        digest = await build(repos, app.campaign, bureau, day, previous=previous.data if previous else None,
                             final=final, cutoff=cutoff)
        if digest is None:
            await repos.rollback()
            return False
        chart = await chart_ref(app, digest, claim_day, binding.id)
        caption = texts.PG_DIGEST_CHART_CAPTION.format(name=digest.name, day=day.isoformat())
        repos.outbox.add(binding.channel, binding.chat_id, outgoing_to_json(Text(digest.text)))
        repos.outbox.add(binding.channel, binding.chat_id, outgoing_to_json(Image(chart, caption)))
        progress.mark_digest_sent(claim, digest.data)
        await repos.commit()
        return True
    except BaseException:
        await repos.rollback()
        raise
    finally:
        await repos.session.close()


async def city_digest_preview(repos: "Repos", campaign: "Campaign", day: date,
                              cutoff: datetime | None = None) -> Digest:
    """The city group's digest, for `inspector-bot digest --dry-run` when no group is bound."""
    bureaus = await repos.org.bureaus()
    city_bureau = next(b for b in bureaus if b.level == "city")
    digest = await build(repos, campaign, city_bureau, day, cutoff=cutoff)
    assert digest is not None
    return digest

