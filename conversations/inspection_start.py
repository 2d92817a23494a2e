"""Steps before the checklist: which enterprise, who inspects, when, where."""

from __future__ import annotations

from bot import texts
from bot.context import Context
from conversations.flow import Answer, BadInput, ask, cursor, not_an_option
from conversations.nav import advance, goto, inspection, member_id, step_done
from conversations.parsing import NONE_WORDS, normalize, parse_date, person_name, split_names

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
    if cursor(ctx).get("iid"):  # back at the enterprise choice of an inspection already begun
        await _change_enterprise(ctx, enterprise_id)
        return
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


async def _change_enterprise(ctx: Context, enterprise_id: int) -> None:
    insp = await inspection(ctx)
    cur = cursor(ctx)
    for k in ("query", "industry"):
        cur.pop(k, None)
    if insp.enterprise_id != enterprise_id:
        ctx.repos.inspections.update(insp, member_id(ctx), enterprise_id=enterprise_id)
        await ctx.repos.session.flush()
        await ctx.repos.session.refresh(insp, ["enterprise"])
    cur["back"] = []
    ctx.reply(texts.ENTERPRISE_CHANGED.format(id=insp.id, name=insp.enterprise.name))
    await goto(ctx, "co_inspectors", remember=False)


# ---- who, when, where
async def ask_co_inspectors(ctx: Context) -> None:
    insp = await inspection(ctx)
    others = [i.name for i in insp.inspectors if i.member_id != insp.created_by]
    text = texts.ASK_CO_INSPECTORS
    if others:
        text += "\n" + texts.CO_INSPECTORS_NOW.format(names="、".join(others))
    ask(ctx, text, [(texts.NONE_LABEL, "none")])


async def on_co_inspectors(ctx: Context, a: Answer) -> None:
    """The companions as given now replace any given before; 无 leaves only the inspector."""
    insp = await inspection(ctx)
    names: list[str] = []
    if a.kind == "text" and normalize(a.value).lower() not in NONE_WORDS:
        if parse_date(a.value, ctx.today) is not None:
            raise BadInput(texts.NAMES_NOT_A_DATE)
        given = split_names(a.value)
        bad = [n for n in given if person_name(n) is None]
        names = list(dict.fromkeys(person_name(n) or n for n in given))
        if bad or len(names) > 10:
            raise BadInput(texts.BAD_NAMES.format(bad="、".join(bad[:3]) or a.value[:20]))
    assert ctx.member is not None
    repo = ctx.repos.inspections
    for companion in [i for i in insp.inspectors if i.member_id != insp.created_by]:
        if companion.name not in names:
            await repo.remove_inspector(insp, companion, member_id(ctx))
    known = {i.name for i in insp.inspectors}
    for name in names:
        if name not in known:
            members = await ctx.repos.org.members_named(name, ctx.member.bureau_id)
            await repo.add_inspector(insp, members[0].id if members else None, name, member_id(ctx))
    ctx.reply(texts.CO_INSPECTORS_SET.format(names="、".join(i.name for i in insp.inspectors)))
    await step_done(ctx, "co_inspectors")
    await advance(ctx)  # the date the first time; where the inspector was, when changed later


async def ask_date(ctx: Context) -> None:
    insp = await inspection(ctx)
    p = ctx.campaign.period
    day = insp.inspection_date
    keep = texts.DATE_KEEP_TODAY if day == ctx.today else texts.DATE_KEEP
    ask(ctx, texts.ASK_DATE.format(start=p.start.isoformat(), end=p.end.isoformat()),
        [(keep.format(date=day.isoformat()), "keep")])


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
    await step_done(ctx, "date")
    await advance(ctx)


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
    first_time = "location" not in ((await inspection(ctx)).steps_done or [])
    await step_done(ctx, "location")
    if first_time:
        ctx.reply(texts.CHECKLIST_BEGINS.format(n=len(ctx.campaign.requirements)))
    await advance(ctx)
