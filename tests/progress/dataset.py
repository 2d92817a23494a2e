"""A dataset of inspections across bureaus, industries, dates inside and outside the 2023 period,
repeated visits, a co-inspector, a draft and a cancelled one, findings, orders with and without a
penalty, typical cases; written through the repositories, as the conversations write them.

What it must add up to (period 2023-05-04 .. 2023-06-04; "today" 2023-05-10, everything recorded
then; the counting rules are bot.counting's):

泽州县 (quota 10): counted 3 enterprises / 4 visits — 巴公煤业 (煤矿) 05-05 and 05-09, 金达
  (非煤矿山), 晋钢 (金属冶炼, today, co-inspected by 张检查); not counted: 兰花化工 (危险化学品) on
  05-03 (期外 1; its visit dated 06-05 is after "today": not there yet, and 期外 once it is),
  机械厂 (其他行业, 非目标 1), 一矿 draft, 二矿 cancelled. Findings confirmed on counted
  inspections: 1.2, 3.1 (巴公), 2.1 (金达) = 3 (2.3 rejected and 1.1 on 05-03 do not count).
  Orders: 1.2 penalty 20000 (open), 3.1 no penalty (rectified), 1.1 penalty 5000 (期外, not
  counted). Typical cases: 1 finished, 1 draft.
高平市 (quota 10): 2 enterprises (煤矿, 危险化学品 today), 04-30 非煤矿山 期外 1.
市局 (quota 6): 巴公煤业 (a 泽州县 enterprise) twice, 05-06 and 05-08: 1 enterprise, 2 visits. It counts
  for 市局 and for 泽州县 (each bureau's quota), so the city total 1 + 3 + 2 = 6 is one more than the
  5 distinct enterprises.
城区, 阳城县, 陵川县, 沁水县: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storage.repositories.cases import CaseRepo
from storage.repositories.enforcement import EnforcementRepo

CAMPAIGN = "jincheng-2023-huitoukan"

PEOPLE = [  # console user id, name, bureau, role
    ("zz1", "张检查", "泽州县", "inspector"),
    ("zz2", "李检查", "泽州县", "inspector"),
    ("zzsup", "王督查", "泽州县", "supervisor"),
    ("gp1", "陈检查", "高平市", "inspector"),
    ("gpsup", "刘督查", "高平市", "supervisor"),
    ("city", "赵局长", "市局", "supervisor"),
    ("cityinsp", "孙检查", "市局", "inspector"),
]


@dataclass
class Dataset:
    members: dict[str, int] = field(default_factory=dict)  # user id -> member id
    bureaus: dict[str, int] = field(default_factory=dict)  # short name -> bureau id
    inspections: dict[str, int] = field(default_factory=dict)  # label -> inspection id
    findings: dict[str, int] = field(default_factory=dict)


async def register_people(bot) -> None:
    for user, name, bureau, role in PEOPLE:
        await bot.register(user, name, bureau, role)


async def build(bot) -> Dataset:
    """Register the people and write the inspections; returns their ids."""
    await register_people(bot)
    data = Dataset()
    repos = bot.repos()
    try:
        for b in await repos.org.bureaus():
            data.bureaus[b.short_name] = b.id
        for user, *_ in PEOPLE:
            data.members[user] = (await repos.org.member_by_identity("console", user)).id
        await _write(repos, data)
        await _recorded_at(repos, bot.now)
        await repos.commit()
    finally:
        await repos.session.close()
    return data


async def _write(repos, data: Dataset) -> None:
    m, b = data.members, data.bureaus
    zz, gp, city = b["泽州县"], b["高平市"], b["市局"]
    ents = {}
    for key, name, industry, bureau in [
        ("bagong", "泽州县巴公煤业有限公司", "煤矿", zz), ("jinda", "泽州县金达非煤矿业有限公司", "非煤矿山", zz),
        ("lanhua", "泽州县兰花化工有限公司", "危险化学品", zz), ("jingang", "泽州县晋钢冶炼有限公司", "金属冶炼", zz),
        ("jixie", "泽州县通用机械厂", "其他", zz), ("yikuang", "泽州县一矿", "煤矿", zz),
        ("erkuang", "泽州县二矿", "煤矿", zz),
        ("gpcoal", "高平市米山煤业有限公司", "煤矿", gp), ("gpchem", "高平市化肥有限公司", "危险化学品", gp),
        ("gpmine", "高平市石料厂", "非煤矿山", gp),
    ]:
        ents[key] = await repos.enterprises.create(name, industry, bureau, None)

    async def insp(label, ent, bureau, user, day, status="submitted", co=()):
        names = {"zz1": "张检查", "zz2": "李检查", "gp1": "陈检查", "cityinsp": "孙检查"}
        people = [(m[user], names[user])] + [(m[c], names[c]) for c in co]
        row = await repos.inspections.create(campaign_id=CAMPAIGN, enterprise_id=ents[ent].id, bureau_id=bureau,
                                             created_by=m[user], inspection_date=day, inspectors=people)
        if status != "draft":
            repos.inspections.update(row, m[user], status=status)
        data.inspections[label] = row.id
        return row

    bagong1 = await insp("bagong1", "bagong", zz, "zz1", date(2023, 5, 5))
    await insp("bagong2", "bagong", zz, "zz1", date(2023, 5, 9))
    jinda = await insp("jinda", "jinda", zz, "zz2", date(2023, 5, 8))
    lanhua_before = await insp("lanhua_before", "lanhua", zz, "zz1", date(2023, 5, 3))
    await insp("lanhua_after", "lanhua", zz, "zz2", date(2023, 6, 5))
    await insp("jingang", "jingang", zz, "zz2", date(2023, 5, 10), co=("zz1",))
    await insp("jixie", "jixie", zz, "zz1", date(2023, 5, 9))
    await insp("yikuang", "yikuang", zz, "zz1", date(2023, 5, 10), status="draft")
    await insp("erkuang", "erkuang", zz, "zz2", date(2023, 5, 7), status="cancelled")
    await insp("gpcoal", "gpcoal", gp, "gp1", date(2023, 5, 6))
    await insp("gpchem", "gpchem", gp, "gp1", date(2023, 5, 10))
    await insp("gpmine", "gpmine", gp, "gp1", date(2023, 4, 30))
    await insp("city1", "bagong", city, "cityinsp", date(2023, 5, 6))
    await insp("city2", "bagong", city, "cityinsp", date(2023, 5, 8))

    async def finding(label, inspection, req, desc, basis, confirmed=True):
        row = await repos.inspections.add_finding(inspection, m["zz1"], requirement_id=req, source="answer",
                                                  description=desc, legal_basis=basis, confirmed=confirmed)
        data.findings[label] = row.id
        return row

    f12 = await finding("1.2", bagong1, "1.2", "考勤表有代签", "aqf97-3")
    f31 = await finding("3.1", bagong1, "3.1", "一人一档缺考试试卷", "aqf97-4")
    await finding("2.3", bagong1, "2.3", "证书类型不匹配（经核实不成立）", "aqf97-7", confirmed=False)
    await finding("2.1", jinda, "2.1", "未建立三项岗位人员持证台账", "aqf97-2")
    f11 = await finding("1.1", lanhua_before, "1.1", "未制定年度培训计划", "aqf97-3")

    enforcement = EnforcementRepo(repos.session, repos.audit)
    common = dict(measure="责令限期改正", due=date(2023, 5, 25), responsible="赵总")
    await enforcement.add_order(f12, bagong1, m["zz1"], legal_basis="aqf97-3", penalty=20000,
                                decision_no="晋泽应急罚〔2023〕12号", **common)
    rectified = await enforcement.add_order(f31, bagong1, m["zz1"], legal_basis="aqf97-4", penalty=None,
                                            decision_no="", **common)
    enforcement.close_order(rectified, m["zz1"], "rectified")
    await enforcement.add_order(f11, lanhua_before, m["zz1"], legal_basis="aqf97-3", penalty=5000,
                                decision_no="晋泽应急罚〔2023〕9号", **common)

    cases = CaseRepo(repos.session, repos.audit)
    done = await cases.create(campaign_id=CAMPAIGN, bureau_id=zz, created_by=m["zz1"], inspection_id=bagong1.id,
                              title="泽州县应急管理局对泽州县巴公煤业有限公司行政处罚案")
    cases.finish(done, m["zz1"])
    await cases.create(campaign_id=CAMPAIGN, bureau_id=zz, created_by=m["zz2"], title="草稿")


async def _recorded_at(repos, moment) -> None:
    """Everything written was recorded "now" by the harness clock (the repositories stamp the wall
    clock), so that documents and digests "as of" a past day see what they would have seen then."""
    from sqlalchemy import update

    from storage.models import Inspection, RectificationOrder, TypicalCase

    await repos.session.flush()
    await repos.session.execute(update(Inspection).where(Inspection.status == "submitted").values(
        submitted_at=moment))
    await repos.session.execute(update(RectificationOrder).values(created_at=moment))
    await repos.session.execute(update(RectificationOrder).where(RectificationOrder.closed_at.is_not(None)).values(
        closed_at=moment))
    await repos.session.execute(update(TypicalCase).values(created_at=moment))
    await repos.session.execute(update(TypicalCase).where(TypicalCase.finished_at.is_not(None)).values(
        finished_at=moment))


async def add_submitted(bot, label_name: str, industry: str, bureau: str, user: str, day: date) -> int:
    """One more submitted inspection of a new enterprise (for "since yesterday")."""
    repos = bot.repos()
    try:
        b = await repos.org.bureau(bureau)
        member = await repos.org.member_by_identity("console", user)
        ent = await repos.enterprises.create(label_name, industry, b.id, None)
        row = await repos.inspections.create(campaign_id=CAMPAIGN, enterprise_id=ent.id, bureau_id=b.id,
                                             created_by=member.id, inspection_date=day,
                                             inspectors=[(member.id, member.name)])
        repos.inspections.update(row, member.id, status="submitted")
        await repos.commit()
        return row.id
    finally:
        await repos.session.close()
