"""The Mermaid diagram next to the flow names exactly the states the flow has."""

from __future__ import annotations

import re
from pathlib import Path

from conversations.inspection import STATES

DIAGRAM = Path(__file__).parents[2] / "conversations" / "inspection.mmd"


def test_diagram_matches_the_states_of_the_flow():
    text = "\n".join(line for line in DIAGRAM.read_text(encoding="utf-8").splitlines() if not line.startswith("%%"))
    named = set()
    for line in text.splitlines():
        m = re.match(r"\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)", line)
        if m:
            named |= {m.group(1), m.group(2)}
    named.discard("[*]")
    assert named == set(STATES)
