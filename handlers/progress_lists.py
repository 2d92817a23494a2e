"""Lists a supervisor asks for by message: today's inspections (今日), open findings (问题) and one
enterprise's inspections (查 企业名), each scoped by role (handlers.progress_scope)."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from handlers.progress_scope import Viewer
from storage.repositories.progress import ProgressRepo, Scope

MAX_DESC = 24


def _repo(ctx: Context) -> ProgressRepo:
    return ProgressRepo(ctx.repos.session)


async def _bureau_names(ctx: Context) -> dict[int, str]:
    return {b.id: b.short_name for b in await ctx.repos.org.bureaus()}


async def today(ctx: Context, _: str = "") -> None:
    viewer = Viewer.of(ctx)
    label = viewer.scope_label()
    day = ctx.today
    total, rows = await _repo(ctx).inspections_on(viewer.scope(ctx), day)
    outside = [] if day in ctx.campaign.period else [texts.PG_TODAY_OUTSIDE]
    if not total:
        ctx.reply("\n".join([texts.PG_TODAY_NONE.format(day=day.isoformat(), scope=label), *outside]))
        return
    names = await _bureau_names(ctx)
    lines = [texts.PG_TODAY_HEAD.format(day=day.isoformat(), n=total, scope=label)]
    lines += [texts.PG_TODAY_LINE.format(id=iid, bureau=names.get(bid, ""), name=name, industry=industry,
                                         who=who, status=texts.STATUS_NAMES.get(status, status))
              for iid, bid, name, industry, status, who in rows]
    if total > len(rows):
        lines.append(texts.PG_TODAY_MORE.format(n=total - len(rows)))
    ctx.reply("\n".join(lines + outside))


async def issues(ctx: Context, _: str = "") -> None:
    viewer = Viewer.of(ctx)
    scope, label = viewer.scope(ctx), viewer.scope_label()
    repo = _repo(ctx)
    by_req = await repo.open_findings_by_requirement(scope)
    total = sum(by_req.values())
    if not total:
        ctx.reply(texts.PG_ISSUES_NONE.format(scope=label))
        return
    by_item: dict[str, int] = {}
    for req, n in by_req.items():
        title = _item_title(ctx, req)
        by_item[title] = by_item.get(title, 0) + n
    parts = texts.PG_SEP.join(texts.PG_PART.format(name=t, n=n) for t, n in by_item.items())
    lines = [texts.PG_ISSUES_HEAD.format(n=total, scope=label, parts=parts)]
    rows = await repo.open_findings(scope)
    for iid, name, req, desc, order_status, due in rows:
        lines.append(texts.PG_ISSUES_LINE.format(id=iid, name=name, req=req, desc=_short(desc),
                                                 state=_order_state(order_status, due)))
    if total > len(rows):
        lines.append(texts.PG_ISSUES_MORE.format(n=len(rows)))
    ctx.reply("\n".join(lines))


def _item_title(ctx: Context, req: str) -> str:
    try:
        return ctx.campaign.item_of(req).title
    except KeyError:
        return req


def _order_state(status: str | None, due) -> str:
    if status is None:
        return texts.PG_ISSUES_NO_ORDER
    if status == "escalated":
        return texts.PG_ISSUES_ORDER_ESCALATED
    return texts.PG_ISSUES_ORDER.format(due=due.isoformat() if due else "—")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DESC else text[: MAX_DESC - 1] + "…"


async def find(ctx: Context, query: str) -> None:
    query = query.strip()
    if not query:
        ctx.reply(texts.PG_FIND_USAGE)
        return
    viewer = Viewer.of(ctx)
    found = await ctx.repos.enterprises.search(None if viewer.city_wide else viewer.bureau.id, query, limit=4)
    if not found:
        ctx.reply(texts.PG_FIND_NONE.format(name=query[:20], scope=viewer.scope_label()))
        return
    exact = [e for e in found if e.name == query]
    first = (exact or found)[0]
    names = await _bureau_names(ctx)
    repo = _repo(ctx)
    lines = [texts.PG_FIND_HEAD.format(name=first.name, industry=first.industry,
                                       bureau=names.get(first.bureau_id, ""))]
    rows = await repo.enterprise_inspections(viewer.scope(ctx), first.id)
    period = ctx.campaign.period
    for iid, bid, day, status, who in rows:
        mark = "" if day in period else texts.PG_FIND_OUTSIDE
        lines.append(texts.PG_FIND_LINE.format(id=iid, date=day.isoformat() + mark, bureau=names.get(bid, ""),
                                               who=who, status=texts.STATUS_NAMES.get(status, status)))
    if not rows:
        lines.append(texts.PG_FIND_NO_VISITS)
    if viewer.inspector:  # their bureau's total, not its rows
        bureau_scope = Scope(ctx.campaign.id, bureau_ids=(viewer.bureau.id,))
        lines.append(texts.PG_FIND_BUREAU_TOTAL.format(n=await repo.enterprise_visit_count(bureau_scope, first.id)))
    others = [e.name for e in found if e.id != first.id and (query in e.name or query not in first.name)]
    if others:
        lines.append(texts.PG_FIND_OTHERS.format(names="、".join(others)))
    ctx.reply("\n".join(lines))
