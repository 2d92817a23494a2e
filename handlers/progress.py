"""Progress questions from supervisors and inspectors, scoped by role (see the progress issue)."""

from __future__ import annotations

from handlers.router import Router

router = Router("progress")
# Words that are answered in a bureau's group chat as well (everything else is private-only).
group_router = Router("progress-group")
