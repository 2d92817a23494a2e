"""What a leak hunt reads: the logs as `inspector-bot serve` writes them (bot.logs.configure: JSON
lines, the redacting filter on the handler) captured into a string, with the logging set-up put
back after; and the whole database as text."""

from __future__ import annotations

import contextlib
import io
import logging
from typing import Iterator

from bot import logs


@contextlib.contextmanager
def served_logs(level: int = logging.DEBUG) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in logs.QUIET}
    buffer = io.StringIO()
    logs.configure(level=level, stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, value in saved[2].items():
            logging.getLogger(name).setLevel(value)


async def database_dump(repos) -> str:
    """Every row of every table, as text: what a grep of a database dump would read."""
    from sqlalchemy import select

    from storage.models import Base

    parts = []
    for table in Base.metadata.sorted_tables:
        parts += [repr(tuple(row)) for row in (await repos.session.execute(select(table))).all()]
    return "\n".join(parts)
