"""The checks on a typical case (附件2): each refuses bad input with a reply that says what is wrong.
Pure functions over text; the conversation decides what to keep."""

from __future__ import annotations

import re

from bot import texts
from conversations.flow import BadInput
from conversations.parsing import normalize

BUREAU_WORD = "应急管理局"
# Words that make a name an enterprise or organisation (违法主体).
ORG_WORDS = ("公司", "厂", "矿", "企业", "单位", "集团", "合作社", "中心", "学校", "机构", "考试点", "考点",
             "站", "所", "店", "部", "社", "场")
MIN_CHARS = {"gist": 10, "facts": 20, "reasoning": 20, "commentary": 10}
KEYWORD_CHARS = (2, 15)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
BADGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,31}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LABELS = re.compile(r"(姓名|执法证号|执法证|证号|联系电话|联系方式|电话|手机)[:：]?")


def clean(text: str) -> str:
    return normalize(text).strip("“”\"'《》「」 ")


def check_title(text: str, bureau_names: list[str], enterprise_names: list[str] = ()) -> str:
    """执法主体+违法主体+案: ends with 案, starts with a bureau, names an enterprise or organisation."""
    title = clean(text).replace(" ", "")
    if not title.endswith("案"):
        raise BadInput(texts.CASE_TITLE_NO_AN.format(value=title))
    bureau = next((b for b in sorted(bureau_names, key=len, reverse=True) if title.startswith(b)), None)
    if bureau is None:
        m = re.match(rf"^(.{{2,30}}?{BUREAU_WORD})", title)
        bureau = m.group(1) if m else None
    if bureau is None:
        raise BadInput(texts.CASE_TITLE_NO_BUREAU.format(value=title))
    party = title[len(bureau):-1]
    named = any(e and e in party for e in enterprise_names) or any(w in party for w in ORG_WORDS)
    if len(party) < 3 or not named:
        raise BadInput(texts.CASE_TITLE_NO_PARTY.format(value=title))
    if not 10 <= len(title) <= 80:
        raise BadInput(texts.CASE_TITLE_LENGTH.format(value=title))
    return title


def parse_keywords(text: str) -> list[str]:
    words = [w.strip("#＃“”\"") for w in re.split(r"[、,，;；\s/|]+", normalize(text))]
    return list(dict.fromkeys(w for w in words if w))


def bad_keyword(words: list[str]) -> str | None:
    low, high = KEYWORD_CHARS
    return next((w for w in words if not low <= len(w) <= high), None)


def key_points_in(text: str, key_points: list[str]) -> list[str]:
    """The template's key items a text mentions (a long item also by its tail: 主要负责人)."""
    found = []
    for point in key_points:
        forms = {point, point.split("单位")[-1], point.removeprefix("安全")}
        if any(f and len(f) >= 2 and f in text for f in forms):
            found.append(point)
    return found


def check_gist(text: str, key_points: list[str]) -> str:
    gist = text.strip()
    check_length("gist", gist)
    if not key_points_in(gist, key_points):
        raise BadInput(texts.CASE_GIST_NO_POINT.format(points="、".join(key_points)))
    return gist


def check_length(field: str, value: str) -> str:
    if len(value) < MIN_CHARS[field]:
        raise BadInput(texts.CASE_TEXT_SHORT.format(label=texts.CASE_FIELD_LABELS[field], n=MIN_CHARS[field]))
    return value


def parse_officer(line: str) -> dict[str, str]:
    """'李明 14050220230017 13800000000' -> {name, badge_no, contact}; a specific BadInput otherwise.
    After the name come the 执法证号 and then the phone; a lone number that is a mobile number is
    taken as the phone (so the 执法证号 is the one missing)."""
    original = normalize(line)
    tokens = [t for t in re.split(r"[\s,，、;；/]+", LABELS.sub(" ", original)) if t]
    names = [t for t in tokens if CJK.search(t)]
    numbers = [t for t in tokens if not CJK.search(t)]
    if not names:
        raise BadInput(texts.CASE_OFFICER_MISSING_NAME.format(line=original))
    if len(names) > 1 or len(numbers) > 2 or not 2 <= len(names[0]) <= 20:
        raise BadInput(texts.CASE_OFFICER_BAD.format(line=original))
    if not numbers:
        raise BadInput(texts.CASE_OFFICER_MISSING_BADGE.format(line=original))
    if len(numbers) == 1:
        if MOBILE.match(numbers[0]):
            raise BadInput(texts.CASE_OFFICER_MISSING_BADGE.format(line=original))
        raise BadInput(texts.CASE_OFFICER_MISSING_CONTACT.format(line=original))
    badge, contact = numbers
    if not BADGE.match(badge) or not PHONE.match(contact):
        if PHONE.match(badge) and BADGE.match(contact) and not PHONE.match(contact):
            badge, contact = contact, badge  # given the other way round
        else:
            raise BadInput(texts.CASE_OFFICER_BAD.format(line=original))
    return {"name": names[0], "badge_no": badge.upper(), "contact": contact}


def officer_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n\r；;]+", text) if line.strip()]
