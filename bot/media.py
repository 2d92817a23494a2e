"""Evidence files: checked by content (not by name), stored content-addressed under MEDIA_DIR."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from bot.integrity_image import ImageFacts, image_facts

ACCEPTED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp"),
            "GIF": ("image/gif", "gif"), "BMP": ("image/bmp", "bmp"), "TIFF": ("image/tiff", "tif")}


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
    path: Path
    facts: ImageFacts = ImageFacts()  # perceptual hashes, EXIF capture time and GPS (bot.integrity_image)


class EvidenceStore:
    def __init__(self, root: Path, max_bytes: int, max_pixels: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

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

    def path_for(self, sha256: str, ext: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.{ext}"

    def find(self, sha256: str, media_type: str) -> Path:
        ext = next(e for t, e in ACCEPTED.values() if t == media_type)
        return self.path_for(sha256, ext)

    def store_image(self, data: bytes) -> StoredMedia:
        media_type, ext, width, height = self.check_image(data)
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest, ext)
        write_once(path, data)
        return StoredMedia(digest, media_type, len(data), width, height, path, image_facts(data))


def write_once(path: Path, data: bytes) -> None:
    """Content-addressed: written once, atomically (a reader never sees half a file), and synced."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
