"""Recorded Telegram updates and the `Incoming` each becomes (tests/fixtures/telegram/updates.json)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.adapters.telegram_convert import to_incoming
from bot.adapters.telegram_send import split_text, units
from tests.telegram.fake_api import TOKEN

CASES = json.loads((Path(__file__).parents[1] / "fixtures" / "telegram" / "updates.json").read_text("utf-8"))
BOT = Bot(TOKEN, base_url="http://127.0.0.1:9/bot")  # never called: only used to decode


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_update_to_incoming(case):
    msg = to_incoming(Update.de_json(case["update"], BOT), TOKEN.split(":")[0])
    if case["expected"] is None:
        assert msg is None
        return
    got = asdict(msg)
    assert got["channel"] == "telegram"
    assert {k: got[k] for k in case["expected"]} == case["expected"]


def test_long_text_is_cut_at_line_ends_and_counted_as_telegram_counts():
    text = "😀" * 3000 + "\n" + "检" * 10  # an emoji is two units for Telegram
    parts = split_text(text)
    assert parts == ["😀" * 2048, "😀" * 952 + "\n" + "检" * 10]  # never half an emoji
    assert [units(p) for p in parts] == [4096, 1904 + 1 + 10]
