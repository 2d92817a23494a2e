"""The written report's content, before it is laid out: the sections the notice asks for (四(一)
组织领导, 四(二) 执法 and 曝光, 四(三) 长效机制, then 存在问题 and 下步措施), each prefilled from the
figures (bot.progress, the one definition of every count) and the records, unless the clerk replaced
it (storage.models_documents.ReportText). What the records cannot know is left as 【待填写：…】 and
the final export refuses until it is filled: the leader in charge, the reason for a shortfall, the
exposure, the long-term measures, the document number, the signer and the contact."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from bot import texts
from bot.campaign import Campaign
from bot.counting import in_campaign
from bot.documents.official import citation, cn_date, doc_number
from bot.documents.records import InspectionRecord, overdue_days
from bot.progress import OTHER, BureauProgress, CityProgress, Figures
from storage.models import Bureau, TypicalCase

FIELDS = ("doc_no", "signer", "contact", "to")  # of the form, one line each
SLOTS = ("leader", "short_reason", "exposure")  # pieces of a prefilled section
# The outline: (key, level); level 1 is 一、… in 黑体, level 2 （一）… in 楷体. Every key but a
# heading that only holds sub-sections ("inspection") is a text the clerk may replace.
OUTLINE = [("org", 1), ("inspection", 1), ("enterprises", 2), ("problems", 2), ("enforcement", 1), ("cases", 1),
           ("mechanism", 1), ("issues", 1), ("next", 1)]
HEADINGS_ONLY = {"inspection"}
SECTIONS = tuple(k for k, _ in OUTLINE if k not in HEADINGS_ONLY)
TOP = 2  # requirements named as "问题较多的是"


@dataclass
class ReportScope:
    """Everything one report is made of, as of one day."""

    campaign: Campaign
    bureau: Bureau  # who reports: a county, or the city (summary of all)
    records: list[InspectionRecord]  # submitted inspections in scope, cut to the day
    cases: list[TypicalCase]  # finished typical cases in scope, by the day
    bureaus: list[Bureau]  # every bureau
    as_of: date
    rows: list[BureauProgress]  # the figures: one row (a county) or every bureau (the city)
    city: CityProgress | None = None
    edits: dict[str, str] = field(default_factory=dict)  # the clerk's texts by key
    contact: str = ""  # prefilled 联系人 (the member asking), if known

    @property
    def is_city(self) -> bool:
        return self.bureau.level == "city"

    @property
    def total(self) -> BureauProgress:
        return self.city.total if self.city else self.rows[0]

    @property
    def figures(self) -> Figures:
        return self.total.figures

    @property
    def campaign_records(self) -> list[InspectionRecord]:
        """The campaign's inspections (bot.counting): what the report's lists show."""
        return [r for r in self.records if in_campaign(self.campaign, r)]

    def short_name(self, bureau_id: int) -> str:
        return next((b.short_name for b in self.bureaus if b.id == bureau_id), "")


def missing(what: str) -> str:
    return texts.RPT_MISSING.format(what=what)


def unfilled(text: str) -> list[str]:
    """The 【待填写：…】 markers left in a text."""
    return re.findall(texts.RPT_MISSING_RE, text or "")


# ---- the form's fields
def title(scope: ReportScope) -> str:
    template = texts.RPT_TITLE_CITY if scope.is_city else texts.RPT_TITLE
    return template.format(bureau=scope.bureau.name, campaign=scope.campaign.title)


def field_value(scope: ReportScope, key: str) -> str:
    edited = scope.edits.get(key, "").strip()
    if edited:
        return doc_number(edited) if key == "doc_no" else edited
    if key == "to":
        return texts.RPT_CITY_TO if scope.is_city else scope.campaign.report_to
    if key == "contact" and scope.contact:
        return scope.contact
    return missing({"doc_no": texts.RPT_DOC_NO_MISSING, "signer": texts.RPT_SIGNER_MISSING,
                    "contact": texts.RPT_CONTACT_MISSING}[key])


def slot(scope: ReportScope, key: str, what: str) -> str:
    return scope.edits.get(key, "").strip() or missing(what)


def intro(scope: ReportScope) -> str:
    c = scope.campaign
    notice = texts.RPT_NOTICE.format(issuer=c.issuer, campaign=c.title, doc_no=doc_number(c.document_no))
    return texts.RPT_INTRO.format(notice=notice, we=texts.RPT_WE, start=cn_date(c.period.start),
                                  end=cn_date(c.period.end), campaign=c.title)


# ---- the sections, prefilled
def section_text(scope: ReportScope, key: str) -> str:
    """The section's text: the clerk's, or the one made from the records."""
    edited = scope.edits.get(key, "").strip()
    return edited or PREFILL[key](scope)


def headings() -> list[tuple[str, int, str]]:
    """(key, level, numbered heading) in the report's order: 一、… and （一）…"""
    out, top, sub = [], 0, 0
    for key, level in OUTLINE:
        if level == 1:
            top, sub = top + 1, 0
            out.append((key, 1, f"{texts.RPT_NUMERALS[top - 1]}、{texts.RPT_SECTIONS[key]}"))
        else:
            sub += 1
            out.append((key, 2, f"（{texts.RPT_NUMERALS[sub - 1]}）{texts.RPT_SECTIONS[key]}"))
    return out


def _org(scope: ReportScope) -> str:
    leader = slot(scope, "leader", texts.RPT_ORG_LEADER)
    recs = scope.campaign_records
    if not recs:
        return texts.RPT_ORG_NONE
    if scope.is_city:
        bureaus = [b for b in scope.rows if b.figures.inspected_visits]
        people = {i.name for r in recs for i in r.inspection.inspectors}
        return texts.RPT_ORG_CITY.format(leader=leader, bureaus="、".join(b.short for b in bureaus),
                                         n=len(bureaus), people=len(people))
    names = list(dict.fromkeys(i.name for r in recs for i in r.inspection.inspectors))
    days = sorted(r.inspection.inspection_date for r in recs)
    shown = names[:6]
    return texts.RPT_ORG.format(leader=leader, names="、".join(shown),
                                more=texts.RPT_ORG_MORE if len(names) > len(shown) else "", n=len(names),
                                first=cn_date(days[0]), last=cn_date(days[-1]))


def enterprises_text(scope: ReportScope) -> str:
    f, total = scope.figures, scope.total
    parts = [texts.RPT_INDUSTRY_PART.format(name=n, n=v) for n, v in f.by_industry if v]
    if f.other_industry:
        parts.append(texts.RPT_INSPECTED_OTHER.format(n=f.other_industry))
    verdict = texts.RPT_SHORT.format(left=total.remaining) if total.remaining else texts.RPT_DONE
    if f.inspected:
        text = texts.RPT_INSPECTED.format(inspected=f.inspected, visits=f.inspected_visits,
                                          industries="、".join(parts), counted=f.enterprises, quota=total.quota,
                                          verdict=verdict)
    else:
        text = texts.RPT_INSPECTED_NONE.format(quota=total.quota)
    lines = [text]
    if scope.city is not None and scope.city.shared_enterprises:
        lines.append(texts.RPT_CITY_SUM.format(shared=scope.city.shared_enterprises,
                                               distinct=scope.city.distinct_enterprises))
    if total.remaining:
        lines.append(texts.RPT_SHORT_REASON.format(
            reason=slot(scope, "short_reason", texts.RPT_SHORT_REASON_MISSING)))
    return "\n".join(lines)


def problems_text(scope: ReportScope) -> str:
    f = scope.figures
    if not f.findings_total:
        return texts.RPT_PROBLEMS_NONE
    items = "、".join(texts.RPT_PROBLEM_ITEM.format(title=t, n=n) for t, n in f.findings if n)
    top = [(req, n) for req, n in sorted(f.findings_by_requirement, key=lambda p: -p[1]) if n][:TOP]
    tops = "；".join(texts.RPT_PROBLEM_TOP.format(text=_short_req(scope.campaign, req), n=n) for req, n in top)
    return texts.RPT_PROBLEMS.format(n=f.findings_total, enterprises=sum(n for _, n in f.problem_enterprises),
                                     items=items, top=tops)


def _enforcement(scope: ReportScope) -> str:
    f = scope.figures
    o = f.orders
    if not o.total and not f.penalties:
        return texts.RPT_ENFORCEMENT_NONE
    states = []
    if o.rectified:
        states.append(texts.RPT_STATE_RECTIFIED.format(n=o.rectified))
    if o.escalated:
        states.append(texts.RPT_STATE_ESCALATED.format(n=o.escalated))
    if o.open:
        states.append(texts.RPT_STATE_OPEN_LATE.format(n=o.open, late=o.overdue) if o.overdue
                      else texts.RPT_STATE_OPEN.format(n=o.open))
    penalties = (texts.RPT_ENFORCEMENT_PENALTIES.format(n=f.penalties, yuan=f"{f.penalty_yuan:,}") if f.penalties
                 else texts.RPT_ENFORCEMENT_NO_PENALTY)
    lines = [texts.RPT_ENFORCEMENT.format(orders=o.total, penalties=penalties, day=cn_date(scope.as_of),
                                          states="，".join(states))]
    late = late_orders(scope)
    if late:
        lines.append(texts.RPT_LATE_LEAD)
        lines += [texts.RPT_LATE_LINE.format(n=n, **row) for n, row in enumerate(late, 1)]
    return "\n".join(lines)


def late_orders(scope: ReportScope) -> list[dict]:
    """Orders overdue on the day, or escalated by it: the enterprise, the problem, what happened."""
    out = []
    for r in scope.campaign_records:
        for o in r.orders:
            days = overdue_days(o, scope.as_of)
            if not days and o.status != "escalated":
                continue
            finding = r.finding(o.finding_id)
            visits = r.followups.get(o.id, [])
            state = (texts.RPT_LATE_OPEN.format(days=days) if days else texts.RPT_LATE_ESCALATED.format(
                day=cn_date(visits[-1].visit_date) if visits else "", measure=o.measure))
            out.append(dict(enterprise=r.inspection.enterprise.name,
                            problem=finding.description if finding else "",
                            due=cn_date(o.due_date) if o.due_date else "", state=state))
    return out


def _cases(scope: ReportScope) -> str:
    quota = scope.total.case_quota
    if scope.cases:
        line = texts.RPT_CASES.format(n=len(scope.cases), quota=quota, titles="、".join(
            texts.RPT_CASE_TITLE.format(title=c.title) for c in scope.cases))
    else:
        line = texts.RPT_CASES_NONE.format(quota=quota)
    return "\n".join([line, texts.RPT_EXPOSURE.format(what=slot(scope, "exposure", texts.RPT_EXPOSURE_MISSING))])


def _mechanism(scope: ReportScope) -> str:
    return missing(texts.RPT_MECHANISM_MISSING)


def _top_item(scope: ReportScope) -> tuple[str, int, list[str]] | None:
    """The checklist item with the most problems, and its most frequent problem descriptions."""
    f = scope.figures
    best = max(f.findings, key=lambda p: p[1], default=None)
    if not best or not best[1]:
        return None
    title_, n = best
    reqs = {r.id for item in scope.campaign.checklist.items if item.title == title_ for r in item.requirements}
    words = Counter(fd.description for r in scope.campaign_records for fd in r.confirmed_findings
                    if fd.requirement_id in reqs)
    return title_, n, [d for d, _ in words.most_common(3)]


def _issues(scope: ReportScope) -> str:
    parts = []
    top = _top_item(scope)
    if top:
        title_, n, details = top
        parts.append(texts.RPT_ISSUE_TOP.format(order="{order}", title=title_, n=n, details="、".join(details)))
    o = scope.figures.orders
    if o.open:
        parts.append(texts.RPT_ISSUE_LATE.format(order="{order}", open=o.open, overdue=o.overdue))
    if o.escalated:
        parts.append(texts.RPT_ISSUE_ESCALATED.format(order="{order}", n=o.escalated))
    if scope.total.remaining:
        parts.append(texts.RPT_ISSUE_SHORT.format(order="{order}", done=scope.figures.enterprises,
                                                  quota=scope.total.quota))
    if not parts:
        return texts.RPT_ISSUE_NONE
    return "".join(p.replace("{order}", texts.RPT_ORDINALS[i]) for i, p in enumerate(parts))


def _next(scope: ReportScope) -> str:
    parts = []
    o = scope.figures.orders
    if o.open:
        parts.append(texts.RPT_NEXT_OPEN.format(order="{order}", open=o.open))
    if scope.total.remaining:
        parts.append(texts.RPT_NEXT_SHORT.format(order="{order}", left=scope.total.remaining))
    top = _top_item(scope)
    if top:
        parts.append(texts.RPT_NEXT_TOP.format(order="{order}", title=top[0]))
    parts.append(texts.RPT_NEXT_MECHANISM.format(order="{order}"))
    return "".join(p.replace("{order}", texts.RPT_ORDINALS[i]) for i, p in enumerate(parts))


PREFILL = {"org": _org, "enterprises": enterprises_text, "problems": problems_text, "enforcement": _enforcement,
           "cases": _cases, "mechanism": _mechanism, "issues": _issues, "next": _next}


def _short_req(campaign: Campaign, req_id: str, limit: int = 24) -> str:
    text = campaign.requirement(req_id).text.rstrip("。；;.")
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def unfilled_parts(scope: ReportScope) -> list[str]:
    """What the final export waits for: the names of the fields and sections with a marker left."""
    out = []
    for key in FIELDS:
        if unfilled(field_value(scope, key)):
            out.append(texts.RPT_FIELD_NAMES[key])
    for key in SECTIONS:
        for marker in unfilled(section_text(scope, key)):
            what = marker.split("：", 1)[-1].rstrip("】")
            out.append(f"{texts.RPT_SECTIONS[key]}（{what}）")
    return out


# ---- the tables under the sections
def industry_rows(scope: ReportScope) -> list[list[str]]:
    f = scope.figures
    visits = dict(f.visits_by_industry)
    findings = dict(f.findings_by_industry)
    with_problems = dict(f.problem_enterprises)
    rows = [[name, str(n), str(visits.get(name, 0)), str(with_problems.get(name, 0)), str(findings.get(name, 0))]
            for name, n in f.by_industry]
    if f.other_industry or findings.get(OTHER):
        rows.append([texts.RPT_OTHER_INDUSTRY, str(f.other_industry), str(f.other_visits),
                     str(with_problems.get(OTHER, 0)), str(findings.get(OTHER, 0))])
    rows.append([texts.RPT_TOTAL, str(f.inspected), str(f.inspected_visits),
                 str(sum(with_problems.values())), str(f.findings_total)])
    return rows


def problem_rows(scope: ReportScope) -> list[list[str]]:
    counts = dict(scope.figures.findings_by_requirement)
    rows = []
    for item in scope.campaign.checklist.items:
        for req in item.requirements:
            rows.append([req.id, item.title, _short_req(scope.campaign, req.id, 40), str(counts.get(req.id, 0))])
    rows.append(["", texts.RPT_TOTAL, "", str(scope.figures.findings_total)])
    return rows


def penalty_rows(scope: ReportScope) -> list[list[str]]:
    """Orders with a fine: the decision itself, never the legal range."""
    rows = []
    for r in scope.campaign_records:
        for o in r.orders:
            if not o.penalty_amount:
                continue
            finding = r.finding(o.finding_id)
            basis = scope.campaign.legal_basis.get(o.legal_basis)
            decision = (texts.RPT_PENALTY_DECISION.format(amount=f"{o.penalty_amount:,}", decision=doc_number(
                o.decision_no.strip("（）()"))) if o.decision_no else texts.RPT_PENALTY_DECISION_NO_NO.format(
                amount=f"{o.penalty_amount:,}"))
            row = [str(len(rows) + 1), r.inspection.enterprise.name, finding.description if finding else "",
                   citation(basis) if basis else o.legal_basis, decision]
            if scope.is_city:
                row.insert(1, scope.short_name(r.inspection.bureau_id))
            rows.append(row)
    return rows


def bureau_rows(scope: ReportScope) -> list[list[str]]:
    """The city's table: one row per bureau, the total the sum of the rows."""
    assert scope.city is not None
    rows = []
    for b in [*scope.city.bureaus, scope.city.total]:
        f = b.figures
        label = texts.RPT_TOTAL if b.bureau_id is None else b.short
        rows.append([label, str(f.inspected), f"{f.enterprises}/{b.quota}", str(f.findings_total),
                     str(f.orders.total), f"{f.penalty_yuan:,}", f"{f.cases}/{b.case_quota}"])
    return rows


def detail_rows(scope: ReportScope) -> list[list[str]]:
    """附件: every campaign inspection, with whether its enterprise counts toward the quota."""
    from bot.counting import counts_toward_quota

    rows = []
    for n, r in enumerate(scope.campaign_records, 1):
        i = r.inspection
        row = [str(n), i.enterprise.name, i.enterprise.industry, cn_date(i.inspection_date), r.inspector_names,
               str(len(r.confirmed_findings)),
               texts.RPT_YES if counts_toward_quota(scope.campaign, r) else texts.RPT_NO]
        if scope.is_city:
            row.insert(1, scope.short_name(i.bureau_id))
        rows.append(row)
    return rows
