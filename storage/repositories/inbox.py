"""The inbox (incoming messages persisted before the platform is acknowledged) and the outbox
(replies committed with the changes that caused them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bulk import insert_new
from storage.models import InboxMessage, OutboxMessage, utcnow


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, channel: str, dedupe_key: str, user_key: str, payload: dict,
                  sent_order: str = "") -> int | None:
        """Store and commit a message; None if the same message was stored before (a retry)."""
        row = InboxMessage(channel=channel, dedupe_key=dedupe_key, user_key=user_key, payload=payload,
                           sent_order=sent_order)
        self.session.add(row)
        try:
            await self.session.commit()
        except IntegrityError:
            await self.session.rollback()
            return None
        return row.id

    async def add_many(self, rows: list[dict]) -> dict[tuple[str, str], int]:
        """Store and commit many messages in one statement (the ack path's one round trip; see
        storage/bulk.py). Returns the ids of the rows stored now by (channel, dedupe_key); a
        message stored before (a platform's retry) is left out, and so is a repeat within `rows`."""
        stored = await insert_new(self.session, InboxMessage.__table__, rows, ("channel", "dedupe_key"))
        await self.session.commit()
        return stored

    async def next_pending(self, user_key: str) -> InboxMessage | None:
        """The user's earliest unhandled message in the order the user sent them (as the platform
        tells it), then in the order they were stored."""
        return await self.session.scalar(
            select(InboxMessage).where(InboxMessage.user_key == user_key, InboxMessage.status == "pending")
            .order_by(InboxMessage.sent_order, InboxMessage.id).limit(1))

    async def sent_after_handled(self, user_key: str, sent_order: str) -> bool:
        """Whether a message the user sent after this one was handled already: this one came late."""
        if not sent_order:
            return False
        found = await self.session.scalar(
            select(InboxMessage.id).where(InboxMessage.user_key == user_key, InboxMessage.status != "pending",
                                          InboxMessage.sent_order > sent_order).limit(1))
        return found is not None

    async def last_handled(self, user_key: str) -> int | None:
        """The id of the user's message handled last (the cursor was saved after it)."""
        return await self.session.scalar(
            select(InboxMessage.id).where(InboxMessage.user_key == user_key, InboxMessage.status != "pending",
                                          InboxMessage.processed_at.is_not(None))
            .order_by(InboxMessage.processed_at.desc(), InboxMessage.id.desc()).limit(1))

    async def get(self, message_id: int) -> InboxMessage | None:
        return await self.session.get(InboxMessage, message_id)

    async def pending_users(self, limit: int = 1000) -> list[str]:
        rows = await self.session.execute(
            select(InboxMessage.user_key, func.min(InboxMessage.id).label("first"))
            .where(InboxMessage.status == "pending").group_by(InboxMessage.user_key)
            .order_by("first").limit(limit))
        return [user_key for user_key, _ in rows.all()]

    async def pending_count(self) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(InboxMessage).where(InboxMessage.status == "pending")) or 0)

    async def mark(self, message_id: int, status: str, error: str = "") -> None:
        await self.session.execute(
            update(InboxMessage).where(InboxMessage.id == message_id)
            .values(status=status, error=error[:2000], processed_at=utcnow(),
                    attempts=InboxMessage.attempts + 1))


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, channel: str, chat_id: str, payload: dict, kind: str = "") -> OutboxMessage:
        row = OutboxMessage(channel=channel, chat_id=chat_id, payload=payload, kind=kind)
        self.session.add(row)
        return row

    def _where_chat(self, query, channel: str | None, chat_id: str | None):
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        if chat_id:
            query = query.where(OutboxMessage.chat_id == chat_id)
        return query

    async def pending(self, limit: int = 100, channel: str | None = None,
                      chat_id: str | None = None, now: datetime | None = None) -> list[OutboxMessage]:
        """Replies waiting to be sent, oldest first; with `now`, only those whose time has come."""
        query = self._where_chat(select(OutboxMessage).where(OutboxMessage.status == "pending"), channel, chat_id)
        if now is not None:
            query = query.where(or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        return list((await self.session.scalars(query.order_by(OutboxMessage.id).limit(limit))).all())

    async def blocked(self, now: datetime, channel: str | None = None,
                      chat_id: str | None = None) -> dict[tuple[str, str], int]:
        """Chats whose oldest unsent reply cannot go now (another process is sending it, or the
        platform asked to wait): (channel, chat) -> that reply's id. Later replies wait behind it."""
        waiting = or_(OutboxMessage.status == "sending",
                      and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at > now))
        query = self._where_chat(
            select(OutboxMessage.channel, OutboxMessage.chat_id, func.min(OutboxMessage.id)).where(waiting),
            channel, chat_id).group_by(OutboxMessage.channel, OutboxMessage.chat_id)
        return {(ch, chat): first for ch, chat, first in (await self.session.execute(query)).all()}

    async def set_payload(self, message_id: int, payload: dict) -> None:
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                                   .values(payload=payload))

    async def unclaim(self, ids: list[int]) -> None:
        """Claimed but not tried (an earlier reply of their chat failed): back, as they were."""
        if ids:
            await self.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                       .values(status="pending", claimed_at=None))

    async def retry_later(self, message_id: int, when: datetime, error: str) -> None:
        """Sending failed: back in the queue, not before `when`."""
        await self._relaxed()
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status="pending", next_attempt_at=when, claimed_at=None, error=error[:2000],
                    attempts=OutboxMessage.attempts + 1))

    async def give_up(self, created_before: datetime) -> list[OutboxMessage]:
        """Replies still unsent long after they were made: marked failed, returned to be reported."""
        rows = list((await self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "pending",
                                        OutboxMessage.created_at < created_before)
            .order_by(OutboxMessage.id).limit(1000))).all())
        if rows:
            await self.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))
                                       .values(status="failed"))
        return rows

    async def said_since(self, channel: str, chat_id: str, kind: str, since: datetime) -> bool:
        """Whether a message of this kind was queued for the chat since then (by any process)."""
        found = await self.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id,
                                           OutboxMessage.kind == kind, OutboxMessage.created_at >= since).limit(1))
        return found is not None

    async def _relaxed(self) -> None:
        """Delivery bookkeeping need not wait for the disk: after a crash a reply is at worst sent
        again (at least once), never lost; the messages and answers themselves stay durable."""
        if self.session.bind.dialect.name == "postgresql":
            await self.session.execute(text("SET LOCAL synchronous_commit TO OFF"))

    async def claim_many(self, ids: list[int]) -> set[int]:
        """Take pending replies for sending; the ids this process got (another may have some)."""
        await self._relaxed()
        result = await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
            .values(status="sending", claimed_at=utcnow()).returning(OutboxMessage.id))
        return {row_id for (row_id,) in result.all()}

    async def mark_sent(self, ids: list[int]) -> None:
        if ids:
            await self._relaxed()
            await self.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                .values(status="sent", sent_at=utcnow(), attempts=OutboxMessage.attempts + 1))

    async def release_stale(self, claimed_before: datetime) -> int:
        """Replies a process took for sending and did not finish by then (it died): back to the
        queue, ahead of the chat's later replies (sent at least once, never lost)."""
        result = await self.session.execute(
            update(OutboxMessage).where(
                OutboxMessage.status == "sending",
                or_(OutboxMessage.claimed_at < claimed_before,
                    and_(OutboxMessage.claimed_at.is_(None), OutboxMessage.created_at < claimed_before)))
            .values(status="pending", claimed_at=None))
        return result.rowcount or 0

    async def mark(self, message_id: int, status: str, error: str = "") -> None:
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status=status, error=error[:2000], sent_at=utcnow() if status == "sent" else None,
                    attempts=OutboxMessage.attempts + 1))
