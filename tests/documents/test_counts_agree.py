"""One definition of every count (bot.counting, bot.progress): the digest, the written report (the
city's and a county's) and the spreadsheet's summary give the same numbers for one data set — an
enterprise inspected by two bureaus (巴公煤业: 泽州县 and 市局), visits before and after the period,
another industry — the rows add up to the totals, and each is "as of" a day: what was dated or
recorded after it is left out."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import load_workbook

from bot import texts
from bot.counting import AsOf
from bot.digest import build as build_digest
from bot.documents import report_service, service
from bot.documents.report_docx import build_report
from storage.repositories.cases import CaseRepo
from tests.conftest import TZ
from tests.documents.drive import docx_table, docx_text
from tests.progress import dataset

# As of 2023-06-09 (the county reports' date): every visit of the data set is there.
EXPECTED = {  # bureau: (quota, inspected any industry, counted, visits, 期外, problems, orders, fine, cases)
    "市局": (6, 1, 1, 2, 0, 0, 0, 0, 0),
    "泽州县": (10, 4, 3, 5, 2, 3, 2, 20000, 1),
    "高平市": (10, 2, 2, 2, 1, 0, 0, 0, 0),
}


async def _at(bot, *args) -> AsOf:
    """The harness clock set to `args`; the AsOf of its day."""
    bot._clock[0] = datetime(*args, tzinfo=TZ)
    return AsOf.of(bot.now.date(), bot.now)


async def _documents(bot, tmp_path, as_of: AsOf, name: str):
    repos = bot.repos()
    try:
        campaign = bot.app.campaign
        city_bureau = await repos.org.bureau("市局")
        zz = await repos.org.bureau("泽州县")
        digest = await build_digest(repos, campaign, city_bureau, as_of.day, cutoff=as_of.cutoff)
        zz_digest = await build_digest(repos, campaign, zz, as_of.day, cutoff=as_of.cutoff)
        city_report = build_report(await report_service.load_scope(repos, campaign, city_bureau, as_of),
                                   tmp_path / f"{name}-city.docx")
        zz_report = build_report(await report_service.load_scope(repos, campaign, zz, as_of),
                                 tmp_path / f"{name}-zz.docx")
        sheet = await service.xlsx_file(repos, campaign, None, tmp_path / f"{name}.xlsx", as_of)
    finally:
        await repos.session.close()
    return digest.text, zz_digest.text, city_report, zz_report, sheet


def _summary(sheet) -> dict[str, tuple]:
    ws = load_workbook(sheet)["汇总"]
    return {r[0]: r[1:] for r in ws.iter_rows(min_row=3, values_only=True) if r[1] is not None}


async def test_digest_report_and_spreadsheet_agree_as_of_a_day(bot, tmp_path):
    await dataset.build(bot)  # recorded on 2023-05-10
    # on 05-22 高平市 submits a visit it made on 05-19 and finishes a typical case
    await _at(bot, 2023, 5, 22, 10, 0)
    gp_new = await dataset.add_submitted(bot, "高平市新增煤业有限公司", "煤矿", "高平市", "gp1", date(2023, 5, 19))

    async def finish_case(repos):
        member = await repos.org.member_by_identity("console", "gp1")
        cases = CaseRepo(repos.session, repos.audit)
        case = await cases.create(campaign_id=dataset.CAMPAIGN, bureau_id=member.bureau_id, created_by=member.id,
                                  title="高平市应急管理局对高平市新增煤业有限公司行政处罚案")
        cases.finish(case, member.id)
        await repos.session.flush()
        case.finished_at = bot.now
        (await repos.inspections.get(gp_new)).submitted_at = bot.now
        await repos.commit()
    await bot.query(finish_case)

    # ---- as of 06-09 (asked on 06-09): everything
    as_of = await _at(bot, 2023, 6, 9, 9, 0)
    digest, zz_digest, city_report, zz_report, sheet = await _documents(bot, tmp_path, as_of, "late")
    expected = dict(EXPECTED)
    q, i, c, v, o, p, n, y, k = expected["高平市"]
    expected["高平市"] = (q, i + 1, c + 1, v + 1, o, p, n, y, k + 1)
    _check(digest, zz_digest, city_report, zz_report, sheet, expected, distinct=6, shared=1)

    # ---- as of 05-20, asked on 06-09: not 高平市's visit submitted on 05-22, nor its case finished then
    as_of = AsOf.of(date(2023, 5, 20), bot.now)
    assert as_of.cutoff is not None
    digest, zz_digest, city_report, zz_report, sheet = await _documents(bot, tmp_path, as_of, "early")
    _check(digest, zz_digest, city_report, zz_report, sheet, dict(EXPECTED, **{
        "泽州县": (10, 4, 3, 5, 1, 3, 2, 20000, 1)}), distinct=5, shared=1)  # 06-05 not yet visited


def _check(digest: str, zz_digest: str, city_report, zz_report, sheet, expected: dict, distinct: int,
           shared: int) -> None:
    total = [sum(v[k] for v in expected.values()) for k in range(9)]
    total[0] = 66  # every bureau's quota: 6 + 6 × 10
    quota, inspected, counted, visits, outside, problems, orders, fine, cases = total
    # the digest: each bureau's line and the total, the sum of the lines, and the distinct count
    lines = digest.split("\n")
    for name, (q, _i, c, _v, _o, pr, _n, _y, k) in expected.items():
        [line] = [x for x in lines if x.startswith(f"{name} ")]
        assert line.startswith(f"{name} {c}/{q}家") and f"案例{k}/1" in line and f"问题{pr}" in line, line
    assert any(x.startswith(f"合计 {counted}/{quota}家 案例{cases}/7 问题{problems}") for x in lines), lines
    assert f"全市检查企业 {distinct} 家（去重；{shared} 家次" in digest
    # the city's report: the bureau table, its rows adding up to 合计, and the text saying the same
    rows = {r[0]: r[1:] for r in docx_table(city_report, texts.RPT_BUREAU_COLUMNS)}
    for name, (q, i, c, _v, _o, pr, n, y, k) in expected.items():
        assert rows[name] == [str(i), f"{c}/{q}", str(pr), str(n), f"{y:,}", f"{k}/1"], name
    assert rows["合计"] == [str(inspected), f"{counted}/{quota}", str(problems), str(orders), f"{fine:,}",
                          f"{cases}/7"]
    for col in range(len(rows["合计"])):
        cells = [v[col] for name, v in rows.items() if name != "合计"]
        left = [int(x.split("/")[0].replace(",", "")) for x in cells]
        assert sum(left) == int(rows["合计"][col].split("/")[0].replace(",", "")), col
    text = docx_text(city_report)
    assert f"计入本次“回头看”任务的高危行业企业{counted}家（任务{quota}家）" in text
    assert f"全市检查的高危行业企业去重后为{distinct}家" in text
    industries = docx_table(city_report, texts.RPT_INDUSTRY_COLUMNS)
    assert industries[-1][:3] == ["合计", str(inspected), str(sum(v[3] for v in expected.values()))]
    # the attachment lists the campaign's visits: its enterprises counted per bureau agree
    detail = docx_table(city_report, texts.RPT_DETAIL_COLUMNS_CITY)
    assert len(detail) == sum(v[3] for v in expected.values())
    for name, (_q, _i, c, *_rest) in expected.items():
        assert len({r[2] for r in detail if r[1] == name and r[7] == "是"}) == c
    # the county's report and digest
    q, i, c, v, o, pr, n, y, k = expected["泽州县"]
    assert f"企业：{c}/{q} 家" in zz_digest and f"期外检查 {o} 次" in zz_digest
    zz_text = docx_text(zz_report)
    assert f"共检查生产经营单位{i}家、{v}次" in zz_text and f"高危行业企业{c}家（任务{q}家）" in zz_text
    assert f"发现问题{pr}项" in zz_text and f"依法责令限期改正{n}项" in zz_text and f"罚款{y:,}元" in zz_text
    assert "期外" not in zz_text  # a visit outside the period is not in the report
    # the spreadsheet's summary: the same numbers, the total the sum of the rows
    summary = _summary(sheet)
    for name, (q, i, c, v, o, pr, n, y, k) in expected.items():
        row = summary[name]
        assert (row[0], row[1], row[2], row[4], row[5], row[6], row[8], row[9], row[15]) == (
            q, i, c, v, o, k, pr, n, y), name
    row = summary["合计"]
    assert (row[0], row[1], row[2], row[6], row[8], row[9], row[15]) == (
        quota, inspected, counted, cases, problems, orders, fine)
