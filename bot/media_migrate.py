"""Moving a directory of evidence (an old MEDIA_DIR) into the object store: `inspector-bot media
migrate`. Only content-addressed files move (photos `ab/cd/<sha256>.<ext>`, case files
`files/ab/<sha256>.<ext>`), under the same key; generated documents are left behind (they are made
again on request).

Every file is checked against the hash in its name before it is uploaded, and every object is read
back and hashed after (an object that was there already too): nothing is counted as moved that the
store does not hold exactly. Resumable: an object already there is not written again, so a second
run (or one after an interruption) moves nothing more and only verifies.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bot.media_store import INCOMING, ObjectMissing, ObjectStore

EVIDENCE = re.compile(r"^(?:[0-9a-f]{2}/[0-9a-f]{2}|files/[0-9a-f]{2})/([0-9a-f]{64})\.[a-z0-9]{1,5}$")


@dataclass
class MigrationReport:
    moved: list[str] = field(default_factory=list)  # written now, read back, hash verified
    present: list[str] = field(default_factory=list)  # there already, hash verified
    skipped: list[str] = field(default_factory=list)  # not evidence (documents, charts, strays)
    failed: list[tuple[str, str]] = field(default_factory=list)  # key, why
    removed: int = 0  # local files deleted after their object was verified (--delete-local)

    @property
    def ok(self) -> bool:
        return not self.failed


def evidence_files(source: Path) -> tuple[list[str], list[str]]:
    """(keys of the content-addressed files under `source`, keys of everything else), sorted."""
    keys, others = [], []
    for dirpath, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # scratch, cache: this host's own
        for name in files:
            if name.startswith(INCOMING):
                continue
            key = (Path(dirpath) / name).relative_to(source).as_posix()
            (keys if EVIDENCE.match(key) else others).append(key)
    return sorted(keys), sorted(others)


async def migrate(source: Path, target: ObjectStore, *, delete_local: bool = False, concurrency: int = 4,
                  progress: Callable[[str, str], None] | None = None) -> MigrationReport:
    """Copy every evidence file under `source` into `target` and verify it; see the module text."""
    report = MigrationReport()
    keys, report.skipped = await asyncio.to_thread(evidence_files, source)
    gate = asyncio.Semaphore(concurrency)

    async def one(key: str) -> None:
        async with gate:
            outcome = await _move(source / key, key, target)
        if outcome in ("moved", "present"):
            getattr(report, outcome).append(key)
            if delete_local:
                await asyncio.to_thread((source / key).unlink, missing_ok=True)
                report.removed += 1
        else:
            report.failed.append((key, outcome))
        if progress is not None:
            progress(key, outcome)

    await asyncio.gather(*(one(key) for key in keys))
    report.moved.sort()
    report.present.sort()
    report.failed.sort()
    return report


async def _move(path: Path, key: str, target: ObjectStore) -> str:
    """"moved", "present", or why it failed."""
    match = EVIDENCE.match(key)
    assert match is not None
    expected = match.group(1)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if hashlib.sha256(data).hexdigest() != expected:
        return "the local file does not match the hash in its name (not uploaded)"
    try:
        written = await target.put(key, data)
        stored = await target.get(key)
    except ObjectMissing:
        return "the object is missing right after it was written"
    except Exception as exc:  # noqa: BLE001 - StoreUnavailable and the like: reported, the run goes on
        return f"store: {exc}"
    if hashlib.sha256(stored).hexdigest() != expected:
        return "the stored object does not match its hash" + ("" if written else " (it was there before; not overwritten)")
    return "moved" if written else "present"
