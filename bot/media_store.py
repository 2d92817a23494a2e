"""Where evidence bytes live: one interface, two backends. `LocalStore` is a directory (the embedded
default, MEDIA_DIR); `bot.media_s3.S3Store` is S3-compatible object storage (MEDIA_URL=s3://...).

A key is a relative POSIX path (`ab/cd/<sha256>.jpg`, `files/ab/<sha256>.pdf`,
`documents/<id>/<name>.docx`), the same in every backend, so a directory moves into a bucket as it
is. `put` writes once: an object that is there already is never overwritten. A failure to reach or
write the store is `StoreUnavailable`; an object that is not there is `ObjectMissing`.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import AsyncIterator
from urllib.parse import urlsplit


class StoreUnavailable(Exception):
    """The store could not be reached, or refused the operation (network, credentials, disk)."""


class ObjectMissing(KeyError):
    """No object under this key."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified: datetime  # aware, UTC


def check_key(key: str) -> str:
    """A key is relative and stays inside the store: no `..`, no empty part, no backslash or NUL."""
    parts = key.split("/")
    if not key or any(p in ("", ".", "..") for p in parts) or "\\" in key or "\x00" in key:
        raise ValueError(f"bad object key {key!r}")
    return key


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix"); ValueError for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"expected s3://bucket/prefix, got {url!r}")
    prefix = parts.path.strip("/")
    if prefix:
        check_key(prefix)
    return parts.netloc, prefix


class ObjectStore(ABC):
    kind: str  # "local" | "s3": shown by readiness

    @abstractmethod
    async def put(self, key: str, data: bytes) -> bool:
        """Store `data` under `key` unless something is there already; True when it was written."""

    @abstractmethod
    async def get(self, key: str) -> bytes: ...

    @abstractmethod
    async def stat(self, key: str) -> ObjectInfo | None: ...

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    @abstractmethod
    def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        """Every object whose key starts with `prefix` (a folder: end it with `/`)."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove one object (generated documents past their retention); absent is fine."""

    @abstractmethod
    async def ping(self) -> None:
        """Raises StoreUnavailable unless the store can be written to now."""

    @abstractmethod
    def ref(self, key: str) -> str:
        """A reference to the object that any process of this deployment can resolve (`key_of`)."""

    @abstractmethod
    def key_of(self, ref: str) -> str | None:
        """The key a reference of this store names; None for a reference to something else."""

    def local_path(self, key: str) -> Path | None:
        """The object as a file on this host's disk, when the store is a directory."""
        return None

    async def close(self) -> None:
        return None


class LocalStore(ObjectStore):
    """A directory: objects are files under `root`, written atomically (see `write_once`).
    References are absolute paths, as they have always been."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._abs = self.root.resolve()

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def local_path(self, key: str) -> Path | None:
        path = self._abs / check_key(key)
        return path if path.is_file() else None

    async def put(self, key: str, data: bytes) -> bool:
        path = self.path(key)
        try:
            return await asyncio.to_thread(write_once, path, data)
        except OSError as exc:  # disk full, read-only, permissions
            raise StoreUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from exc

    async def get(self, key: str) -> bytes:
        path = self.path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ObjectMissing(key) from None
        except OSError as exc:
            raise StoreUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from exc

    async def stat(self, key: str) -> ObjectInfo | None:
        try:
            st = await asyncio.to_thread(os.stat, self.path(key))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise StoreUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from exc
        return ObjectInfo(key, st.st_size, datetime.fromtimestamp(st.st_mtime, timezone.utc))

    async def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        for info in await asyncio.to_thread(self._walk, prefix):
            yield info

    def _walk(self, prefix: str) -> list[ObjectInfo]:
        folder, _, _ = prefix.rpartition("/")
        top = self.root / folder if folder else self.root
        out: list[ObjectInfo] = []
        for dirpath, _dirs, files in os.walk(top):
            for name in files:
                if name.startswith(INCOMING):
                    continue
                path = Path(dirpath) / name
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    st = path.stat()
                    out.append(ObjectInfo(key, st.st_size, datetime.fromtimestamp(st.st_mtime, timezone.utc)))
        return sorted(out, key=lambda i: i.key)

    async def delete(self, key: str) -> None:
        path = self.path(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)
        try:  # the document's own folder, when it is now empty
            await asyncio.to_thread(path.parent.rmdir)
        except OSError:
            pass

    async def ping(self) -> None:
        try:
            await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from exc
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StoreUnavailable(f"{self.root} is not writable")

    def ref(self, key: str) -> str:
        return str(self._abs / check_key(key))

    def key_of(self, ref: str) -> str | None:
        if "://" in ref:
            return None
        try:
            rel = PurePosixPath(Path(ref).resolve().relative_to(self._abs).as_posix())
        except ValueError:
            return None
        return str(rel) if rel.parts else None


INCOMING = ".incoming-"


def write_once(path: Path, data: bytes) -> bool:
    """Content-addressed: written once, atomically (a reader never sees half a file), and synced.
    False when the file was there already (it is never overwritten)."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=INCOMING)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # never replaces: a writer that raced us and won keeps its file
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True
