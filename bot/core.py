"""The channel-neutral runtime.

An adapter hands every platform message to `Core.receive`, which commits it to the inbox (the
unique key turns platform retries into no-ops) before the adapter acknowledges it. `Core.process`
then drains that user's pending messages in arrival order under a per-user lock held in the state
store, so a user's messages run one at a time even across server processes while different users
run in parallel. Each message is handled in one database transaction together with its replies
(the outbox); replies are delivered after the commit. A message whose handling failed is marked
so and the user is told it was not processed; one interrupted by a crash is still pending and is
handled after the restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Awaitable, Callable

from sqlalchemy.exc import DBAPIError

from bot import logs, metrics, texts
from bot.context import Context
from bot.delivery import Delivery
from bot.intake import InboxWriter
from bot.redact import error_text
from bot.messages import (
    Incoming, Kind, Media, Outgoing, PressResult, Text, outgoing_to_json,
)
from storage.models import utcnow
from storage.repositories import Repos
from storage.state import Held, LockTimeout, StateKey, StateStore

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from bot.adapters.base import Adapter
    from bot.campaign import Campaign
    from bot.media import EvidenceStore

log = logging.getLogger(__name__)

DEFAULT_ORDER_WINDOW = 0.3  # seconds; settings: ORDER_WINDOW_MS
USER_LOCK_TTL = 3.0  # seconds; extended every third of it while held (storage/state.py)
DEGRADED_QUIET = 1800.0  # seconds: the Redis-down notice is said again only after this long
DEFAULT_HANDLING_SLOTS = 4  # users handled at once by one process; settings: HANDLING_SLOTS
# What a late message is not applied for: anything that answers or commands. Photos, files and
# places are kept (on the step the user is at), never dropped.
LATE_REFUSED = {Kind.TEXT, Kind.COMMAND, Kind.CHOICE, Kind.EVENT}
Handler = Callable[[Context], Awaitable[None]]


def user_key(msg: Incoming) -> str:
    return f"{msg.channel}:{msg.chat_id}:{msg.user_id}"


def dedupe_key(msg: Incoming) -> str:
    return msg.msg_id


def _quote(msg: Incoming) -> str:
    text = (msg.text or msg.data or "").strip().replace("\n", " ")
    return text if len(text) <= 20 else text[:19] + "…"


class Core(Delivery):
    def __init__(self, *, sessions: "async_sessionmaker", state: StateStore, campaign: "Campaign",
                 media: "EvidenceStore", handler: Handler, clock: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.state = state
        self.campaign = campaign
        self.media = media
        self.handler = handler
        self.clock = clock
        self.adapters: dict[str, "Adapter"] = {}
        self._tasks: set[asyncio.Task] = set()
        self._told_degraded: set[str] = set()
        self._scheduled: dict[str, bool] = {}  # user key -> another pass wanted
        self.intake = InboxWriter(sessions)  # the inbox's group commit (the ack path)
        self._ready_at: dict[str, float] = {}  # user key -> when its ordering wait is over
        self._handling = asyncio.Semaphore(DEFAULT_HANDLING_SLOTS)
        # How long a message waits for the ones its user sent earlier (see `_order_wait`).
        self.order_window = DEFAULT_ORDER_WINDOW
        self._given_up_pending = 0  # replies given up on since the admins were last told

    def set_handling_slots(self, slots: int) -> None:
        """How many users this process handles at once (before it has started handling)."""
        self._handling = asyncio.Semaphore(slots)

    def add_adapter(self, adapter: "Adapter") -> None:
        adapter.files = self.media  # outgoing files are read from the evidence store
        self.adapters[adapter.channel] = adapter

    def repos(self) -> Repos:
        return Repos(self.sessions())

    # ---- receive: before the platform is acknowledged
    async def receive(self, msg: Incoming) -> bool:
        """Persist the message; False when it is a retry of one already received. Raises when it
        could not be stored: the adapter must then not acknowledge it, so the platform retries.
        One round trip: the inbox's unique key decides what is a retry (no state-store check
        before it), and messages arriving together are committed together (bot/intake.py)."""
        key = dedupe_key(msg) or f"local:{self.clock().timestamp()}:{id(msg)}"
        stored = await self._reconnecting(self._store, msg, key)
        (metrics.RECEIVED if stored is not None else metrics.DUPLICATES).labels(msg.channel).inc()
        return stored is not None

    async def _store(self, msg: Incoming, key: str) -> int | None:
        return await self.intake.add(msg.channel, key, user_key(msg), msg.to_json(), sent_order=msg.order)

    @staticmethod
    async def _reconnecting(fn, *args):
        """Run `fn` again, once, when the database connection it used turned out to be dead (the
        server restarted since the pool opened it): the pool has then dropped the dead connections.
        Cheaper than checking every connection before use."""
        try:
            return await fn(*args)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("database connection lost (%s); retrying once", type(exc.orig).__name__)
            return await fn(*args)

    # ---- process: after the ack, one user at a time
    async def process(self, key: str) -> None:
        others: set[tuple[str, str]] = set()  # chats told something by this user's messages
        try:
            # A short lock kept alive while held: a process that dies frees its users in seconds.
            async with self.state.lock(f"user:{key}", ttl=USER_LOCK_TTL, wait=120) as held:
                while not held.lost and await self._reconnecting(self._process_one, key, others, held):
                    pass
                channel, chat_id, _ = key.split(":", 2)
                # under the lock: the user's replies stay in order
                await self._reconnecting(self.deliver, channel, chat_id)
                others.discard((channel, chat_id))
        except LockTimeout:
            log.warning("user %s is busy elsewhere; their messages stay queued", key)
        for channel, chat_id in others:
            await self._reconnecting(self.deliver, channel, chat_id)

    async def _process_one(self, key: str, others: set[tuple[str, str]], held: Held | None = None) -> bool:
        repos = self.repos()
        try:
            row = await repos.inbox.next_pending(key)
            if row is None:
                return False
            wait = self._order_wait(row)
            if wait > 0:
                # Messages the user sent before this one may still be on their way (another server
                # process, a slower request): wait for them, then take the earliest again.
                await repos.rollback()
                await asyncio.sleep(wait)
                return True
            row_id = row.id
            started = time.perf_counter()
            logs.request_id.set(f"m{row_id}")
            msg = Incoming.from_json(row.payload)
            ctx = await self._context(msg, repos)
            if ctx.cursor is not None and "seq" in ctx.cursor and \
                    ctx.cursor["seq"] != await repos.inbox.last_handled(key):
                log.info("stale cursor of %s dropped; rebuilt from the database", key)
                ctx.cursor = None
            late = msg.kind in LATE_REFUSED and await repos.inbox.sent_after_handled(key, row.sent_order)
            try:
                if late:
                    # Sent before a message that was applied already: it was typed against an
                    # earlier question, so it answers none now. Said, not guessed at.
                    log.info("message %s of %s arrived after a later one; not applied", row_id, key)
                    if ctx.is_press:  # a late press: the short pop-up of any stale button
                        ctx.press_refused(texts.PRESS_STALE)
                    else:
                        ctx.reply(texts.MESSAGE_LATE.format(text=_quote(msg)))
                else:
                    await self.handler(ctx)
                await self._tell_if_degraded(ctx, key, repos)
                self._queue_replies(repos, ctx)
                others.update((channel, chat_id) for channel, chat_id, _ in ctx.notices)
                others.update((msg.channel, chat_id) for chat_id, _ in ctx.replies)
                await repos.inbox.mark(row_id, "late" if late else "done")
                if held is not None and held.lost:  # another process may have the user now
                    log.warning("lock of %s lost while handling message %s; left for its new holder", key, row_id)
                    await repos.rollback()
                    return False
                await repos.commit()
            except Exception as exc:  # noqa: BLE001 - tell the user, keep the record
                await repos.rollback()
                if isinstance(exc, DBAPIError) and exc.connection_invalidated:
                    raise  # nothing was written: handled again on a fresh connection
                log.exception("message %s of %s failed", row_id, key)
                if msg.kind == Kind.CHOICE:  # the press is settled all the same: not taken
                    repos.outbox.add(msg.channel, msg.chat_id, outgoing_to_json(
                        PressResult.of(msg, accepted=False, popup=texts.PRESS_NOT_TAKEN)))
                repos.outbox.add(msg.channel, msg.chat_id, outgoing_to_json(Text(texts.NOT_PROCESSED)))
                await repos.inbox.mark(row_id, "failed", error_text(exc))
                await repos.commit()
                await self._drop_cursor(ctx.key)
                metrics.PROCESSED.labels(msg.channel, "failed").inc()
                return True
            await self._save_cursor(ctx, row_id)
            metrics.PROCESSED.labels(msg.channel, "ok").inc()
            metrics.LATENCY.labels(msg.channel).observe(time.perf_counter() - started)
            return True
        finally:
            await repos.session.close()

    def _order_wait(self, row) -> float:
        """Seconds still to wait before handling this message so that the ones its user sent
        before it can arrive; 0 for a channel that delivers in order by itself."""
        if not self._waits_for_order(row.channel, row.sent_order):
            return 0.0
        received = row.received_at
        if received.tzinfo is None:  # SQLite keeps no zone: stored as UTC
            received = received.replace(tzinfo=timezone.utc)
        age = (utcnow() - received).total_seconds()
        return max(0.0, min(self.order_window - age, self.order_window))

    async def _context(self, msg: Incoming, repos: Repos) -> Context:
        key = StateKey(msg.channel, msg.chat_id, msg.user_id)
        try:
            cursor = await self.state.get(key)
        except Exception:  # noqa: BLE001 - Redis down: rebuilt from the database
            log.warning("state store unavailable; the cursor is rebuilt from the database", exc_info=True)
            cursor = None
        return Context(msg=msg, key=key, repos=repos, campaign=self.campaign, media=self.media,
                       now=self.clock(), fetch_media=self._fetcher(msg.channel), cursor=cursor)

    def _fetcher(self, channel: str) -> Callable[[Media], Awaitable[bytes]]:
        async def fetch(media: Media) -> bytes:
            return await self.adapters[channel].fetch_media(media)
        return fetch

    async def _tell_if_degraded(self, ctx: Context, key: str, repos: Repos) -> None:
        """While Redis is down, say once per user and outage that nothing is lost: once whichever
        process handles the user (the outbox remembers it was said; an outage is taken to be over
        after DEGRADED_QUIET of quiet)."""
        if not getattr(self.state, "degraded", False):
            self._told_degraded.clear()
            return
        if key in self._told_degraded:
            return
        self._told_degraded.add(key)
        since = utcnow() - timedelta(seconds=DEGRADED_QUIET)
        if not await repos.outbox.said_since(ctx.msg.channel, ctx.msg.chat_id, "degraded", since):
            repos.outbox.add(ctx.msg.channel, ctx.msg.chat_id, outgoing_to_json(Text(texts.STATE_DEGRADED)),
                             kind="degraded")

    def _queue_replies(self, repos: Repos, ctx: Context) -> None:
        for chat_id, out in ctx.replies:
            repos.outbox.add(ctx.msg.channel, chat_id, outgoing_to_json(out))
        for channel, chat_id, out in ctx.notices:
            repos.outbox.add(channel, chat_id, outgoing_to_json(out))

    async def _save_cursor(self, ctx: Context, seq: int) -> None:
        try:
            if ctx.cursor:
                ctx.cursor["seq"] = seq  # saved after this message: checked by the next one
                await self.state.set(ctx.key, ctx.cursor)
            else:
                await self.state.delete(ctx.key)
        except Exception:  # noqa: BLE001 - rebuilt from the database on the next message
            log.warning("could not save the cursor of %s", ctx.key, exc_info=True)

    async def _drop_cursor(self, key: StateKey) -> None:
        try:
            await self.state.delete(key)
        except Exception:  # noqa: BLE001
            log.warning("could not drop the cursor of %s", key, exc_info=True)

    def schedule(self, msg: Incoming) -> None:
        """After `receive` and the platform's ack: process that user's queue in the background.
        One task per user in this process: a burst of messages from one user does not make a crowd
        of tasks waiting for the same lock; the running one makes another pass instead."""
        key = user_key(msg)
        self._ready_at[key] = max(self._ready_at.get(key, 0.0), self._settled_at(msg))
        if key in self._scheduled:
            self._scheduled[key] = True  # arrived during the current pass: one more pass
            return
        self._scheduled[key] = False
        self.spawn(self._drain_user(key))

    def _settled_at(self, msg: Incoming) -> float:
        """When (time.monotonic) the messages its user sent before `msg` have had the ordering
        window to arrive; 0 when its channel delivers in order (see `_order_wait`)."""
        if not self._waits_for_order(msg.channel, msg.order):
            return 0.0
        return time.monotonic() + self.order_window

    def _waits_for_order(self, channel: str, order: str) -> bool:
        """Whether a message of this channel waits for the ones sent before it: the wait is on, the
        platform told the order, and the channel does not deliver in order by itself."""
        adapter = self.adapters.get(channel)
        return self.order_window > 0 and bool(order) and adapter is not None and not adapter.in_order

    async def _drain_user(self, key: str) -> None:
        try:
            while True:
                self._scheduled[key] = False
                # The ordering wait is sat out here, holding no handling slot.
                while (wait := self._ready_at.get(key, 0.0) - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._ready_at.pop(key, None)
                # Handling shares the event loop with the acks: a few users at a time, so a
                # backlog is worked through without taking the loop from the callbacks.
                async with self._handling:
                    await self.process(key)
                if not self._scheduled.get(key):
                    return
        finally:
            self._scheduled.pop(key, None)
            self._ready_at.pop(key, None)

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 25.0) -> None:
        """Graceful shutdown: finish what was acknowledged (what is left stays in the inbox)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def maintain(self, interval: float = 30.0, send_interval: float = 5.0) -> None:
        """Forever: retry sends every few seconds (a reply that waited for the platform goes out
        soon after its time); every `interval`, handle messages left pending (a crash, a failed
        lock), take back replies a dead process was sending, give up on replies after hours."""
        last = 0.0
        while True:
            try:
                if time.monotonic() - last >= interval:
                    last = time.monotonic()
                    await self.recover()
                    await self._tell_admins_given_up()
                else:
                    await self.deliver()
            except Exception:  # noqa: BLE001 - the database may be restarting; try again later
                log.warning("maintenance pass failed", exc_info=True)
            await asyncio.sleep(min(send_interval, interval))

    async def handle_now(self, msg: Incoming) -> bool:
        """Receive and process in one go (console, tests)."""
        fresh = await self.receive(msg)
        await self.process(user_key(msg))
        return fresh

    async def recover(self) -> None:
        """After a restart: handle what was received but not processed, send what was not sent,
        take back what a dead process was sending, and report replies given up on."""
        repos = self.repos()
        now = utcnow()
        try:
            released = await repos.outbox.release_stale(now - timedelta(seconds=self.claim_timeout))
            if released:
                log.warning("%s replies a process took and did not finish went back to the queue", released)
            given_up = await repos.outbox.give_up(now - timedelta(hours=self.give_up_hours))
            if given_up:
                self._report_given_up(repos, given_up)
            await repos.commit()
            keys = await repos.inbox.pending_users()
            metrics.QUEUE.labels("inbox").set(await repos.inbox.pending_count())
            metrics.QUEUE.labels("outbox").set(len(await repos.outbox.pending(limit=1000)))
            metrics.STATE_DEGRADED.set(1 if getattr(self.state, "degraded", False) else 0)
        finally:
            await repos.session.close()
        for key in keys:
            await self.process(key)
        await self.deliver()

    async def send(self, channel: str, chat_id: str, out: Outgoing) -> None:
        """Queue a message that is not a reply (digests, reminders) and deliver it."""
        repos = self.repos()
        try:
            repos.outbox.add(channel, chat_id, outgoing_to_json(out))
            await repos.commit()
        finally:
            await repos.session.close()
        await self.deliver(channel)
