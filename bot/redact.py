"""Secrets out of everything the bot writes down. `redact` is the one function that does it: the log
filter (bot/logs.py) passes every line through it, and every exception text that is stored (the
inbox's and the outbox's `error`) or printed goes through `error_text`.

What it removes: the secrets this process is configured with (`remember`, called for every
Settings), Telegram bot tokens (`/bot<id>:<token>/` in Bot API URLs, or bare), the values of
secret-like query parameters and fields (`corpsecret=`, `access_token=`, `key=`, `secret_token`,
`"access_token": "..."`) and passwords in URLs (`scheme://user:password@host`).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET = 6  # shorter configured values are not searched for (they would blank out ordinary text)

_NAME = r"(?:\w*secret\w*|\w*_token|token|\w*password|passwd|pwd|aes_key|api_key|key|ticket)"
_VALUE = r"[^\s&#'\"<>,;()\[\]{}]+"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Bot API URLs: https://api.telegram.org/bot123456:AAE.../getMe, /file/bot123456:AAE.../photos/1.jpg
    (re.compile(r"(/bot\d+:)[A-Za-z0-9_-]+"), rf"\1{REDACTED}"),
    # A bare Telegram token (real ones have 35 characters after the colon)
    (re.compile(r"(?<![\w:/])(\d{5,}:)[A-Za-z0-9_-]{30,}"), rf"\1{REDACTED}"),
    # Query strings, form bodies, keyword reprs: corpsecret=..., access_token=..., key=..., secret='...'
    (re.compile(rf"(?i)(?<![\w.-])({_NAME}\s*(?:=|%3D)\s*['\"]?){_VALUE}"), rf"\1{REDACTED}"),
    # JSON and dict reprs: "access_token": "...", 'corpsecret': '...'
    (re.compile(rf"(?i)([\"']{_NAME}[\"']\s*:\s*[\"'])[^\"']*"), rf"\1{REDACTED}"),
    # Passwords in URLs: postgresql://user:password@host/db, redis://:password@host
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+(@)"), rf"\1{REDACTED}\2"),
]

_lock = threading.Lock()
_configured: set[str] = set()
_runtime: deque[str] = deque(maxlen=64)  # tokens learned while running (WeCom access tokens)
_known: re.Pattern[str] | None = None


def remember(*secrets: str | None, runtime: bool = False) -> None:
    """Values to blank wherever they appear. `runtime`: a short-lived one (an access token just
    fetched); only the latest few of those are kept."""
    global _known
    fresh = {s.strip() for s in secrets if s and len(s.strip()) >= MIN_SECRET}
    with _lock:
        before = set(_configured) | set(_runtime)
        for secret in fresh:
            if runtime:
                if secret not in _runtime:
                    _runtime.append(secret)
            else:
                _configured.add(secret)
        values = set(_configured) | set(_runtime)
        if values == before:
            return
        forms = {form for v in values for form in (v, quote(v, safe=""), quote_plus(v))}
        _known = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


def remember_settings(settings: object) -> None:
    """The secrets of a Settings object: channel credentials and passwords in server URLs."""
    remember(*(str(getattr(settings, name, "") or "") for name in (
        "wecom_secret", "wecom_token", "wecom_aes_key", "telegram_token", "telegram_webhook_secret",
        "media_s3_secret_key")))
    for name in ("database_url", "redis_url"):
        url = str(getattr(settings, name, "") or "")
        match = re.match(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:([^@\s/]+)@", url, re.I)
        if match:
            remember(match.group(1))


def redact(text: str) -> str:
    """`text` with every secret it contains replaced by [redacted]."""
    if not text:
        return text
    known = _known
    if known is not None:
        text = known.sub(REDACTED, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def error_text(exc: BaseException) -> str:
    """What is stored about an exception (the inbox's and outbox's `error`): its repr, redacted."""
    return redact(repr(exc))
