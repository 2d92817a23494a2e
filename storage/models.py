"""The schema: the SQL database is the truth. The same models serve SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON, MetaData, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class Bureau(Base):
    __tablename__ = "bureaus"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(50), unique=True)
    level: Mapped[str] = mapped_column(String(10))  # city | county


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    role: Mapped[str] = mapped_column(String(20))  # inspector | supervisor | admin
    phone: Mapped[str] = mapped_column(String(40), default="")
    badge_no: Mapped[str] = mapped_column(String(40), default="")  # 执法证号
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The draft the member is working on; the conversation cursor is rebuilt from it when lost.
    active_inspection_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bureau: Mapped[Bureau] = relationship(lazy="joined")
    identities: Mapped[list["Identity"]] = relationship(back_populates="member", lazy="selectin")


class Identity(Base):
    """A member's id on one channel. WeCom and Telegram ids can collide, so the channel is in the key."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(128))
    member: Mapped[Member] = relationship(back_populates="identities")


class Enterprise(Base):
    __tablename__ = "enterprises"
    __table_args__ = (UniqueConstraint("bureau_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(50))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Inspection(Base):
    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_bureau_status", "campaign_id", "bureau_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    inspection_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | submitted | cancelled
    responsible_person: Mapped[str] = mapped_column(String(100), default="")
    register_done: Mapped[bool] = mapped_column(Boolean, default=False)  # certificate register finished
    # The steps before the checklist that were answered (companions, date, location): the position
    # rebuilt from the database asks the others again.
    steps_done: Mapped[list] = mapped_column(JSON, default=lambda: [])
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    enterprise: Mapped[Enterprise] = relationship(lazy="joined")
    inspectors: Mapped[list["InspectionInspector"]] = relationship(lazy="selectin", order_by="InspectionInspector.id")


class InspectionInspector(Base):
    __tablename__ = "inspection_inspectors"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(100))


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("inspection_id", "requirement_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    requirement_id: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str | None] = mapped_column(String(10), nullable=True)  # pass | fail | na; None = skipped
    note: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    requirement_id: Mapped[str] = mapped_column(String(16))  # "2.3", or "signature"
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Integrity (bot/integrity_image.py): perceptual hash of the whole picture (16 hex digits) and of
    # its slight crops (16 hex digits each); EXIF capture time (camera's local time) and GPS position.
    phash: Mapped[str | None] = mapped_column(String(16), nullable=True)
    phash_crops: Mapped[str | None] = mapped_column(String(512), nullable=True)
    exif_taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), nullable=True)
    exif_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    exif_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The reuse check's fine comparison (bot/integrity_match.py): keypoints and a grey thumbnail.
    fingerprint: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class Certificate(Base):
    """A three-positions person's certificate the inspector checked, field by field as given."""

    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    person_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(50), nullable=True)
    cert_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    cert_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expiry_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    platform_confirmed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # The register step still to answer for this person ("done" when complete): written with each
    # field, so an interrupted register resumes at the right question.
    stage: Mapped[str] = mapped_column(String(20), default="cert_position")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IntegrityFlag(Base):
    """Something about an inspection's evidence a supervisor should look at (bot/integrity.py), with
    the reason in plain words and links to the records involved."""

    __tablename__ = "integrity_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    # photo_reused | capture_time | photo_location | too_fast | cert_number_reused | cert_expired |
    # cert_number_photo
    kind: Mapped[str] = mapped_column(String(30))
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    other_inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"), nullable=True)
    other_evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), nullable=True)
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"), nullable=True)
    other_certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class Finding(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    requirement_id: Mapped[str] = mapped_column(String(16))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(20))  # answer | certificate
    description: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(32))
    confirmed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None = not yet decided
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GroupBinding(Base):
    __tablename__ = "group_bindings"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    channel: Mapped[str] = mapped_column(String(20))  # wecom | wecom_robot | telegram
    chat_id: Mapped[str] = mapped_column(String(200))  # chat id, or robot webhook key
    title: Mapped[str] = mapped_column(String(200), default="")


class AccessRequest(Base):
    """Someone not registered wrote to the bot; admins are told the first time."""

    __tablename__ = "access_requests"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(128))
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class InboxMessage(Base):
    """Every incoming message, written before the platform is acknowledged. The unique key makes a
    platform's retry a no-op; the id gives the arrival order a user's messages are handled in."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "dedupe_key"),
        Index("ix_inbox_user_pending", "user_key", "status", "id"),
        Index("ix_inbox_user_order", "user_key", "sent_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    user_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done | failed | late
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the user sent it, as the platform tells it (bot.messages.send_order); "" when unknown.
    sent_order: Mapped[str] = mapped_column(String(40), default="")


class OutboxMessage(Base):
    """Replies, committed with the changes that caused them and delivered after the commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status", "status", "id"), Index("ix_outbox_chat", "channel", "chat_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When a process took it for sending: one that died is found out by the age of its claim.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Not before then: the platform was down or asked to wait (retry_after, frequency limits).
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # What sort of message it is when that matters later ("degraded": the notice said once per outage).
    kind: Mapped[str] = mapped_column(String(20), default="")


class TypicalCase(Base):
    """A typical enforcement case (附件2), drafted in a conversation; finished ones count to the quota."""

    __tablename__ = "typical_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | finished
    title: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    gist: Mapped[str] = mapped_column(Text, default="")  # 要旨
    facts: Mapped[str] = mapped_column(Text, default="")  # 基本案情
    reasoning: Mapped[str] = mapped_column(Text, default="")  # 查处理由及结果
    commentary: Mapped[str] = mapped_column(Text, default="")  # 案例评析
    officers: Mapped[list] = mapped_column(JSON, default=list)  # [{name, badge_no, contact}]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CaseFile(Base):
    """A file or photo attached to a typical case as its 执法文书."""

    __tablename__ = "case_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("typical_cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RectificationOrder(Base):
    """An order from a finding (责令限期改正, optionally with a penalty), followed up by a 复查."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"), index=True)
    legal_basis: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(Text)
    penalty_amount: Mapped[int | None] = mapped_column(Integer, nullable=True)  # yuan
    decision_no: Mapped[str] = mapped_column(String(100), default="")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    responsible_person: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | rectified | escalated
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DigestLog(Base):
    """One row per group and day: claimed before posting, so several processes post once; `data`
    keeps the day's figures for tomorrow's "since yesterday"."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("binding_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    binding_id: Mapped[int] = mapped_column(ForeignKey("group_bindings.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed | sent
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


# The documents' own tables (report texts, case file captions) belong to the same metadata.
from storage import models_documents  # noqa: E402,F401
