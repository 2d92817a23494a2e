"""What the documents keep besides the records: the written report's texts a clerk replaced (by
message or file) before the final export, and the captions typed for a typical case's 执法文书."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class ReportText(Base):
    """One part of a bureau's written report as the clerk wrote it (a narrative section, or a field
    of the form: 文号, 签发人, 主送, 联系人). No row: the text prefilled from the records is used."""

    __tablename__ = "report_texts"
    __table_args__ = (UniqueConstraint("campaign_id", "bureau_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(64))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseFileCaption(Base):
    """The caption typed for a 执法文书 (with the photo or file, or in the next message)."""

    __tablename__ = "case_file_captions"
    case_file_id: Mapped[int] = mapped_column(ForeignKey("case_files.id", ondelete="CASCADE"), primary_key=True)
    caption: Mapped[str] = mapped_column(Text)
