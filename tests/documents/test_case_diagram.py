"""The Mermaid diagram next to the typical-case flow names exactly the states the flow has."""

from __future__ import annotations

import re
from pathlib import Path

from conversations.typical_case import STATES

DIAGRAM = Path(__file__).parents[2] / "conversations" / "typical_case.mmd"


def test_diagram_matches_the_states_of_the_flow():
    named = set()
    for line in DIAGRAM.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)", line)
        if m and not line.startswith("%%"):
            named |= {m.group(1), m.group(2)}
    named.discard("[*]")
    assert named == set(STATES)
