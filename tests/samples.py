"""Small voice messages and videos with the first bytes the real formats have (what bot.recordings
looks at): WeCom's AMR, Telegram's OGG/Opus, an MP4 video."""

from __future__ import annotations

import hashlib


def _body(seed: str, size: int) -> bytes:
    out = b""
    while len(out) < size:
        out += hashlib.sha256(f"{seed}{len(out)}".encode()).digest()
    return out[:size]


AMR = b"#!AMR\n" + _body("amr", 3000)  # a few seconds of AMR-NB frames
OGG = b"OggS\x00\x02" + _body("ogg", 4000)  # an Ogg page of Opus
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + _body("mp4", 20000)
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + _body("mov", 5000)
