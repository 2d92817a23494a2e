"""The progress model: each bureau's standing against its quotas for one campaign, computed from the
SQL aggregates of storage.repositories.progress.

What counts (晋市应急教发[2023]90号 四(一)): distinct enterprises of the target industries with a
counted inspection (submitted, or approved if the campaign says so) dated inside the period; one
enterprise counts once per bureau however many visits. Inspections dated outside the period are
reported separately ("期外") and never counted. The city view lists every bureau and the total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from storage.repositories.progress import ProgressRepo, Scope

if TYPE_CHECKING:
    from bot.campaign import Campaign
    from storage.models import Bureau
    from storage.repositories import Repos

BEFORE, RUNNING, ENDED = "before", "running", "ended"


@dataclass(frozen=True)
class Timeline:
    """Where `today` stands in the campaign. Day counts are never negative."""

    today: date
    start: date
    end: date
    deadline: date

    @classmethod
    def of(cls, campaign: "Campaign", today: date) -> "Timeline":
        return cls(today, campaign.period.start, campaign.period.end, campaign.report_deadline)

    @property
    def phase(self) -> str:
        if self.today < self.start:
            return BEFORE
        return RUNNING if self.today <= self.end else ENDED

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def days_left(self) -> int:
        """Days still available, today included (0 once the period is over)."""
        if self.phase == BEFORE:
            return self.period_days
        return (self.end - self.today).days + 1 if self.phase == RUNNING else 0

    @property
    def elapsed(self) -> int:
        """Whole days of the period already behind us (today not included)."""
        return min(max((self.today - self.start).days, 0), self.period_days)

    @property
    def days_to_deadline(self) -> int | None:
        """Days until the report deadline; None once it has passed."""
        days = (self.deadline - self.today).days
        return days if days >= 0 else None

    def expected(self, quota: int) -> int:
        """Enterprises a bureau on an even pace would have by now (rounded up)."""
        return math.ceil(quota * self.elapsed / self.period_days)


@dataclass(frozen=True)
class Figures:
    """One bureau's numbers (or a member's own, or the city's total)."""

    enterprises: int = 0  # counted: distinct, target industries, in the period
    visits: int = 0  # the counted inspections behind them
    by_industry: tuple[tuple[str, int], ...] = ()
    outside_visits: int = 0  # submitted inspections dated outside the period: not counted
    other_industry: int = 0  # enterprises outside the target industries, in the period: not counted
    cases: int = 0  # finished typical cases
    findings: tuple[tuple[str, int], ...] = ()  # confirmed findings by checklist item title
    penalties: int = 0
    penalty_yuan: int = 0
    drafts: int = 0

    @property
    def findings_total(self) -> int:
        return sum(n for _, n in self.findings)

    def plus(self, other: "Figures") -> "Figures":
        def add(a: tuple, b: tuple) -> tuple:
            names = [n for n, _ in a] + [n for n, _ in b if n not in dict(a)]
            da, db = dict(a), dict(b)
            return tuple((n, da.get(n, 0) + db.get(n, 0)) for n in names)
        return Figures(self.enterprises + other.enterprises, self.visits + other.visits,
                       add(self.by_industry, other.by_industry), self.outside_visits + other.outside_visits,
                       self.other_industry + other.other_industry, self.cases + other.cases,
                       add(self.findings, other.findings), self.penalties + other.penalties,
                       self.penalty_yuan + other.penalty_yuan, self.drafts + other.drafts)


@dataclass(frozen=True)
class BureauProgress:
    bureau_id: int | None  # None: the city total
    name: str
    short: str
    level: str
    quota: int
    case_quota: int
    figures: Figures
    timeline: Timeline

    @property
    def remaining(self) -> int:
        return max(self.quota - self.figures.enterprises, 0)

    @property
    def cases_remaining(self) -> int:
        return max(self.case_quota - self.figures.cases, 0)

    @property
    def expected(self) -> int:
        return self.timeline.expected(self.quota)

    @property
    def pace(self) -> float | None:
        """Enterprises needed per remaining day (rounded up to a tenth); None when not running."""
        if self.timeline.phase != RUNNING:
            return None
        return math.ceil(self.remaining * 10 / self.timeline.days_left) / 10

    @property
    def behind(self) -> bool:
        """Behind an even pace while running; short of the quota once the period is over."""
        phase = self.timeline.phase
        if phase == BEFORE:
            return False
        if phase == ENDED:
            return self.remaining > 0
        return self.figures.enterprises < self.expected

    def summary(self) -> dict:
        """The figures kept with a digest, for tomorrow's "since yesterday"."""
        f = self.figures
        return {"enterprises": f.enterprises, "visits": f.visits, "cases": f.cases,
                "findings": f.findings_total, "drafts": f.drafts}


@dataclass(frozen=True)
class CityProgress:
    bureaus: list[BureauProgress]
    total: BureauProgress
    timeline: Timeline

    @property
    def behind(self) -> list[BureauProgress]:
        return [b for b in self.bureaus if b.behind]


@dataclass
class _Acc:
    """Accumulates one bureau's aggregate rows (a handful per bureau, not per inspection)."""

    industries: dict[str, int] = field(default_factory=dict)
    enterprises: int = 0
    visits: int = 0
    outside: int = 0
    other: int = 0
    findings: dict[str, int] = field(default_factory=dict)


async def compute(repos: "Repos", campaign: "Campaign", today: date, *, bureau_ids: list[int] | None = None,
                  member_id: int | None = None) -> list[BureauProgress]:
    """Progress of the campaign's bureaus (those in `bureau_ids`, or all), in campaign order; with
    `member_id`, only that member's own work."""
    timeline = Timeline.of(campaign, today)
    bureaus = _campaign_bureaus(campaign, await repos.org.bureaus())
    if bureau_ids is not None:
        bureaus = [b for b in bureaus if b.id in bureau_ids]
    scope = Scope(campaign.id, tuple(b.id for b in bureaus), member_id, campaign.quota_counts == "approved")
    repo = ProgressRepo(repos.session)
    start, end = campaign.period.start, campaign.period.end
    targets = campaign.target_industries
    acc: dict[int, _Acc] = {b.id: _Acc() for b in bureaus}
    for row in await repo.enterprise_counts(scope, start, end):
        a = acc[row.bureau_id]
        if not row.in_period:
            a.outside += row.visits
        elif row.industry in targets:
            a.industries[row.industry] = row.enterprises
            a.enterprises += row.enterprises
            a.visits += row.visits
        else:
            a.other += row.enterprises
    items = {r.id: campaign.item_of(r.id).title for r in campaign.requirements}
    for bureau_id, req, n in await repo.findings(scope, start, end):
        title = items.get(req, req)
        acc[bureau_id].findings[title] = acc[bureau_id].findings.get(title, 0) + n
    drafts = await repo.drafts(scope)
    cases = await repo.finished_cases(scope)
    penalties = await repo.penalties(scope, start, end)
    titles = [item.title for item in campaign.checklist.items]
    result = []
    for b in bureaus:
        a = acc[b.id]
        quota = campaign.quota_for(b.level)
        figures = Figures(
            enterprises=a.enterprises, visits=a.visits,
            by_industry=tuple((i, a.industries.get(i, 0)) for i in targets),
            outside_visits=a.outside, other_industry=a.other, cases=cases.get(b.id, 0),
            findings=tuple((t, a.findings.get(t, 0)) for t in titles),
            penalties=penalties.get(b.id, (0, 0))[0], penalty_yuan=penalties.get(b.id, (0, 0))[1],
            drafts=drafts.get(b.id, 0))
        result.append(BureauProgress(b.id, b.name, b.short_name, b.level, quota.enterprises, quota.typical_cases,
                                     figures, timeline))
    return result


async def city(repos: "Repos", campaign: "Campaign", today: date) -> CityProgress:
    bureaus = await compute(repos, campaign, today)
    return CityProgress(bureaus, total_of(bureaus, Timeline.of(campaign, today)), Timeline.of(campaign, today))


def total_of(bureaus: list[BureauProgress], timeline: Timeline) -> BureauProgress:
    """The sum of the bureaus: each bureau's enterprises against the sum of the quotas."""
    figures = Figures()
    for b in bureaus:
        figures = figures.plus(b.figures)
    return BureauProgress(None, "全市合计", "合计", "total", sum(b.quota for b in bureaus),
                          sum(b.case_quota for b in bureaus), figures, timeline)


def _campaign_bureaus(campaign: "Campaign", bureaus: list["Bureau"]) -> list["Bureau"]:
    """The bureaus the campaign names, in its order (others have no quota in it)."""
    by_name = {b.name: b for b in bureaus}
    return [by_name[d.name] for d in campaign.bureaus if d.name in by_name]
