"""Many rows in one INSERT that skips the ones already there (by a unique key), as cheaply as the
database allows: the inbox's group commit on the ack path (bot/intake.py).

On PostgreSQL the rows go as one text array per column through `unnest`, cast back to each column's
type in the SELECT: one statement whatever the number of rows, so it is compiled and prepared once
per connection (a multi-row VALUES is a new statement for every batch size, and SQLAlchemy's
per-value overhead dominated the ack path's profile). Elsewhere (SQLite) a multi-row VALUES.
Python-side column defaults are filled in here, as the ORM would.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import JSON, Table, text
from sqlalchemy.ext.asyncio import AsyncSession

_SQL_CACHE: dict[tuple, Any] = {}


def _with_defaults(table: Table, rows: list[dict]) -> tuple[list[str], list[dict]]:
    names = list(rows[0])
    for column in table.columns:
        default = column.default
        if column.name in names or default is None or column.primary_key:
            continue
        if default.is_scalar or default.is_callable:
            names.append(column.name)
            for row in rows:
                row[column.name] = default.arg if default.is_scalar else default.arg(None)
    return names, rows


def _as_text(value: Any, column) -> str | None:
    if value is None:
        return None
    if isinstance(column.type, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def insert_new(session: AsyncSession, table: Table, rows: list[dict],
                     key: Sequence[str]) -> dict[tuple, int]:
    """Insert `rows` (dicts with the same keys), skipping those whose `key` columns match a row
    already stored or an earlier one of `rows`; the ids of the rows inserted, by their key values.
    Runs in the session's transaction (the caller commits)."""
    if not rows:
        return {}
    names, rows = _with_defaults(table, [dict(r) for r in rows])
    dialect = session.bind.dialect
    if dialect.name != "postgresql":
        from sqlalchemy.dialects.sqlite import insert

        stmt = (insert(table).values(rows).on_conflict_do_nothing(index_elements=list(key))
                .returning(table.c.id, *(table.c[k] for k in key)))
        result = await session.execute(stmt)
        return {tuple(found): row_id for row_id, *found in result.all()}
    cache_key = (table.name, tuple(names), tuple(key))
    stmt = _SQL_CACHE.get(cache_key)
    if stmt is None:
        columns = ", ".join(names)
        casts = ", ".join(f"CAST(v.{n} AS {table.c[n].type.compile(dialect=dialect)})" for n in names)
        arrays = ", ".join(f"CAST(:{n} AS TEXT[])" for n in names)
        stmt = text(f"INSERT INTO {table.name} ({columns}) SELECT {casts} FROM unnest({arrays}) AS v({columns}) "
                    f"ON CONFLICT ({', '.join(key)}) DO NOTHING RETURNING id, {', '.join(key)}")
        _SQL_CACHE[cache_key] = stmt
    params = {n: [_as_text(row[n], table.c[n]) for row in rows] for n in names}
    result = await session.execute(stmt, params)
    return {tuple(found): row_id for row_id, *found in result.all()}
