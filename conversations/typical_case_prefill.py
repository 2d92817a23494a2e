"""A typical case started from an inspection: its fields drafted from the confirmed findings, their
legal basis in the campaign file, the orders issued, and the inspectors' records."""

from __future__ import annotations

from bot import texts
from bot.campaign import Campaign
from bot.documents.official import citation, decision_text
from bot.documents.records import InspectionRecord
from conversations.typical_case_checks import key_points_in
from storage.models import Member


def prefill(campaign: Campaign, record: InspectionRecord, members: dict[int, Member]) -> dict:
    insp = record.inspection
    findings = record.confirmed_findings
    rules = campaign.typical_case
    problem_text = " ".join(f.description for f in findings)
    problem_text += " " + " ".join(c.position or "" for c in record.certificates
                                   if any(f.certificate_id == c.id for f in findings))
    points = key_points_in(problem_text, rules.key_points)
    values: dict = {"title": texts.CASE_PREFILL_TITLE.format(bureau=record.bureau.name, enterprise=insp.enterprise.name)}
    keywords = list(dict.fromkeys([texts.CASE_PREFILL_KEYWORDS[0], insp.enterprise.industry, *points,
                                   *texts.CASE_PREFILL_KEYWORDS[1:]]))
    values["keywords"] = keywords[:rules.keywords["max"]]
    items = list(dict.fromkeys(campaign.item_of(f.requirement_id).title for f in findings
                               if _known(campaign, f.requirement_id)))
    if points:
        values["gist"] = texts.CASE_PREFILL_GIST.format(points="、".join(points), items="；".join(items))
    problems = "；".join(f"{n}. {f.description}" for n, f in enumerate(findings, 1))
    values["facts"] = texts.CASE_PREFILL_FACTS.format(
        date=f"{insp.inspection_date.year}年{insp.inspection_date.month}月{insp.inspection_date.day}日",
        bureau=record.bureau.name, inspectors=record.inspector_names, enterprise=insp.enterprise.name,
        industry=insp.enterprise.industry, problems=problems + "。")
    bases = [campaign.legal_basis[k] for k in dict.fromkeys(f.legal_basis for f in findings)
             if k in campaign.legal_basis]
    if bases:
        values["reasoning"] = reasoning(campaign, record, bases)
    officers = []
    for inspector in insp.inspectors:
        m = members.get(inspector.member_id) if inspector.member_id else None
        if m is not None and m.badge_no and m.phone:
            officers.append({"name": m.name, "badge_no": m.badge_no, "contact": m.phone})
    values["officers"] = officers[:rules.officers]
    return values


def reasoning(campaign: Campaign, record: InspectionRecord, bases: list) -> str:
    """查处理由 as the template asks: why the evidence is accepted, why this legal basis, why this
    decision (from the orders issued; to be completed when there are none yet)."""
    insp = record.inspection
    photos = len([e for e in record.evidence if e.requirement_id not in ("signature",)])
    evidence = texts.CASE_PREFILL_EVIDENCE.format(
        responsible=insp.responsible_person or "", photos=texts.CASE_PREFILL_PHOTOS.format(n=photos) if photos else "",
        certs=texts.CASE_PREFILL_CERTS if record.certificates else "")
    cites = "、".join(dict.fromkeys(citation(b) for b in bases))
    basis = texts.CASE_PREFILL_BASIS.format(citations=cites)
    decisions = "；".join(dict.fromkeys(decision_text(o) for o in record.orders
                                       if any(f.id == o.finding_id for f in record.confirmed_findings)))
    decision = texts.CASE_PREFILL_DECISION.format(decisions=decisions) if decisions else \
        texts.CASE_PREFILL_DECISION_MISSING
    return texts.CASE_PREFILL_REASONING.format(evidence=evidence, basis=basis, decision=decision)


def _known(campaign: Campaign, requirement_id: str) -> bool:
    try:
        campaign.item_of(requirement_id)
    except KeyError:
        return False
    return True
