"""Evidence files: checked by content (not by name), stored content-addressed (the sha256 is the
key, written once) in the evidence store: the MEDIA_DIR directory (the embedded default) or
S3-compatible object storage (MEDIA_URL), see bot.media_store.

Documents generated for a user go to the same store (`documents/`, digest charts `digests/`), so
whichever process delivers the reply can read them; they are removed after
DOCUMENT_RETENTION_DAYS. An outgoing Image / Document names its file by the store's reference
(`ref`): an absolute path for the directory, `s3://bucket/prefix/key` for object storage. MEDIA_DIR
is always this host's own disk; with object storage it holds only scratch files (documents being
built, local copies for the console).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import tempfile
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, AsyncIterator, Iterable

from PIL import Image, UnidentifiedImageError

from bot import image_work
from bot.integrity_image import Examined, ImageFacts, examine
from bot.media_store import (  # noqa: F401 - re-exported for the callers of bot.media
    LocalStore, ObjectMissing, ObjectStore, StoreUnavailable, write_once,
)

if TYPE_CHECKING:
    from bot.config import Settings

ACCEPTED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
            "GIF": ("image/gif", "gif"), "BMP": ("image/bmp", "bmp"), "TIFF": ("image/tiff", "tif")}
GENERATED = ("documents/", "digests/")  # generated files: removed after the retention period
SCRATCH, CACHE = ".scratch", ".cache"  # under MEDIA_DIR, this host's own


class MediaRejected(Exception):
    """The file is not acceptable evidence; `reason` is one of: too_big, too_many_pixels, not_image."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class StoredMedia:
    sha256: str
    media_type: str
    size: int
    width: int
    height: int
    key: str  # in the evidence store
    facts: ImageFacts = ImageFacts()  # perceptual hashes, EXIF capture time and GPS (bot.integrity_image)


def evidence_key(sha256: str, media_type: str) -> str | None:
    """Where a photo lives in the store; None for a media type that is no accepted image."""
    ext = next((e for t, e in ACCEPTED.values() if t == media_type), None)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{ext}" if ext else None


class EvidenceStore:
    def __init__(self, objects: ObjectStore | Path, max_bytes: int, max_pixels: int, *,
                 local_dir: Path | None = None) -> None:
        self.objects = objects if isinstance(objects, ObjectStore) else LocalStore(Path(objects))
        local = getattr(self.objects, "root", None)
        self.root = Path(local_dir if local_dir is not None else local or Path(tempfile.gettempdir()) / "inspector-bot")
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    @property
    def kind(self) -> str:
        return self.objects.kind

    # ---- evidence
    def check_image(self, data: bytes) -> tuple[str, str, int, int]:
        """(media type, extension, width, height), or MediaRejected."""
        if len(data) > self.max_bytes:
            raise MediaRejected("too_big", f"{len(data)} > {self.max_bytes}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as img:
                    width, height = img.size
                    fmt = img.format or ""
                    if width * height > self.max_pixels:
                        raise MediaRejected("too_many_pixels", f"{width}x{height}")
                    img.verify()
        except MediaRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise MediaRejected("too_many_pixels", str(exc)) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise MediaRejected("not_image", str(exc)) from exc
        if fmt not in ACCEPTED:
            raise MediaRejected("not_image", fmt)
        media_type, ext = ACCEPTED[fmt]
        return media_type, ext, width, height

    async def _examine(self, data: bytes) -> tuple[str, int, int, str, ImageFacts]:
        """One decode for the check, the hashes and the EXIF, in an image worker process
        (bot.image_work): a big photo never holds up the event loop."""
        if len(data) > self.max_bytes:
            raise MediaRejected("too_big", f"{len(data)} > {self.max_bytes}")
        found: Examined = await image_work.workers().run(examine, data, self.max_pixels)
        if found.rejected:
            raise MediaRejected(found.rejected, found.detail)
        if found.format not in ACCEPTED:
            raise MediaRejected("not_image", found.format)
        digest = await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
        return ACCEPTED[found.format][0], found.width, found.height, digest, found.facts

    async def store_image(self, data: bytes) -> StoredMedia:
        """Check and store a photo: MediaRejected when it is no acceptable image, StoreUnavailable
        when the store cannot take it (then nothing was stored)."""
        media_type, width, height, digest, facts = await self._examine(data)
        key = evidence_key(digest, media_type)
        assert key is not None
        await self.objects.put(key, data)
        return StoredMedia(digest, media_type, len(data), width, height, key, facts)

    async def put(self, key: str, data: bytes) -> bool:
        return await self.objects.put(key, data)

    async def read(self, key: str) -> bytes:
        return await self.objects.get(key)

    def ref(self, key: str) -> str:
        return self.objects.ref(key)

    @contextlib.asynccontextmanager
    async def local_files(self, keys: Iterable[str]) -> AsyncIterator[dict[str, Path]]:
        """The objects as files on this disk while the block runs (document writers read files):
        the store's own files for the directory, copies in scratch space for object storage.
        Keys with no object are left out; StoreUnavailable when the store cannot be read."""
        found: dict[str, Path] = {}
        remote: list[str] = []
        for key in dict.fromkeys(keys):
            path = self.objects.local_path(key)
            if path is not None:
                found[key] = path
            elif self.objects.kind != "local":
                remote.append(key)
        if not remote:
            yield found
            return
        async with self.scratch() as tmp:
            gate = asyncio.Semaphore(8)

            async def fetch(n: int, key: str) -> None:
                async with gate:
                    try:
                        data = await self.objects.get(key)
                    except ObjectMissing:
                        return
                path = tmp / f"{n}{PurePosixPath(key).suffix}"
                await asyncio.to_thread(path.write_bytes, data)
                found[key] = path

            await asyncio.gather(*(fetch(n, key) for n, key in enumerate(remote)))
            yield found

    # ---- generated documents
    @contextlib.asynccontextmanager
    async def scratch(self) -> AsyncIterator[Path]:
        """A private directory on this host's disk for the block, removed afterwards."""
        base = self.root / SCRATCH
        await asyncio.to_thread(base.mkdir, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=base) as tmp:
            yield Path(tmp)

    async def put_document(self, name: str, path: Path, folder: str = "documents") -> str:
        """A generated file into the store, as `folder/<fresh id>/name`; the reference to send."""
        key = f"{folder}/{uuid.uuid4().hex[:12]}/{name}"
        await self.objects.put(key, await asyncio.to_thread(path.read_bytes))
        return self.objects.ref(key)

    async def read_ref(self, ref: str) -> bytes:
        """The bytes of an outgoing Image / Document: an object of this store, or a file on this
        disk (what the bot sent before the store existed, files given by tests and commands)."""
        key = self.objects.key_of(ref)
        if key is not None:
            return await self.objects.get(key)
        return await asyncio.to_thread(_local(ref).read_bytes)

    async def local_file(self, ref: str) -> Path:
        """An outgoing file as a path on this disk (the console shows it): the file itself when the
        store is a directory, else a copy under MEDIA_DIR/.cache (removed with the documents)."""
        key = self.objects.key_of(ref)
        if key is None:
            return _local(ref)
        path = self.objects.local_path(key)
        if path is not None:
            return path
        target = self.root / CACHE / key
        if not target.is_file():
            await asyncio.to_thread(write_once, target, await self.objects.get(key))
        return target

    async def remove_generated(self, older_than: datetime) -> int:
        """Remove the generated documents and digest charts stored before `older_than` (aware), and
        this host's scratch files as old; evidence is never removed. The number of objects removed."""
        removed = 0
        for prefix in GENERATED:
            old = [info.key async for info in self.objects.list(prefix) if info.modified < older_than]
            for key in old:
                await self.objects.delete(key)
            removed += len(old)
        cutoff = older_than.timestamp()
        await asyncio.to_thread(_prune, self.root / CACHE, cutoff)
        await asyncio.to_thread(_prune, self.root / SCRATCH, cutoff)
        return removed

    # ---- operations
    async def ping(self) -> None:
        await self.objects.ping()

    async def close(self) -> None:
        await self.objects.close()


def _local(ref: str) -> Path:
    if "://" in ref:
        raise StoreUnavailable(f"{ref.split('://', 1)[0]}:// is not this deployment's evidence store")
    return Path(ref)


def _prune(top: Path, cutoff: float) -> None:
    """Files under `top` last changed before `cutoff` (epoch seconds), then the empty folders."""
    if not top.is_dir():
        return
    for dirpath, dirs, files in os.walk(top, topdown=False):
        for name in files:
            path = Path(dirpath) / name
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                (Path(dirpath) / name).rmdir()  # only when empty


def evidence_store(settings: "Settings") -> EvidenceStore:
    """The store the settings name: MEDIA_URL (object storage), else the MEDIA_DIR directory."""
    if not settings.media_url:
        objects: ObjectStore = LocalStore(settings.media_dir)
    else:
        try:
            from bot.media_s3 import S3Store
        except ImportError as exc:
            raise RuntimeError("INSPECTOR_BOT_MEDIA_URL is object storage, but the S3 client is not "
                               "installed: pip install 'inspector-bot[s3]'") from exc
        objects = S3Store.from_url(
            settings.media_url, endpoint_url=settings.media_s3_endpoint, region=settings.media_s3_region,
            access_key=settings.media_s3_access_key, secret_key=settings.media_s3_secret_key,
            path_style=settings.media_s3_path_style)
    return EvidenceStore(objects, settings.max_photo_bytes, settings.max_photo_pixels, local_dir=settings.media_dir)
