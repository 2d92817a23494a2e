"""The inbox (incoming messages persisted before the platform is acknowledged) and the outbox
(replies committed with the changes that caused them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bulk import insert_new
from storage.models import InboxMessage, OutboxMessage, utcnow


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, channel: str, dedupe_key: str, user_key: str, payload: dict) -> int | None:
        """Store and commit a message; None if the same message was stored before (a retry)."""
        row = InboxMessage(channel=channel, dedupe_key=dedupe_key, user_key=user_key, payload=payload)
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
        return await self.session.scalar(
            select(InboxMessage).where(InboxMessage.user_key == user_key, InboxMessage.status == "pending")
            .order_by(InboxMessage.id).limit(1))

    async def last_handled(self, user_key: str, before: int) -> int | None:
        """The id of the user's last message handled before `before` (its cursor was saved after it)."""
        return await self.session.scalar(
            select(InboxMessage.id).where(InboxMessage.user_key == user_key, InboxMessage.status != "pending",
                                          InboxMessage.id < before)
            .order_by(InboxMessage.id.desc()).limit(1))

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

    def add(self, channel: str, chat_id: str, payload: dict) -> OutboxMessage:
        row = OutboxMessage(channel=channel, chat_id=chat_id, payload=payload)
        self.session.add(row)
        return row

    async def pending(self, limit: int = 100, channel: str | None = None,
                      chat_id: str | None = None) -> list[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.status == "pending")
        if channel:
            query = query.where(OutboxMessage.channel == channel)
        if chat_id:
            query = query.where(OutboxMessage.chat_id == chat_id)
        return list((await self.session.scalars(query.order_by(OutboxMessage.id).limit(limit))).all())

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
            .values(status="sending").returning(OutboxMessage.id))
        return {row_id for (row_id,) in result.all()}

    async def mark_sent(self, ids: list[int]) -> None:
        if ids:
            await self._relaxed()
            await self.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                .values(status="sent", sent_at=utcnow(), attempts=OutboxMessage.attempts + 1))

    async def release_stale(self, older_than: datetime) -> None:
        """Replies a crashed process was sending go back to the queue (sent at least once)."""
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.status == "sending", OutboxMessage.created_at < older_than)
            .values(status="pending"))

    async def mark(self, message_id: int, status: str, error: str = "") -> None:
        await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(status=status, error=error[:2000], sent_at=utcnow() if status == "sent" else None,
                    attempts=OutboxMessage.attempts + 1))
