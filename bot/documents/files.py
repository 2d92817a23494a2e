"""Files attached to a typical case (执法文书): photos are stored exactly as evidence is; PDF and Word
files are checked by content and stored content-addressed beside them (MEDIA_DIR/files/...)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.media import ACCEPTED, EvidenceStore, MediaRejected, write_once

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE_TYPES = {"application/pdf": "pdf", DOCX: "docx", "application/msword": "doc"}
IMAGE_TYPES = {t for t, _ in ACCEPTED.values()}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    media_type: str
    size: int
    path: Path


def sniff(data: bytes) -> str | None:
    """The media type of a PDF or Word file by its content, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    return None


def file_path(media: EvidenceStore, sha256: str, media_type: str) -> Path:
    if media_type in IMAGE_TYPES:
        return media.find(sha256, media_type)
    return media.root / "files" / sha256[:2] / f"{sha256}.{FILE_TYPES[media_type]}"


def store_case_file(media: EvidenceStore, data: bytes) -> StoredFile:
    """Store a photo or a PDF / Word file; MediaRejected (too_big, not_image) otherwise."""
    if len(data) > media.max_bytes:
        raise MediaRejected("too_big", f"{len(data)} > {media.max_bytes}")
    kind = sniff(data)
    if kind is None:
        stored = media.store_image(data)
        return StoredFile(stored.sha256, stored.media_type, stored.size, stored.path)
    digest = hashlib.sha256(data).hexdigest()
    path = file_path(media, digest, kind)
    write_once(path, data)
    return StoredFile(digest, kind, len(data), path)
