"""Text that people type, made safe where it enters and where it leaves.

Entering (`clean_text`, `clean_incoming`): each adapter passes the messages it converts through
`clean_incoming`, so no NUL (which PostgreSQL refuses) or other control character reaches the inbox,
the records or the documents. Line breaks and tabs are kept; CR LF and lone CRs become LF.

Leaving (`xml_text`): every export writes text through it; it drops what XML 1.0 cannot hold (and
openpyxl and python-docx refuse), for records stored before this cleaning existed.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

# C0 controls but TAB and LF, DEL, lone surrogates (JSON can carry them, UTF-8 cannot), U+FFFE/FFFF
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Whatever XML 1.0 does not allow (openpyxl's ILLEGAL_CHARACTERS_RE is the C0 part of it)
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

T = TypeVar("T")


def clean_text(text: str) -> str:
    """`text` without control characters (line breaks and tabs kept, CR LF made LF)."""
    if not text:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def clean_incoming(msg: T) -> T:
    """The message (an `Incoming`, or None) with every text field cleaned, its media's too."""
    if msg is None or not dataclasses.is_dataclass(msg):
        return msg
    changes = {}
    for f in dataclasses.fields(msg):
        value = getattr(msg, f.name)
        if isinstance(value, str):
            cleaned = clean_text(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            cleaned = clean_incoming(value)
        else:
            continue
        if cleaned is not value and cleaned != value:
            changes[f.name] = cleaned
    return dataclasses.replace(msg, **changes) if changes else msg


def xml_text(text: str) -> str:
    """`text` without the characters an XML document (xlsx, docx) cannot contain."""
    return _NOT_XML.sub("", text) if text else text
