"""JSON from the network, parsed with a bound on nesting: a body nested thousands deep is refused
with a ValueError (the caller answers 400) before the parser recurses into it. A Telegram update
is nested about ten deep; the limit leaves room for anything the Bot API adds."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"')  # strings hold no structure: drop them first
_BRACKETS = re.compile(rb"[\[\]{}]")


class TooDeep(ValueError):
    """The JSON is nested deeper than allowed."""


def depth(body: bytes) -> int:
    """How deep arrays and objects nest in `body` (exact for valid JSON; for anything else a guess
    that json.loads then refuses anyway)."""
    deepest = level = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(body: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing (TooDeep, a ValueError) what nests deeper than `max_depth`."""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    # Fewer brackets than the limit cannot nest deeper (the usual case: no scan needed).
    if raw.count(b"[") + raw.count(b"{") > max_depth and depth(raw) > max_depth:
        raise TooDeep(f"JSON nested deeper than {max_depth}")
    try:
        return json.loads(raw)
    except RecursionError as exc:  # not reached within the bound; kept as a last line of defence
        raise TooDeep("JSON nested too deep") from exc
