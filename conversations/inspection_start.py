"""Steps before the checklist: which enterprise, who inspects, when, where."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations.flow import Answer, BadInput, ask, cursor, not_an_option
from conversations.nav import advance, goto, inspection, member_id
from conversations.parsing import parse_date, split_names

OTHER_INDUSTRY = "其他"
MAX_NAME = 100


def _is_city(ctx: Context) -> bool:
    return ctx.member is not None and ctx.member.bureau.level == "city"


# ---- enterprise
async def ask_ent_query(ctx: Context) -> None:
    ask(ctx, texts.ASK_ENTERPRISE)


async def on_ent_query(ctx: Context, a: Answer) -> None:
    query = a.value.strip()
    if len(query) > MAX_NAME:
        raise BadInput(texts.NAME_TOO_LONG.format(n=MAX_NAME))
    cursor(ctx)["query"] = query
    await goto(ctx, "ent_pick")


async def ask_ent_pick(ctx: Context) -> None:
    query = cursor(ctx)["query"]
    assert ctx.member is not None
    scope = None if _is_city(ctx) else ctx.member.bureau_id
    matches = await ctx.repos.enterprises.search(scope, query)
    options = [(f"{e.name}（{e.industry}）", f"e{e.id}") for e in matches]
    options.append((texts.NEW_ENTERPRISE.format(name=query), "new"))
    text = texts.ENTERPRISE_MATCHES.format(query=query) if matches else texts.ENTERPRISE_NONE.format(query=query)
    ask(ctx, text, options)


async def on_ent_pick(ctx: Context, a: Answer) -> None:
    if a.kind == "text":  # another search, unless it is a number: a choice out of range
        if a.value.isdigit() and len(a.value) <= 3:
            raise BadInput(not_an_option([label for label, _ in cursor(ctx)["opts"]], number=True))
        await on_ent_query(ctx, a)
        return
    if a.value == "new":
        await goto(ctx, "ent_industry")
        return
    enterprise = await ctx.repos.enterprises.get(int(a.value[1:]))
    if enterprise is None:
        raise BadInput(texts.STALE_BUTTON)
    await _create(ctx, enterprise.id)


async def ask_ent_industry(ctx: Context) -> None:
    industries = [*ctx.campaign.target_industries, OTHER_INDUSTRY]
    ask(ctx, texts.ASK_INDUSTRY.format(name=cursor(ctx)["query"]), [(i, i) for i in industries])


async def on_ent_industry(ctx: Context, a: Answer) -> None:
    cursor(ctx)["industry"] = a.value
    if a.value == OTHER_INDUSTRY:
        ctx.reply(texts.INDUSTRY_NOT_TARGET)
    if _is_city(ctx):
        await goto(ctx, "ent_bureau")
    else:
        assert ctx.member is not None
        await _create_enterprise(ctx, ctx.member.bureau_id)


async def ask_ent_bureau(ctx: Context) -> None:
    bureaus = await ctx.repos.org.bureaus()
    ask(ctx, texts.ASK_ENTERPRISE_BUREAU, [(b.short_name, str(b.id)) for b in bureaus])


async def on_ent_bureau(ctx: Context, a: Answer) -> None:
    await _create_enterprise(ctx, int(a.value))


async def _create_enterprise(ctx: Context, bureau_id: int) -> None:
    cur = cursor(ctx)
    existing = await ctx.repos.enterprises.by_name(bureau_id, cur["query"])
    enterprise = existing or await ctx.repos.enterprises.create(
        cur["query"], cur["industry"], bureau_id, member_id(ctx))
    await _create(ctx, enterprise.id)


async def _create(ctx: Context, enterprise_id: int) -> None:
    """The inspection exists from here on: every later answer is written to it at once."""
    assert ctx.member is not None
    insp = await ctx.repos.inspections.create(
        campaign_id=ctx.campaign.id, enterprise_id=enterprise_id, bureau_id=ctx.member.bureau_id,
        created_by=ctx.member.id, inspection_date=ctx.today, inspectors=[(ctx.member.id, ctx.member.name)])
    ctx.repos.org.set_active_inspection(ctx.member, insp.id)
    cur = cursor(ctx)
    for k in ("query", "industry"):
        cur.pop(k, None)
    cur["iid"] = insp.id
    cur["back"] = []  # the enterprise is fixed now: going back stops here
    ctx.reply(texts.INSPECTION_CREATED.format(id=insp.id, name=insp.enterprise.name))
    await goto(ctx, "co_inspectors", remember=False)


# ---- who, when, where
async def ask_co_inspectors(ctx: Context) -> None:
    ask(ctx, texts.ASK_CO_INSPECTORS, [(texts.NONE_LABEL, "none")])


async def on_co_inspectors(ctx: Context, a: Answer) -> None:
    insp = await inspection(ctx)
    if a.kind == "text":
        names = split_names(a.value)
        if any(len(n) > 20 for n in names) or len(names) > 10:
            raise BadInput(texts.BAD_NAMES)
        assert ctx.member is not None
        known = {i.name for i in insp.inspectors}
        for name in names:
            if name in known:
                continue
            members = await ctx.repos.org.members_named(name, ctx.member.bureau_id)
            await ctx.repos.inspections.add_inspector(insp, members[0].id if members else None, name,
                                                      member_id(ctx))
        ctx.reply(texts.CO_INSPECTORS_SET.format(names="、".join(i.name for i in insp.inspectors)))
    await goto(ctx, "date")


async def ask_date(ctx: Context) -> None:
    insp = await inspection(ctx)
    p = ctx.campaign.period
    ask(ctx, texts.ASK_DATE.format(start=p.start.isoformat(), end=p.end.isoformat()),
        [(texts.DATE_KEEP.format(date=insp.inspection_date.isoformat()), "keep")])


async def on_date(ctx: Context, a: Answer) -> None:
    insp = await inspection(ctx)
    if a.kind == "text":
        day = parse_date(a.value, ctx.today)
        if day is None:
            raise BadInput(texts.BAD_DATE)
        if day > ctx.today:
            raise BadInput(texts.DATE_IN_FUTURE)
        ctx.repos.inspections.update(insp, member_id(ctx), inspection_date=day)
    day = insp.inspection_date
    if day not in ctx.campaign.period:
        p = ctx.campaign.period
        ctx.reply(texts.DATE_OUTSIDE_PERIOD.format(date=day.isoformat(), start=p.start.isoformat(),
                                                   end=p.end.isoformat()))
    await goto(ctx, "location")


async def ask_location(ctx: Context) -> None:
    ask(ctx, texts.ASK_LOCATION, [(texts.SKIP_LABEL, "skip")], location=True)


async def on_location(ctx: Context, a: Answer) -> None:
    if a.kind == "location":
        insp = await inspection(ctx)
        lat, lon = ctx.msg.latitude, ctx.msg.longitude
        ctx.repos.inspections.update(insp, member_id(ctx), latitude=lat, longitude=lon)
        if insp.enterprise.latitude is None:
            ctx.repos.enterprises.update(insp.enterprise, member_id(ctx), latitude=lat, longitude=lon)
        ctx.reply(texts.LOCATION_SAVED)
    elif a.kind == "text":
        raise BadInput(texts.ASK_LOCATION_AGAIN)
    ctx.reply(texts.CHECKLIST_BEGINS.format(n=len(ctx.campaign.requirements)))
    await advance(ctx)
