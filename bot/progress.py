"""The progress model: each bureau's standing against its quotas for one campaign, computed from the
SQL aggregates of storage.repositories.progress. Every figure of progress answers, digests, the
written report and the spreadsheet's summary comes from `compute`; what counts is defined in
bot.counting (晋市应急教发[2023]90号 四(一)): distinct enterprises of the target industries with a
campaign inspection (submitted, or approved if the campaign says so) dated inside the period, once
per bureau however many visits; an enterprise two bureaus inspected counts for each, and the city's
total is the sum of the bureaus. Inspections dated outside the period are reported separately
("期外") and never counted. Everything is "as of" a day (`today`, and `cutoff` for a past day).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.counting import AsOf
from storage.repositories.integrity import FlagView, IntegrityRepo
from storage.repositories.progress import CountRow, OrderCounts, ProgressRepo, Scope, side_by_side

if TYPE_CHECKING:
    from bot.campaign import Campaign
    from storage.models import Bureau
    from storage.repositories import Repos

BEFORE, RUNNING, ENDED = "before", "running", "ended"
OTHER = ""  # the key of "every other industry" in Figures' by-industry pairs
ORDER_DUE_DAYS = 3  # an open order due within this many days (today included) is "due soon"


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
    visits_by_industry: tuple[tuple[str, int], ...] = ()
    outside_visits: int = 0  # submitted inspections dated outside the period: not counted
    other_industry: int = 0  # enterprises outside the target industries, in the period: not counted
    other_visits: int = 0  # ... and their inspections
    cases: int = 0  # finished typical cases
    findings: tuple[tuple[str, int], ...] = ()  # confirmed findings by checklist item title
    findings_by_requirement: tuple[tuple[str, int], ...] = ()  # ... by requirement id ("1.2")
    # by industry: the target industries, then OTHER (every other industry together)
    findings_by_industry: tuple[tuple[str, int], ...] = ()
    problem_enterprises: tuple[tuple[str, int], ...] = ()  # enterprises with a confirmed finding
    penalties: int = 0
    penalty_yuan: int = 0
    drafts: int = 0
    submitted_enterprises: int = 0  # what `enterprises` would be counting submitted inspections
    approved_enterprises: int = 0  # ... and counting only approved ones
    awaiting_review: int = 0  # submitted, no decision yet or resubmitted (any date)
    orders: OrderCounts = OrderCounts()
    flags: int = 0  # open integrity flags (需关注)

    @property
    def findings_total(self) -> int:
        return sum(n for _, n in self.findings)

    @property
    def inspected(self) -> int:
        """Enterprises inspected in the period, any industry (counted + other industries)."""
        return self.enterprises + self.other_industry

    @property
    def inspected_visits(self) -> int:
        return self.visits + self.other_visits

    def plus(self, other: "Figures") -> "Figures":
        def add(a, b):
            if isinstance(a, OrderCounts):
                return a.plus(b)
            if isinstance(a, tuple):
                names = [n for n, _ in a] + [n for n, _ in b if n not in dict(a)]
                da, db = dict(a), dict(b)
                return tuple((n, da.get(n, 0) + db.get(n, 0)) for n in names)
            return a + b
        return Figures(**{f.name: add(getattr(self, f.name), getattr(other, f.name)) for f in fields(Figures)})


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
    quota_counts: str = "submitted"  # the campaign's: submitted | approved

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
    total: BureauProgress  # the sum of the bureaus' rows
    timeline: Timeline
    distinct_enterprises: int = 0  # counted enterprises across the city, each once (bot.counting)

    @property
    def shared_enterprises(self) -> int:
        """How many more the total counts than there are distinct enterprises (inspected by two bureaus)."""
        return max(self.total.figures.enterprises - self.distinct_enterprises, 0)

    @property
    def behind(self) -> list[BureauProgress]:
        return [b for b in self.bureaus if b.behind]


@dataclass
class _Acc:
    """Accumulates one bureau's aggregate rows (a handful per bureau, not per inspection)."""

    industries: dict[str, int] = field(default_factory=dict)
    industry_visits: dict[str, int] = field(default_factory=dict)
    enterprises: int = 0
    visits: int = 0
    outside: int = 0
    other: int = 0
    other_visits: int = 0
    submitted: int = 0
    approved: int = 0
    findings: dict[str, int] = field(default_factory=dict)

    def add(self, row: CountRow, targets: tuple[str, ...] | list[str], approved_only: bool) -> None:
        enterprises, visits = (row.approved_enterprises, row.approved_visits) if approved_only else (
            row.enterprises, row.visits)
        if not row.in_period:
            self.outside += visits
        elif row.industry in targets:
            self.industries[row.industry] = enterprises
            self.industry_visits[row.industry] = visits
            self.enterprises += enterprises
            self.visits += visits
            self.submitted += row.enterprises
            self.approved += row.approved_enterprises
        else:
            self.other += enterprises
            self.other_visits += visits


async def compute(repos: "Repos", campaign: "Campaign", today: date, *, bureau_ids: list[int] | None = None,
                  member_id: int | None = None, cutoff: datetime | None = None) -> list[BureauProgress]:
    """Progress of the campaign's bureaus (those in `bureau_ids`, or all), in campaign order, as of
    `today` (with `cutoff`, the end of a past day: bot.counting.AsOf); with `member_id`, only that
    member's own work."""
    return (await _compute(repos, campaign, today, bureau_ids=bureau_ids, member_id=member_id, cutoff=cutoff))[0]


async def _compute(repos: "Repos", campaign: "Campaign", today: date, *, bureau_ids: list[int] | None = None,
                   member_id: int | None = None, cutoff: datetime | None = None, distinct: bool = False
                   ) -> tuple[list[BureauProgress], int]:
    """`compute`, and with `distinct` the city's count of distinct enterprises (`city`) from the
    same batch of queries."""
    timeline = Timeline.of(campaign, today)
    bureaus = _campaign_bureaus(campaign, await repos.org.bureaus())
    if bureau_ids is not None:
        bureaus = [b for b in bureaus if b.id in bureau_ids]
    scope = Scope(campaign.id, tuple(b.id for b in bureaus), member_id, campaign.quota_counts == "approved",
                  today, cutoff)
    start, end = campaign.period.start, campaign.period.end
    targets = campaign.target_industries
    # Independent aggregates: side by side on PostgreSQL (storage.repositories.progress.side_by_side).
    calls = [lambda repo: repo.enterprise_counts(scope, start, end),
             lambda repo: repo.findings_and_enterprises(scope, start, end),
             lambda repo: repo.drafts(scope),
             lambda repo: repo.finished_cases(scope),
             lambda repo: repo.awaiting_review(scope),
             lambda repo: repo.order_figures(scope, start, end, today, ORDER_DUE_DAYS),
             lambda repo: repo.open_flag_counts(scope)]
    if distinct:
        calls.append(lambda repo: repo.distinct_enterprises(scope, start, end, targets))
    counts, (by_requirement, by_industry), drafts, cases, awaiting, (orders, penalties), flags, *more = \
        await side_by_side(repos.session, *calls)
    acc: dict[int, _Acc] = {b.id: _Acc() for b in bureaus}
    for row in counts:
        acc[row.bureau_id].add(row, targets, scope.approved_only)
    items = {r.id: campaign.item_of(r.id).title for r in campaign.requirements}
    by_req: dict[int, dict[str, int]] = {b.id: {} for b in bureaus}
    by_ind: dict[int, dict[str, int]] = {b.id: {} for b in bureaus}
    for bureau_id, industry, req, n, _ in by_requirement:
        title = items.get(req, req)
        acc[bureau_id].findings[title] = acc[bureau_id].findings.get(title, 0) + n
        by_req[bureau_id][req] = by_req[bureau_id].get(req, 0) + n
        key = industry if industry in targets else OTHER
        by_ind[bureau_id][key] = by_ind[bureau_id].get(key, 0) + n
    with_problems: dict[int, dict[str, int]] = {b.id: {} for b in bureaus}
    for (bureau_id, industry), n in by_industry.items():
        key = industry if industry in targets else OTHER
        with_problems[bureau_id][key] = with_problems[bureau_id].get(key, 0) + n
    titles = [item.title for item in campaign.checklist.items]
    req_ids = [r.id for r in campaign.requirements]
    industry_keys = [*targets, OTHER]
    result = []
    for b in bureaus:
        a = acc[b.id]
        quota = campaign.quota_for(b.level)
        figures = Figures(
            enterprises=a.enterprises, visits=a.visits,
            by_industry=tuple((i, a.industries.get(i, 0)) for i in targets),
            visits_by_industry=tuple((i, a.industry_visits.get(i, 0)) for i in targets),
            outside_visits=a.outside, other_industry=a.other, other_visits=a.other_visits, cases=cases.get(b.id, 0),
            findings=tuple((t, a.findings.get(t, 0)) for t in titles),
            findings_by_requirement=tuple((r, by_req[b.id].get(r, 0)) for r in req_ids),
            findings_by_industry=tuple((i, by_ind[b.id].get(i, 0)) for i in industry_keys),
            problem_enterprises=tuple((i, with_problems[b.id].get(i, 0)) for i in industry_keys),
            penalties=penalties.get(b.id, (0, 0))[0], penalty_yuan=penalties.get(b.id, (0, 0))[1],
            drafts=drafts.get(b.id, 0), submitted_enterprises=a.submitted, approved_enterprises=a.approved,
            awaiting_review=awaiting.get(b.id, 0), orders=orders.get(b.id, OrderCounts()), flags=flags.get(b.id, 0))
        result.append(BureauProgress(b.id, b.name, b.short_name, b.level, quota.enterprises, quota.typical_cases,
                                     figures, timeline, campaign.quota_counts))
    return result, more[0] if more else 0


async def city(repos: "Repos", campaign: "Campaign", today: date, cutoff: datetime | None = None) -> CityProgress:
    bureaus, distinct = await _compute(repos, campaign, today, cutoff=cutoff, distinct=True)
    timeline = Timeline.of(campaign, today)
    return CityProgress(bureaus, total_of(bureaus, timeline), timeline, distinct)


async def as_of(repos: "Repos", campaign: "Campaign", day: AsOf, bureau_ids: list[int] | None = None
                ) -> list[BureauProgress]:
    return await compute(repos, campaign, day.day, bureau_ids=bureau_ids, cutoff=day.cutoff)


def total_of(bureaus: list[BureauProgress], timeline: Timeline) -> BureauProgress:
    """The sum of the bureaus: each bureau's enterprises against the sum of the quotas."""
    figures = Figures()
    for b in bureaus:
        figures = figures.plus(b.figures)
    counts = bureaus[0].quota_counts if bureaus else "submitted"
    return BureauProgress(None, "全市合计", "合计", "total", sum(b.quota for b in bureaus),
                          sum(b.case_quota for b in bureaus), figures, timeline, counts)


def _campaign_bureaus(campaign: "Campaign", bureaus: list["Bureau"]) -> list["Bureau"]:
    """The bureaus the campaign names, in its order (others have no quota in it)."""
    by_name = {b.name: b for b in bureaus}
    return [by_name[d.name] for d in campaign.bureaus if d.name in by_name]


async def open_flags(repos: "Repos", campaign: "Campaign", bureau_id: int, *,
                     member_id: int | None = None) -> list[FlagView]:
    """The bureau's open integrity flags (需关注), newest first; with `member_id`, only those on
    inspections that member took part in."""
    flags = await IntegrityRepo(repos.session).flags_for_bureau([bureau_id], campaign.id)
    if member_id is not None:
        mine = await ProgressRepo(repos.session).open_flag_ids(Scope(campaign.id, (bureau_id,), member_id))
        flags = [f for f in flags if f.id in mine]
    return flags[::-1]
