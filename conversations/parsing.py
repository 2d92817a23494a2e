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
        if text == label or text == normalize(label):  # typed as shown: full-width colon and all
            return i
    if aliases and text in aliases:
        return aliases[text]
    return None


_REQ = re.compile(r"^(?:修改|改|跳到|回到)\s*(\d+)\s*[.\-．]\s*(\d+)$")
_STEP = re.compile(r"^(?:修改|改|跳到|回到)\s*(\S+)$")
# 修改 <word>: the steps before the checklist, by the words an inspector would use.
STEP_WORDS = {"人员": "co_inspectors", "检查人员": "co_inspectors", "同行": "co_inspectors",
              "同行人员": "co_inspectors", "同行检查人员": "co_inspectors", "日期": "date", "检查日期": "date",
              "定位": "location", "地点": "location", "位置": "location"}


def parse_jump(text: str) -> str | None:
    """'修改 2.3' -> '2.3'; '修改 日期' -> 'date' (a step before the checklist)."""
    text = normalize(text)
    m = _REQ.match(text)
    if m:
        return f"{m[1]}.{m[2]}"
    m = _STEP.match(text)
    return STEP_WORDS.get(m[1]) if m else None


def split_names(text: str) -> list[str]:
    parts = re.split(r"[、,，;；\s]+", normalize(text))
    return [p for p in parts if p]


# A person's name: Chinese characters (with the middle dot of minority and foreign names), or
# latin letters with single spaces, hyphens and apostrophes. No digits, dates, emoji or symbols.
_CJK_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(?:[·•][\u3400-\u4dbf\u4e00-\u9fff]+)*$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*)*$")
MAX_PERSON_NAME = 20


def person_name(text: str) -> str | None:
    """`text` as one person's name, tidied (blanks inside a Chinese name dropped: "李 四" is 李四);
    None when it does not read as a name (2 to 20 characters, no digits, dates, emoji, symbols)."""
    name = " ".join(normalize(text).split())
    if _CJK_NAME.match(name.replace(" ", "")):
        name = name.replace(" ", "")
    if not 2 <= len(name) <= MAX_PERSON_NAME:
        return None
    return name if _CJK_NAME.match(name) or _LATIN_NAME.match(name) else None


def is_person_name(text: str) -> bool:
    return person_name(text) is not None


# Words that mean "nobody / nothing" where a list of names or a certificate is asked for.
NONE_WORDS = {"无", "没有", "无人", "none", "no", "-", "—", "/", "0"}
