"""Reading what people type on a phone: dates, choices, requirement numbers."""

from __future__ import annotations

import re
from datetime import date, timedelta

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_RELATIVE = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2}


def parse_date(text: str, today: date) -> date | None:
    """2023-05-10, 2023/5/10, 2023.5.10, 2023年5月10日, 20230510, 今天, 昨天; None if not a real date."""
    text = normalize(text).replace(" ", "")
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９．　／－：", "0123456789. /-:")


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, surrounding blanks and final stops removed."""
    return text.translate(_FULLWIDTH).strip().rstrip("。.!！")


def pick(text: str, labels: list[str], aliases: dict[str, int] | None = None) -> int | None:
    """The index of the option meant by `text`: its number (1-based) or its label (or an alias)."""
    text = normalize(text)
    if text.isdigit():
        n = int(text)
        return n - 1 if 1 <= n <= len(labels) else None
    for i, label in enumerate(labels):
        if text == label:
            return i
    if aliases and text in aliases:
        return aliases[text]
    return None


_REQ = re.compile(r"^(?:修改|改|跳到|回到)\s*(\d+)\s*[.\-．]\s*(\d+)$")


def parse_jump(text: str) -> str | None:
    """'修改 2.3' -> '2.3'."""
    m = _REQ.match(normalize(text))
    return f"{m[1]}.{m[2]}" if m else None


def split_names(text: str) -> list[str]:
    parts = re.split(r"[、,，;；\s]+", normalize(text))
    return [p for p in parts if p]
