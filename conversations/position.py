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


# The steps between choosing the enterprise and the checklist, in order. Each is recorded in
# `Inspection.steps_done` when answered, so a rebuilt position never skips one.
HEADER_STEPS = ("co_inspectors", "date", "location")


async def open_position(repos: Repos, campaign: Campaign, inspection: Inspection) -> Position:
    """The first step of the inspection still waiting for the inspector."""
    for step in HEADER_STEPS:
        if step not in (inspection.steps_done or []):
            return Position(step)
    for cert in await repos.inspections.certificates(inspection.id):
        if cert.stage != "done":
            return Position(cert.stage, cert=cert.id)
    for finding in await repos.inspections.findings(inspection.id):
        if finding.confirmed is None:
            return Position("cert_confirm", finding=finding.id, cert=finding.certificate_id)
    answers = await repos.inspections.answers(inspection.id)
    confirmed = {f.requirement_id for f in await repos.inspections.findings(inspection.id) if f.confirmed}
    for req in campaign.requirements:
        answer = answers.get(req.id)
        if answer is None:
            return Position("verdict", req.id)
        if answer.verdict == "fail" and not answer.note:
            return Position("note", req.id)
        if answer.verdict in ("pass", "na") and req.id in confirmed and not answer.note:
            return Position("verdict_conflict", req.id)  # a verdict against a confirmed finding
        if req.id == campaign.register_after and not inspection.register_done:
            return Position("cert_menu")
    return Position("review")


def previous_position(campaign: Campaign, pos: Position) -> Position | None:
    """The step before `pos` in the checklist's own order: where 上一步 goes when there is no
    history to go back through (after 继续, a restart, a flushed cache). None at the first step."""
    order = [Position("ent_query"), *(Position(step) for step in HEADER_STEPS)]
    for req in campaign.requirements:
        order.append(Position("verdict", req.id))
        if req.id == campaign.register_after:
            order.append(Position("cert_menu"))
    if pos.state == "note":
        return Position("verdict", pos.req)
    if pos.state.startswith("cert_"):
        linear = Position("cert_menu") if pos.state != "cert_menu" else pos
    elif pos.state in ("review", "sign_person", "sign_photo", "confirm_submit"):
        return order[-1]
    else:
        linear = Position(pos.state, pos.req)
    if linear != pos:
        return linear
    if linear not in order:
        return None
    index = order.index(linear)
    return order[index - 1] if index > 0 else None


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
