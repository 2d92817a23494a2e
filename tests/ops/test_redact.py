"""bot.redact and the log filter: what an operator's log would have shown, and what it shows now."""

from __future__ import annotations

import json
import logging

import pytest

from bot.config import Settings
from bot.redact import REDACTED, error_text, redact
from tests.logcapture import served_logs

TG_TOKEN = "987654:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CORP_SECRET = "corp-Secret_0123456789abcdef"


@pytest.fixture(autouse=True)
def configured():
    """A process configured with these secrets (Settings remembers them for the redactor)."""
    Settings(_env_file=None, telegram_token=TG_TOKEN, wecom_secret=CORP_SECRET, wecom_token="cbTokenXYZ",
             wecom_aes_key="k" * 43, database_url="postgresql+asyncpg://bot:pg-Pass_99@db/inspector")


@pytest.mark.parametrize("label, line, gone", [
    ("httpx request line", f'HTTP Request: POST http://127.0.0.1:8081/bot{TG_TOKEN}/getMe "HTTP/1.1 200 OK"',
     ["AAHdqTcv"]),
    ("file download", f"GET https://api.telegram.org/file/bot{TG_TOKEN}/photos/file_1.jpg", ["AAHdqTcv"]),
    ("a token not configured", "POST /bot111111:ZZZZZZZZZZZZ-not-configured/sendMessage", ["ZZZZZZZZ"]),
    ("gettoken url", f"Max retries exceeded with url: /cgi-bin/gettoken?corpid=ww1&corpsecret={CORP_SECRET} (",
     [CORP_SECRET]),
    ("unknown corpsecret", "gettoken?corpid=ww1&corpsecret=AnotherOne-123456", ["AnotherOne"]),
    ("send url", "/cgi-bin/message/send?access_token=tok_Live-123456789 (Caused by", ["tok_Live"]),
    ("robot key", "webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa&access_token=", ["693a91f6"]),
    ("json answer", '{"errcode":0,"access_token":"tok_Live-123456789","expires_in":7200}', ["tok_Live"]),
    ("dict repr", "{'corpsecret': 'AnotherOne-123456', 'corpid': 'ww1'}", ["AnotherOne"]),
    ("keyword repr", "Settings(telegram_webhook_secret='hook-secret-1', wecom_aes_key='" + "k" * 43 + "')",
     ["hook-secret-1", "k" * 43]),
    ("database url", "could not connect to postgresql+asyncpg://bot:pg-Pass_99@db/inspector", ["pg-Pass_99"]),
    ("configured value anywhere", "callback token is cbTokenXYZ", ["cbTokenXYZ"]),
])
def test_redact(label, line, gone):
    cleaned = redact(line)
    assert REDACTED in cleaned, label
    assert not any(secret in cleaned for secret in gone), (label, cleaned)
    assert redact(cleaned) == cleaned  # applying it twice changes nothing


def test_ordinary_text_is_left_alone():
    for line in ("user telegram:1001:1001 is busy elsewhere; their messages stay queued",
                 "WeCom event click of zhangjc: EventKey=start_inspection",
                 "delivery of outbox 12 failed: WeChatClientException(45009, api freq out of limit)",
                 "请输入被检查单位名称（几个字即可，我来查找）：", ""):
        assert redact(line) == line


def test_log_lines_and_tracebacks_are_redacted():
    with served_logs() as out:
        log = logging.getLogger("tests.redact")
        logging.getLogger("httpx").setLevel(logging.INFO)  # as if an operator turned it back on
        logging.getLogger("httpx").info('HTTP Request: POST %s "HTTP/1.1 200 OK"',
                                        f"http://127.0.0.1:1/bot{TG_TOKEN}/getMe")
        try:
            raise ConnectionError(f"HTTPConnectionPool: url: /cgi-bin/gettoken?corpid=ww1&corpsecret={CORP_SECRET}")
        except ConnectionError as exc:
            log.warning("delivery of outbox %s failed: %r", 7, exc, exc_info=True)
            stored = error_text(exc)
    text = out.getvalue()
    entries = [json.loads(line) for line in text.splitlines()]
    assert [e["logger"] for e in entries] == ["httpx", "tests.redact"]
    assert REDACTED + "/getMe" in entries[0]["msg"]
    assert f"corpsecret={REDACTED}" in entries[1]["msg"] and f"corpsecret={REDACTED}" in entries[1]["exc"]
    assert CORP_SECRET not in stored and f"corpsecret={REDACTED}" in stored
    for secret in (TG_TOKEN, "AAHdqTcv", CORP_SECRET):
        assert secret not in text


def test_http_clients_log_only_warnings():
    with served_logs(logging.DEBUG):
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
        assert not logging.getLogger("httpcore").isEnabledFor(logging.INFO)
