"""The outbox half of the core: sending replies in order, waiting while a platform is down or
rate-limiting, taking back what a dead process was sending, and giving up only after hours.

A mixin of `bot.core.Core` (which supplies `repos`, `adapters`, `clock`): the replies are committed
with the changes that caused them; this is what happens to them after the commit.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot import metrics, texts
from bot.adapters.base import Parts, RetryLater, Undeliverable
from bot.messages import Text, UnsupportedOutgoing, outgoing_from_json, outgoing_to_json
from bot.redact import error_text
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.adapters.base import Adapter
    from storage.repositories import Repos

log = logging.getLogger("bot.core")  # the same logger as the rest of the core: operators grep it

# Never deliverable: marked failed at once, so the chat's later replies go on.
PERMANENT = (Undeliverable, UnsupportedOutgoing, FileNotFoundError)
PARTS_SENT = "_parts_sent"  # in an outbox payload: how many parts of it went out before a failure
RETRY_FIRST, RETRY_MAX = 5.0, 600.0  # delivery back-off: 5 s doubling to 10 min
CLAIM_TIMEOUT = 10.0  # seconds a claimed reply may take to send before another process takes it back
GIVE_UP_HOURS = 24.0  # a reply still unsent after that is marked failed, counted and reported


class Delivery:
    adapters: dict[str, "Adapter"]
    claim_timeout: float = CLAIM_TIMEOUT
    retry_first: float = RETRY_FIRST
    retry_max: float = RETRY_MAX
    give_up_hours: float = GIVE_UP_HOURS
    _given_up_pending: int = 0

    def repos(self) -> "Repos":
        raise NotImplementedError

    async def deliver(self, channel: str | None = None, chat_id: str | None = None) -> int:
        """Send pending replies in order. A reply that fails waits (as long as the platform asked,
        else a growing back-off) and the later replies of its chat wait behind it; one another
        process is sending holds its chat the same way. Claimed in one statement (two processes
        never send the same reply) and marked in one: two commits per pass, however many replies."""
        repos = self.repos()
        now = utcnow()
        try:
            blockers = await repos.outbox.blocked(now, channel=channel, chat_id=chat_id)
            if blockers and await repos.outbox.release_stale(now - timedelta(seconds=self.claim_timeout)):
                # a process died while sending: its replies go first again, then the chat's later ones
                await repos.commit()
                blockers = await repos.outbox.blocked(now, channel=channel, chat_id=chat_id)
            rows = [row for row in await repos.outbox.pending(channel=channel, chat_id=chat_id, now=now)
                    if row.channel in self.adapters and self.adapters[row.channel].serves(row.chat_id)
                    and row.id < blockers.get((row.channel, row.chat_id), row.id + 1)]
            if not rows:
                return 0
            claimed = await repos.outbox.claim_many([row.id for row in rows])
            await repos.commit()
            sent: list[int] = []
            untried: list[int] = []
            blocked: set[tuple[str, str]] = set()  # a chat whose earlier reply failed: keep the order
            for row in (r for r in rows if r.id in claimed):
                target = (row.channel, row.chat_id)
                if target in blocked:
                    untried.append(row.id)
                    continue
                payload = dict(row.payload)
                parts = Parts(payload.pop(PARTS_SENT, 0))
                token = Parts.current.set(parts)
                try:
                    await self.adapters[row.channel].send(row.chat_id, outgoing_from_json(payload))
                except PERMANENT as exc:  # never deliverable: recorded, reported, the chat goes on
                    log.error("outbox %s to %s:%s cannot be delivered: %s", row.id, row.channel, row.chat_id,
                              error_text(exc))
                    metrics.SENT.labels(row.channel, "failed").inc()
                    await repos.outbox.mark(row.id, "failed", error_text(exc))
                except Exception as exc:  # noqa: BLE001 - kept and tried again, never dropped
                    if parts.sent:  # the parts that went out are not sent again
                        await repos.outbox.set_payload(row.id, {**payload, PARTS_SENT: parts.sent})
                    wait = self._retry_wait(row.attempts, exc)
                    log.warning("delivery of outbox %s failed (attempt %s; again in %.1f s): %s",
                                row.id, row.attempts + 1, wait, error_text(exc))
                    metrics.SENT.labels(row.channel, "retry").inc()
                    blocked.add(target)
                    await repos.outbox.retry_later(row.id, now + timedelta(seconds=wait), error_text(exc))
                else:
                    metrics.SENT.labels(row.channel, "ok").inc()
                    sent.append(row.id)
                finally:
                    Parts.current.reset(token)
            await repos.outbox.mark_sent(sent)
            await repos.outbox.unclaim(untried)
            await repos.commit()
            return len(sent)
        finally:
            await repos.session.close()

    def _retry_wait(self, attempts: int, exc: Exception) -> float:
        """Seconds before the next try: what the platform asked for, else 5 s doubling to 10 min;
        never less than 0.2 s."""
        if isinstance(exc, RetryLater):
            wait = exc.seconds
        else:
            wait = min(self.retry_first * 2 ** attempts, self.retry_max)
        return max(wait, 0.2)

    async def _tell_admins_given_up(self) -> None:
        if not self._given_up_pending:
            return
        count, self._given_up_pending = self._given_up_pending, 0
        repos = self.repos()
        try:
            for admin in await repos.org.admins():
                for identity in admin.identities:
                    repos.outbox.add(identity.channel, identity.external_id, outgoing_to_json(
                        Text(texts.REPLIES_GIVEN_UP.format(n=count, hours=self.give_up_hours))))
            await repos.commit()
        finally:
            await repos.session.close()

    def _report_given_up(self, repos: Repos, rows: list) -> None:
        """Counted in /metrics and logged; the admins are told in the chat (their own replies too
        may be stuck: the log line and the metric are what an operator watches)."""
        for row in rows:
            metrics.GIVEN_UP.labels(row.channel).inc()
            log.error("outbox %s to %s:%s given up after %s tries over %s h: %s", row.id, row.channel,
                      row.chat_id, row.attempts, self.give_up_hours, row.error)
        self._given_up_pending += len(rows)
