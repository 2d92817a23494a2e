"""The message types round-trip through JSON (the inbox and the outbox store them), old rows too."""

from __future__ import annotations

import json

import pytest

from bot.messages import Incoming, Kind, PressResult, Text, outgoing_from_json, outgoing_to_json


def test_a_press_round_trips_with_what_the_adapter_needs_to_settle_it():
    press = Incoming(channel="telegram", user_id="1001", chat_id="1001", kind=Kind.CHOICE, data="a1b2c3d4:0",
                     msg_id="123456-7007", press_id="cq1", question_id="20", question_text="1.1 …")
    assert Incoming.from_json(json.loads(json.dumps(press.to_json()))) == press


def test_an_inbox_row_stored_before_the_press_fields_still_loads():
    old = {"channel": "telegram", "user_id": "1", "chat_id": "1", "kind": "choice", "data": "x:0", "media": None}
    msg = Incoming.from_json(old)
    assert (msg.press_id, msg.question_id, msg.question_text) == ("", "", "")


@pytest.mark.parametrize("accepted", [True, False])
def test_press_result_round_trips_and_carries_the_question_only_when_taken(accepted):
    press = Incoming(channel="telegram", user_id="1", chat_id="1", kind=Kind.CHOICE, data="x:0",
                     press_id="cq9", question_id="77", question_text="问题")
    result = PressResult.of(press, accepted, label="符合" if accepted else "", popup="" if accepted else "失效" * 150)
    assert outgoing_from_json(json.loads(json.dumps(outgoing_to_json(result)))) == result
    assert result.question_text == ("问题" if accepted else "")
    assert len(result.popup) <= 200  # Telegram's limit for a pop-up
    assert outgoing_from_json(outgoing_to_json(Text("x"))) == Text("x")
