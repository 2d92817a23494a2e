"""Benchmark: whole conversations on PostgreSQL and Redis (run by hand, not a test).

Simulated inspectors each send one message every INTERVAL seconds through the real core (inbox,
per-user Redis lock, handlers, outbox, delivery) in P server processes sharing one PostgreSQL
database and one Redis. Reports the reply time (message in -> replies delivered) percentiles, the
throughput, and memory: an idle process, and per active conversation.

    .venv/bin/python bench/conversations.py --users 1000 --processes 2 --duration 60

It creates and drops its own database (ib_bench_*) on the server of --pg.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.base import Adapter  # noqa: E402
from bot.messages import Incoming, Kind, Media, Outgoing  # noqa: E402

SCRIPT_START = ["开始检查", "{name}", "1", "煤矿", "无", "2023-05-10", "跳过"]
SCRIPT_ITEMS = ["符合", "不适用", "符合", "符合", "登记完成", "符合", "符合", "符合", "符合", "符合", "暂停"]


class Sink(Adapter):
    channel = "console"

    def __init__(self) -> None:
        self.count = 0

    async def send(self, chat_id: str, message: Outgoing) -> None:
        self.count += 1

    async def fetch_media(self, media: Media) -> bytes:
        raise LookupError("no media in this benchmark")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _worker(db_url: str, redis_url: str, users: list[str], duration: float, interval: float,
                  tmp: str, out) -> None:
    from bot.app import build_app
    from bot.config import Settings

    settings = Settings(database_url=db_url, redis_url=redis_url, media_dir=Path(tmp) / "media", _env_file=None)
    app = await build_app(settings, migrate=False)
    sink = Sink()
    app.core.add_adapter(sink)
    idle_mb = rss_mb()
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + duration

    async def user(uid: str) -> None:
        nonlocal errors
        await asyncio.sleep(random.uniform(0, interval))
        step, n = 0, 0
        script = [s.format(name=f"压测企业{uid}") for s in SCRIPT_START] + SCRIPT_ITEMS
        while time.monotonic() < stop_at:
            text = script[step]
            if text == "暂停":
                step = 0  # paused: start another inspection
            else:
                step += 1
            begin = time.perf_counter()
            try:
                await app.core.handle_now(Incoming(channel="console", user_id=uid, chat_id=uid, kind=Kind.TEXT,
                                                   text=text, msg_id=f"{uid}-{n}"))
            except Exception:  # noqa: BLE001 - counted, the run goes on
                errors += 1
            latencies.append(time.perf_counter() - begin)
            n += 1
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - begin)))

    await asyncio.gather(*(user(u) for u in users))
    active_mb = rss_mb()
    await app.close()
    out.put({"latencies": latencies, "errors": errors, "idle_mb": idle_mb, "active_mb": active_mb,
             "users": len(users), "sent": sink.count})


def worker(*args) -> None:
    asyncio.run(_worker(*args))


async def _setup(admin_dsn: str, db_url: str, users: list[str]) -> None:
    import asyncpg

    from bot.app import build_app
    from bot.config import Settings
    from storage.repositories import Repos

    name = db_url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    app = await build_app(Settings(database_url=db_url, _env_file=None))
    repos = Repos(app.core.sessions())
    bureau = await repos.org.bureau("泽州县")
    for uid in users:
        member = await repos.org.add_member(f"检查员{uid}", bureau, "inspector")
        await repos.org.link_identity(member, "console", uid)
    await repos.commit()
    await repos.session.close()
    await app.close()


async def _drop(admin_dsn: str, db_url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgresql+asyncpg://root@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()

    db_url = args.pg.rsplit("/", 1)[0] + f"/ib_bench_{uuid.uuid4().hex[:8]}"
    admin_dsn = args.pg.replace("postgresql+asyncpg://", "postgresql://")
    users = [f"u{i}" for i in range(args.users)]
    asyncio.run(_setup(admin_dsn, db_url, users))
    try:
        out: mp.Queue = mp.Queue()
        shards = [users[i::args.processes] for i in range(args.processes)]
        procs = [mp.Process(target=worker, args=(db_url, args.redis, shard, args.duration, args.interval,
                                                  f"/tmp/ib-bench-{os.getpid()}", out)) for shard in shards]
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
    finally:
        asyncio.run(_drop(admin_dsn, db_url))

    lat = sorted(x for r in results for x in r["latencies"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0] * 99
    report = {
        "users": args.users, "processes": args.processes, "interval_s": args.interval, "duration_s": args.duration,
        "messages": len(lat), "messages_per_s": round(len(lat) / args.duration, 1),
        "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1), "max_ms": round(lat[-1] * 1000, 1),
        "errors": sum(r["errors"] for r in results),
        "idle_process_mb": round(min(r["idle_mb"] for r in results), 1),
        "per_conversation_kb": round(sum(r["active_mb"] - r["idle_mb"] for r in results) * 1024 / args.users, 1),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
