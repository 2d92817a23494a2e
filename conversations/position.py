"""Where an inspection stands, computed from the database alone. Used after every answer (go to
the first open step) and whenever the cursor is lost (restart, flushed Redis, another channel)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.campaign import Campaign
from storage.models import Inspection
from storage.repositories import Repos


@dataclass(frozen=True)
class Position:
    state: str
    req: str | None = None
    cert: int | None = None
    finding: int | None = None


async def open_position(repos: Repos, campaign: Campaign, inspection: Inspection) -> Position:
    """The first step of the inspection still waiting for the inspector."""
    for cert in await repos.inspections.certificates(inspection.id):
        if cert.stage != "done":
            return Position(cert.stage, cert=cert.id)
    for finding in await repos.inspections.findings(inspection.id):
        if finding.confirmed is None:
            return Position("cert_confirm", finding=finding.id, cert=finding.certificate_id)
    answers = await repos.inspections.answers(inspection.id)
    for req in campaign.requirements:
        answer = answers.get(req.id)
        if answer is None:
            return Position("verdict", req.id)
        if answer.verdict == "fail" and not answer.note:
            return Position("note", req.id)
        if req.id == campaign.register_after and not inspection.register_done:
            return Position("cert_menu")
    return Position("review")



async def open_items(repos: Repos, campaign: Campaign, inspection: Inspection) -> list[tuple[str, str]]:
    """What must still be done before submitting: (requirement or step, why)."""
    answers = await repos.inspections.answers(inspection.id)
    missing: list[tuple[str, str]] = []
    for req in campaign.requirements:
        answer = answers.get(req.id)
        if answer is None:
            missing.append((req.id, "unanswered"))
        elif answer.verdict is None:
            missing.append((req.id, "skipped"))
        elif answer.verdict == "fail" and not answer.note:
            missing.append((req.id, "no_note"))
    if campaign.register_after and not inspection.register_done:
        missing.append(("cert", "register_open"))
    return missing
