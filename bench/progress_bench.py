"""Benchmark (run by hand, not a test): the city-wide progress query on PostgreSQL with 100,000
inspections and 2,000,000 answers.

    .venv/bin/python bench/progress_bench.py [--url postgresql://root@127.0.0.1:5432/test] [--runs 5]

It creates a dedicated database next to the one in --url, migrates it, bulk-loads it with COPY,
times the city view (every bureau: counted enterprises by industry, in/out of the period, drafts,
typical cases, findings by item, penalties), one county's view and one inspector's own figures,
prints the timings, and drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg  # noqa: E402

from bot.app import sync_bureaus  # noqa: E402
from bot.campaign import load_campaign  # noqa: E402
from bot.config import BUNDLED_CAMPAIGN  # noqa: E402
from bot.progress import city, compute  # noqa: E402
from storage import db  # noqa: E402
from storage.repositories import Repos  # noqa: E402

INSPECTIONS = 100_000
ANSWERS_PER_INSPECTION = 20  # 2,000,000 answers
ENTERPRISES = 20_000
MEMBERS_PER_BUREAU = 15
INDUSTRIES = ["煤矿", "非煤矿山", "危险化学品", "金属冶炼", "其他"]


def _requirement_ids(campaign) -> list[str]:
    """The campaign's 9 requirements, then synthetic ones (a longer checklist) up to 20 per inspection."""
    ids = [r.id for r in campaign.requirements]
    extra = [f"{9 + i // 10}.{i % 10 + 1}" for i in range(ANSWERS_PER_INSPECTION - len(ids))]
    return ids + extra


async def load(conn: asyncpg.Connection, campaign, bureau_ids: list[int]) -> None:
    rnd = random.Random(2023)
    now = datetime(2023, 6, 1, tzinfo=timezone.utc)
    members = [(i + 1, f"检查员{i + 1}", bureau_ids[i % len(bureau_ids)], "inspector", "", "", True, None, now)
               for i in range(MEMBERS_PER_BUREAU * len(bureau_ids))]
    await conn.copy_records_to_table("members", records=members, columns=[
        "id", "name", "bureau_id", "role", "phone", "badge_no", "active", "active_inspection_id", "created_at"])
    by_bureau = {b: [m[0] for m in members if m[2] == b] for b in bureau_ids}
    enterprises = [(i + 1, f"企业{i + 1:05d}", rnd.choice(INDUSTRIES), bureau_ids[i % len(bureau_ids)], "",
                    None, None, now) for i in range(ENTERPRISES)]
    await conn.copy_records_to_table("enterprises", records=enterprises, columns=[
        "id", "name", "industry", "bureau_id", "credit_code", "latitude", "longitude", "created_at"])
    start = date(2023, 4, 20)
    inspections, inspectors = [], []
    for i in range(1, INSPECTIONS + 1):
        ent = rnd.randrange(1, ENTERPRISES + 1)
        bureau = bureau_ids[rnd.randrange(len(bureau_ids))]
        member = rnd.choice(by_bureau[bureau])
        status = rnd.choices(["submitted", "draft", "cancelled"], [85, 10, 5])[0]
        day = start + timedelta(days=rnd.randrange(60))
        inspections.append((i, campaign.id, ent, bureau, member, day, status, "", False, None, None, now, now,
                            now if status == "submitted" else None))
        inspectors.append((i, i, member, "检查员"))
    columns = ["id", "campaign_id", "enterprise_id", "bureau_id", "created_by", "inspection_date", "status",
               "responsible_person", "register_done", "latitude", "longitude", "started_at", "updated_at",
               "submitted_at"]
    if await conn.fetchval("SELECT 1 FROM information_schema.columns WHERE table_name = 'inspections' "
                           "AND column_name = 'steps_done'"):  # migration 0004: the steps before the checklist
        columns.append("steps_done")
        inspections = [row + ('["co_inspectors", "date", "location"]',) for row in inspections]
    await conn.copy_records_to_table("inspections", records=inspections, columns=columns)
    await conn.copy_records_to_table("inspection_inspectors", records=inspectors,
                                     columns=["id", "inspection_id", "member_id", "name"])
    reqs = _requirement_ids(campaign)
    findings, orders = [], []

    def answers():
        aid = 0
        for insp in inspections:
            for req in reqs:
                aid += 1
                verdict = rnd.choices(["pass", "fail", "na"], [80, 12, 8])[0]
                if verdict == "fail" and req in reqs[:9]:
                    fid = len(findings) + 1
                    findings.append((fid, insp[0], req, None, "answer", "问题", "aqf97-3", rnd.random() < 0.9, now))
                    if rnd.random() < 0.3:
                        penalty = rnd.choice([None, 10000, 20000, 50000])
                        orders.append((len(orders) + 1, fid, insp[0], insp[3], "aqf97-3", "责令限期改正", penalty,
                                       "", insp[5] + timedelta(days=15), "", "open", insp[4], now, None))
                yield (aid, insp[0], req, verdict, "", insp[4], now)

    await conn.copy_records_to_table("answers", records=answers(), columns=[
        "id", "inspection_id", "requirement_id", "verdict", "note", "answered_by", "answered_at"])
    await conn.copy_records_to_table("findings", records=findings, columns=[
        "id", "inspection_id", "requirement_id", "certificate_id", "source", "description", "legal_basis",
        "confirmed", "created_at"])
    await conn.copy_records_to_table("orders", records=orders, columns=[
        "id", "finding_id", "inspection_id", "bureau_id", "legal_basis", "measure", "penalty_amount",
        "decision_no", "due_date", "responsible_person", "status", "created_by", "created_at", "closed_at"])
    cases = [(i + 1, campaign.id, bureau_ids[i % len(bureau_ids)], None, 1, rnd.choice(["draft", "finished"]),
              "案例", "[]", "", "", "", "", "[]", now, now, None) for i in range(70)]
    await conn.copy_records_to_table("typical_cases", records=cases, columns=[
        "id", "campaign_id", "bureau_id", "inspection_id", "created_by", "status", "title", "keywords", "gist",
        "facts", "reasoning", "commentary", "officers", "created_at", "updated_at", "finished_at"])
    for table in ("members", "enterprises", "inspections", "inspection_inspectors", "answers", "findings",
                  "orders", "typical_cases"):
        await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    await conn.execute("ANALYZE")
    print(f"loaded: {len(inspections):,} inspections, {len(inspections) * len(reqs):,} answers, "
          f"{len(findings):,} findings, {len(orders):,} orders, {ENTERPRISES:,} enterprises")


async def timed(label: str, runs: int, fn) -> None:
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = await fn()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{label:<34} median {statistics.median(times):7.1f} ms   min {min(times):7.1f} ms   "
          f"max {max(times):7.1f} ms   ({runs} runs)")
    return result


async def main(url: str, runs: int) -> None:
    name = f"ib_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    bench_url = url.rsplit("/", 1)[0] + "/" + name
    engine = db.create_engine(bench_url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        campaign = load_campaign(BUNDLED_CAMPAIGN)
        await db.upgrade(engine)
        sessions = db.sessionmaker(engine)
        await sync_bureaus(Repos(sessions()), campaign)
        conn = await asyncpg.connect(bench_url)
        try:
            bureau_ids = [r["id"] for r in await conn.fetch("SELECT id FROM bureaus ORDER BY id")]
            t0 = time.perf_counter()
            await load(conn, campaign, bureau_ids)
            print(f"bulk load (COPY): {time.perf_counter() - t0:.1f} s")
        finally:
            await conn.close()
        today = date(2023, 5, 20)

        async def with_repos(fn):
            repos = Repos(sessions())
            try:
                return await fn(repos)
            finally:
                await repos.session.close()

        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work on the machine shows here)")
        view = await timed("city-wide progress (全市进度)", runs,
                           lambda: with_repos(lambda r: city(r, campaign, today)))
        await timed("one county (泽州县进度)", runs,
                    lambda: with_repos(lambda r: compute(r, campaign, today, bureau_ids=[bureau_ids[2]])))
        await timed("one inspector's own work (进度)", runs,
                    lambda: with_repos(lambda r: compute(r, campaign, today, member_id=1)))
        total = view.total.figures
        print(f"city total: {total.enterprises} counted enterprises / quota {view.total.quota}, "
              f"{total.visits:,} visits, {total.outside_visits:,} outside the period, "
              f"{total.findings_total:,} findings, {total.penalties:,} penalties")
    finally:
        await engine.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgresql://root@127.0.0.1:5432/test",
                        help="a PostgreSQL database to connect to; the benchmark database is created beside it")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.runs))
