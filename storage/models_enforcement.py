"""Enforcement after the checklist: supervisor review of submitted inspections, reminders sent for
rectification orders (storage.models.RectificationOrder) and follow-up visits (复查)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class InspectionReview(Base):
    """A supervisor's decision on a submitted inspection. No row: waiting for review."""

    __tablename__ = "inspection_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))  # approved | returned | resubmitted
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrderReminder(Base):
    """One row per order and kind of reminder: claimed before sending, so it is sent once."""

    __tablename__ = "order_reminders"
    __table_args__ = (UniqueConstraint("order_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # due_soon | overdue
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUp(Base):
    """A follow-up visit's verdict on one order."""

    __tablename__ = "followups"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    visit_date: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))  # rectified | not_rectified
    note: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
