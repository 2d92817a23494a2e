"""Structured logs: one JSON object per line, with the request id of the HTTP request or the
message being handled (so a WeCom callback can be followed from ack to reply).

Every handler of the root logger gets `RedactFilter`: a line (its message, its traceback) goes out
only after bot.redact has blanked the tokens and secrets in it. The HTTP clients' request logs
(httpx, httpcore: one line per Bot API call, the token in the URL) are kept to warnings."""

from __future__ import annotations

import contextvars
import json
import logging
import uuid
from datetime import datetime, timezone
from typing import IO

from bot.redact import redact

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
QUIET = ("httpx", "httpcore")  # request lines with the Bot API token in the URL


def new_request_id(prefix: str = "") -> str:
    value = prefix + uuid.uuid4().hex[:12]
    request_id.set(value)
    return value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": request_id.get(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class RedactFilter(logging.Filter):
    """Blanks secrets in the message, the arguments and the traceback before any formatter sees them."""

    _tracebacks = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: logging reports it itself
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._tracebacks.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_redaction() -> None:
    """Put the filter on every handler of the root logger (once) and quiet the HTTP clients."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure(level: int = logging.INFO, json_lines: bool = True, stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    install_redaction()
