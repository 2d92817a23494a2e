"""Progress as short lines for a phone: one bureau, the city side by side, a member's own work."""

from __future__ import annotations

from bot import texts
from bot.integrity import format_flags
from bot.progress import BEFORE, ENDED, ORDER_DUE_DAYS, RUNNING, BureauProgress, CityProgress, Figures, Timeline
from storage.repositories.integrity import FlagView
from storage.repositories.progress import OrderCounts

FLAG_LINES = 3  # flags listed in an answer or a digest; the rest are counted


def number(value: float) -> str:
    return f"{value:g}"


def parts(pairs: tuple[tuple[str, int], ...]) -> str:
    return texts.PG_SEP.join(texts.PG_PART.format(name=n, n=v) for n, v in pairs)


def bureau_block(p: BureauProgress, *, head: bool = True) -> list[str]:
    f = p.figures
    lines = [texts.PG_HEAD.format(name=p.short, day=p.timeline.today.isoformat())] if head else []
    if p.remaining:
        lines.append(texts.PG_ENTERPRISES_LEFT.format(done=f.enterprises, quota=p.quota, left=p.remaining,
                                                      visits=f.visits))
    else:
        lines.append(texts.PG_ENTERPRISES.format(done=f.enterprises, quota=p.quota, visits=f.visits))
    lines.append(texts.PG_INDUSTRIES.format(parts=parts(f.by_industry)))
    lines += not_counted(f)
    lines += review_lines(p)
    if f.awaiting_review:
        lines.append(texts.PG_AWAITING_REVIEW.format(n=f.awaiting_review))
    lines.append(texts.PG_CASES.format(done=f.cases, quota=p.case_quota))
    lines += findings_lines(f)
    lines += time_lines(p)
    return lines


def review_lines(p: BureauProgress) -> list[str]:
    """Both counts, submitted and approved, and which one the quota uses."""
    f = p.figures
    return [texts.PG_REVIEW.format(submitted=f.submitted_enterprises, approved=f.approved_enterprises,
                                   basis=texts.PG_REVIEW_BASIS[p.quota_counts])]


def order_parts(o: OrderCounts) -> str:
    return texts.PG_ORDER_PARTS.format(open=o.open, days=ORDER_DUE_DAYS, due=o.due_soon, overdue=o.overdue,
                                       rectified=o.rectified, escalated=o.escalated)


def flag_lines(flags: list[FlagView]) -> list[str]:
    """The "需关注" block: the count, the first few flags (newest first), how many more."""
    block = format_flags(flags, limit=FLAG_LINES)
    return block.split("\n") if block else []


def not_counted(f: Figures) -> list[str]:
    out = []
    if f.outside_visits:
        out.append(texts.PG_OUTSIDE.format(n=f.outside_visits))
    if f.other_industry:
        out.append(texts.PG_OTHER_INDUSTRY.format(n=f.other_industry))
    return [texts.PG_NOT_COUNTED.format(parts="、".join(out))] if out else []


def findings_lines(f: Figures) -> list[str]:
    lines = [texts.PG_FINDINGS.format(n=f.findings_total, parts=parts(f.findings)) if f.findings_total
             else texts.PG_FINDINGS_NONE]
    if f.penalties:
        lines.append(texts.PG_PENALTIES.format(n=f.penalties, yuan=f"{f.penalty_yuan:,}"))
    if f.orders.total:
        lines.append(texts.PG_ORDERS.format(parts=order_parts(f.orders)))
    if f.drafts:
        lines.append(texts.PG_DRAFTS.format(n=f.drafts))
    return lines


def time_lines(p: BureauProgress) -> list[str]:
    t = p.timeline
    if t.phase == BEFORE:
        lines = [texts.PG_BEFORE.format(start=t.start.isoformat(), days=t.period_days)]
    elif t.phase == RUNNING:
        template = texts.PG_RUNNING_PACE if p.remaining else texts.PG_RUNNING_DONE
        lines = [template.format(days=t.days_left, end=t.end.isoformat(), pace=number(p.pace or 0))]
        if p.behind:
            lines.append(texts.PG_BEHIND.format(expected=p.expected))
    else:
        lines = [texts.PG_ENDED.format(end=t.end.isoformat())]
        if p.remaining:
            lines.append(texts.PG_SHORT.format(left=p.remaining))
    return lines + [deadline_line(t)]


def period_line(t: Timeline) -> str:
    if t.phase == BEFORE:
        return texts.PG_BEFORE.format(start=t.start.isoformat(), days=t.period_days)
    if t.phase == RUNNING:
        return texts.PG_RUNNING.format(days=t.days_left, end=t.end.isoformat())
    return texts.PG_ENDED.format(end=t.end.isoformat())


def deadline_line(t: Timeline) -> str:
    days = t.days_to_deadline
    if days is None:
        return texts.PG_DEADLINE_PASSED.format(deadline=t.deadline.isoformat())
    if days == 0:
        return texts.PG_DEADLINE_TODAY.format(deadline=t.deadline.isoformat())
    return texts.PG_DEADLINE.format(deadline=t.deadline.isoformat(), days=days)


def city_block(c: CityProgress, *, head: bool = True) -> list[str]:
    lines = [texts.PG_CITY_HEAD.format(day=c.timeline.today.isoformat())] if head else []
    for b in c.bureaus:
        f = b.figures
        lines.append(texts.PG_CITY_LINE.format(
            short=b.short, done=f.enterprises, quota=b.quota, need=city_need(b), cases=f.cases,
            case_quota=b.case_quota, findings=f.findings_total, drafts=f.drafts,
            flag=texts.PG_FLAG_BEHIND if b.behind else ""))
    t = c.total.figures
    lines.append(texts.PG_CITY_TOTAL.format(done=t.enterprises, quota=c.total.quota, cases=t.cases,
                                            case_quota=c.total.case_quota, findings=t.findings_total,
                                            drafts=t.drafts))
    if c.shared_enterprises:
        lines.append(texts.PG_CITY_DISTINCT.format(distinct=c.distinct_enterprises, shared=c.shared_enterprises))
    lines += not_counted(t)
    lines += review_lines(c.total)
    if t.awaiting_review:
        lines.append(texts.PG_CITY_AWAITING.format(n=t.awaiting_review, parts=_per_bureau(
            c, lambda f: f.awaiting_review)))
    if t.penalties:
        lines.append(texts.PG_PENALTIES.format(n=t.penalties, yuan=f"{t.penalty_yuan:,}"))
    lines += [texts.PG_CITY_ORDERS.format(short=b.short, parts=order_parts(b.figures.orders))
              for b in c.bureaus if b.figures.orders.total]
    if t.flags:
        lines.append(texts.PG_CITY_FLAGS.format(n=t.flags, parts=_per_bureau(c, lambda f: f.flags)))
    if c.timeline.phase != BEFORE:
        names = "、".join(b.short for b in c.behind)
        ended = c.timeline.phase == ENDED
        if names:
            lines.append((texts.PG_CITY_SHORT if ended else texts.PG_CITY_BEHIND).format(names=names))
        else:
            lines.append(texts.PG_CITY_ALL_DONE if ended else texts.PG_CITY_NONE_BEHIND)
    return lines + [period_line(c.timeline), deadline_line(c.timeline)]


def city_need(b: BureauProgress) -> str:
    """While the period runs and the quota is not met: what an even pace expects today, what is
    left and what that needs per remaining day."""
    if b.timeline.phase != RUNNING or not b.remaining:
        return ""
    return texts.PG_CITY_NEED.format(expected=b.expected, left=b.remaining, pace=number(b.pace or 0))


def _per_bureau(c: CityProgress, value) -> str:
    """"泽州县 2 · 高平市 1": the bureaus where `value(figures)` is not zero."""
    return texts.PG_SEP.join(texts.PG_PART.format(name=b.short, n=value(b.figures))
                             for b in c.bureaus if value(b.figures))


def mine_lines(f: Figures) -> list[str]:
    lines = [texts.PG_MINE_HEAD.format(visits=f.visits, done=f.enterprises)]
    lines += not_counted(f)
    lines.append(texts.PG_MINE_DRAFTS.format(drafts=f.drafts, findings=f.findings_total))
    return lines
