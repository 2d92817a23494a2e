"""Voice messages and short videos as evidence: told apart by their content (not by name or the
type the platform claims), size-limited, stored content-addressed in the evidence store beside
the photos (`ab/cd/<sha256>.<ext>`), recorded as Evidence rows of their media type.

WeCom sends voice as AMR (its `Format` says amr; speex is not accepted) and video as MP4; Telegram
sends voice as OGG/Opus and videos (and round video notes) as MP4. Nothing is transcoded or
transcribed: the file is kept as the inspector sent it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from storage.models import Evidence

VOICE, VIDEO = "voice", "video"
# media type -> (kind, extension)
TYPES = {"audio/amr": (VOICE, "amr"), "audio/ogg": (VOICE, "ogg"), "audio/mp4": (VOICE, "m4a"),
         "video/mp4": (VIDEO, "mp4"), "video/quicktime": (VIDEO, "mov"), "video/3gpp": (VIDEO, "3gp")}
# ISO base media brands (bytes 8..12 of an `ftyp` box) that are QuickTime or 3GPP rather than MP4
_BRANDS = {b"qt  ": "video/quicktime", b"3gp4": "video/3gpp", b"3gp5": "video/3gpp", b"3gp6": "video/3gpp",
           b"M4A ": "audio/mp4"}


# Largest accepted file, bytes (settings MAX_VOICE_BYTES, MAX_VIDEO_BYTES; see `configure`). A
# minute of WeCom AMR is about 100 KB, of Telegram OGG/Opus a few hundred; Telegram's Bot API hands
# bots files up to 20 MB.
LIMITS = {VOICE: 5 * 1024 * 1024, VIDEO: 20 * 1024 * 1024}


def configure(max_voice_bytes: int, max_video_bytes: int) -> None:
    LIMITS.update({VOICE: max_voice_bytes, VIDEO: max_video_bytes})


def limit(kind: str) -> int:
    return LIMITS[kind]


class RecordingRejected(Exception):
    """Not acceptable as a recording; `reason` is too_big or unknown."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Recording:
    sha256: str
    media_type: str
    size: int
    key: str

    @property
    def kind(self) -> str:
        return TYPES[self.media_type][0]


def sniff(data: bytes) -> str | None:
    """The media type of a voice message or video by its first bytes; None when it is neither."""
    if data.startswith(b"#!AMR\n") or data.startswith(b"#!AMR-WB\n"):
        return "audio/amr"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return _BRANDS.get(data[8:12], "video/mp4")
    return None


def recording_key(sha256: str, media_type: str) -> str | None:
    """Where a recording lives in the evidence store; None for a type that is no recording."""
    found = TYPES.get(media_type)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{found[1]}" if found else None


def is_recording(media_type: str) -> bool:
    return media_type in TYPES


def kind_of(media_type: str) -> str:
    return TYPES[media_type][0] if media_type in TYPES else ""


def check(data: bytes, expected: str, limit: int) -> tuple[str, str]:
    """(media type, sha256) of an acceptable recording of the `expected` kind (voice | video)."""
    if len(data) > limit:
        raise RecordingRejected("too_big")
    media_type = sniff(data)
    if media_type is None or TYPES[media_type][0] != expected:
        raise RecordingRejected("unknown")
    return media_type, hashlib.sha256(data).hexdigest()


def counts(evidence: Iterable["Evidence"]) -> dict[str, Counter]:
    """Per requirement: how many voice messages and videos."""
    found: dict[str, Counter] = defaultdict(Counter)
    for e in evidence:
        if e.media_type in TYPES:
            found[e.requirement_id][TYPES[e.media_type][0]] += 1
    return found


def describe(counter: Counter) -> str:
    """"语音 1 条、视频 2 段" for a requirement's recordings ("" when none)."""
    from bot import texts

    parts = [texts.RECORDING_COUNTS[kind].format(n=counter[kind]) for kind in (VOICE, VIDEO) if counter[kind]]
    return "、".join(parts)


def review_lines(evidence: Iterable["Evidence"]) -> list[str]:
    """One line per requirement that has recordings, for 审核: "1.2 语音 1 条（语音说明）"."""
    from bot import texts

    evidence = list(evidence)
    lines = []
    for req_id, counter in counts(evidence).items():
        spoken = sum(1 for e in evidence if e.requirement_id == req_id and e.caption == texts.SPOKEN_NOTE_CAPTION)
        label = texts.REQUIREMENT_LABELS.get(req_id, req_id)
        lines.append(texts.RECORDING_LINE.format(req=label, what=describe(counter),
                                                 spoken=texts.RECORDING_SPOKEN if spoken else ""))
    return lines
