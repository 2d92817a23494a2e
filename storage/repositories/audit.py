from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # The reason every change in this unit of work is made for, when the caller gives none
        # (an amendment of a submitted inspection sets it once for the whole message).
        self.default_reason = ""

    def record(self, actor_id: int | None, entity: str, entity_id: int, field: str,
               old: Any, new: Any, reason: str = "") -> None:
        if _text(old) == _text(new):
            return
        self.session.add(AuditLog(actor_id=actor_id, entity=entity, entity_id=entity_id, field=field,
                                  old=_text(old), new=_text(new), reason=reason or self.default_reason))

    def changed(self, actor_id: int | None, obj: Any, entity: str, reason: str = "", **values: Any) -> None:
        """Set attributes on `obj`, recording each change."""
        for field, new in values.items():
            old = getattr(obj, field)
            if old != new:
                self.record(actor_id, entity, obj.id, field, old, new, reason)
                setattr(obj, field, new)

    async def history(self, entity: str | None = None, entity_id: int | None = None) -> list[AuditLog]:
        query = select(AuditLog).order_by(AuditLog.id)
        if entity:
            query = query.where(AuditLog.entity == entity)
        if entity_id is not None:
            query = query.where(AuditLog.entity_id == entity_id)
        return list((await self.session.scalars(query)).all())
