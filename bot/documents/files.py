"""Files attached to a typical case (执法文书): photos are stored exactly as evidence is; PDF and Word
files are checked by content and stored content-addressed beside them (files/... in the store)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from bot.media import ACCEPTED, EvidenceStore, MediaRejected, evidence_key

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILE_TYPES = {"application/pdf": "pdf", DOCX: "docx", "application/msword": "doc"}
IMAGE_TYPES = {t for t, _ in ACCEPTED.values()}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    media_type: str
    size: int
    key: str  # in the evidence store


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


def file_key(sha256: str, media_type: str) -> str:
    """Where a case file lives in the evidence store: photos as evidence, others under files/."""
    if media_type in IMAGE_TYPES:
        key = evidence_key(sha256, media_type)
        assert key is not None
        return key
    return f"files/{sha256[:2]}/{sha256}.{FILE_TYPES[media_type]}"


async def store_case_file(media: EvidenceStore, data: bytes) -> StoredFile:
    """Store a photo or a PDF / Word file; MediaRejected (too_big, not_image) otherwise,
    StoreUnavailable when the store cannot take it (nothing is stored then)."""
    if len(data) > media.max_bytes:
        raise MediaRejected("too_big", f"{len(data)} > {media.max_bytes}")
    kind = sniff(data)
    if kind is None:
        stored = await media.store_image(data)
        return StoredFile(stored.sha256, stored.media_type, stored.size, stored.key)
    digest = hashlib.sha256(data).hexdigest()
    key = file_key(digest, kind)
    await media.put(key, data)
    return StoredFile(digest, kind, len(data), key)
