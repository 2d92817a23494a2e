"""Voice messages and videos told apart by their content, size-limited, keyed like photos."""

from __future__ import annotations

import hashlib

import pytest

from bot import recordings
from tests.samples import AMR, MOV, MP4, OGG


@pytest.mark.parametrize(("data", "media_type"), [
    (AMR, "audio/amr"), (OGG, "audio/ogg"), (MP4, "video/mp4"), (MOV, "video/quicktime"),
    (b"\xff\xd8\xff\xe0 a jpeg", None), (b"%PDF-1.4", None), (b"", None)])
def test_sniff(data, media_type):
    assert recordings.sniff(data) == media_type


def test_check_size_kind_and_key():
    assert recordings.check(AMR, "voice", 10_000) == ("audio/amr", hashlib.sha256(AMR).hexdigest())
    with pytest.raises(recordings.RecordingRejected) as too_big:
        recordings.check(MP4, "video", 1000)
    assert too_big.value.reason == "too_big"
    with pytest.raises(recordings.RecordingRejected) as wrong:
        recordings.check(MP4, "voice", 10**6)  # a video sent as a voice message is not one
    assert wrong.value.reason == "unknown"
    sha = hashlib.sha256(OGG).hexdigest()
    assert recordings.recording_key(sha, "audio/ogg") == f"{sha[:2]}/{sha[2:4]}/{sha}.ogg"
    assert recordings.recording_key(sha, "image/jpeg") is None
