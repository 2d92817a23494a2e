"""Benchmark: whole conversations on PostgreSQL and Redis (run by hand, not a test).

Simulated inspectors each send a message on a fixed schedule, one every INTERVAL seconds, going
through an inspection (开始检查, the enterprise, the checklist, 暂停, again). P server processes share
one PostgreSQL database and one Redis; each runs the real core the way `serve` does for WeCom:
`receive` (the ack: the inbox's group commit), then `schedule` (per-user ordering wait, the handling
slots, the per-user Redis lock, the handlers, the outbox, delivery). Messages carry a send order as
WeCom's do, so the ordering wait (ORDER_WINDOW_MS, default 300 ms) applies; --order-window-ms 0
shows the figure without it.

The reply time of a message is measured from when it was due on the schedule (not from when it
was sent: a user held up by a slow reply sends late, and that delay counts) to its first reply.
A run keeps up when every message offered within the duration was answered (by GRACE seconds
after it), nothing is left pending, and the reply time did not grow during the run (the median of
its last quarter within 0.5 s of the first's); a run that does not keep up says so and prints no
latency (the figures would describe only the messages that got through, or a backlog that grows).

    .venv/bin/python bench/conversations.py --users 1000 --processes 2 --duration 40

Also printed: CPU per handled message (the bot processes, and PostgreSQL's backends for this
database), memory (an idle process, per active conversation). --profile FILE records the first
process with py-spy (.svg: a flame graph, else collapsed stacks). Creates and drops its own
database (ib_bench_*) on the server of --pg.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.base import Adapter  # noqa: E402
from bot.messages import Incoming, Kind, Media, Outgoing, send_order  # noqa: E402

SCRIPT_START = ["开始检查", "{name}", "1", "煤矿", "无", "2023-05-10", "跳过"]
SCRIPT_ITEMS = ["符合", "不适用", "符合", "符合", "登记完成", "符合", "符合", "符合", "符合", "符合", "暂停"]
GRACE = 3.0  # seconds after the end for the replies still on their way (a run that needs more fell behind)


class Sink(Adapter):
    """Where the replies go: resolves the waiting user's future on the first reply."""

    channel = "console"
    in_order = False  # like WeCom: the core waits ORDER_WINDOW_MS for earlier messages

    def __init__(self) -> None:
        self.count = 0
        self.waiting: dict[str, asyncio.Future] = {}

    async def send(self, chat_id: str, message: Outgoing) -> None:
        self.count += 1
        future = self.waiting.get(chat_id)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    async def fetch_media(self, media: Media) -> bytes:
        raise LookupError("no media in this benchmark")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def backends(db: str) -> list[int]:
    """PostgreSQL backend processes serving this database (same machine)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f" {db} " in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


class PgCpu(threading.Thread):
    """CPU seconds of this database's PostgreSQL backends from now to `stop` (sampled twice a second:
    the backends exit when the bot processes close their pools)."""

    def __init__(self, db: str) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.first: dict[int, float] = {pid: cpu_of([pid]) for pid in backends(db)}
        self.last: dict[int, float] = dict(self.first)
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for pid in backends(self.db):
                self.last[pid] = cpu_of([pid])

    def stop(self) -> float:
        self.done.set()
        self.join()
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


async def _worker(db_url: str, redis_url: str, users: list[str], start_at: float, duration: float,
                  interval: float, window_ms: int, tmp: str, out) -> None:
    from bot.app import build_app
    from bot.config import Settings

    settings = Settings(database_url=db_url, redis_url=redis_url, media_dir=Path(tmp) / "media",
                        order_window_ms=window_ms, _env_file=None)
    app = await build_app(settings, migrate=False)
    sink = Sink()
    app.core.add_adapter(sink)
    idle_mb = rss_mb()
    latencies: list[float] = []
    counts = {"offered": 0, "sent": 0, "answered": 0, "refused": 0, "errors": 0}
    # Everyone starts together (the processes too): wait for the common start.
    await asyncio.sleep(max(0.0, start_at - time.time()))
    t0 = time.perf_counter()
    stop_at = t0 + duration
    cpu0 = cpu_self()

    async def user(uid: str) -> None:
        due = t0 + random.uniform(0, interval)
        counts["offered"] += int((stop_at - due) // interval) + 1  # due within the run
        step, n = 0, 0
        script = [s.format(name=f"压测企业{uid}") for s in SCRIPT_START] + SCRIPT_ITEMS
        while due < stop_at:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            text = script[step]
            step = 0 if text == "暂停" else step + 1  # paused: start another inspection
            reply = asyncio.get_running_loop().create_future()
            sink.waiting[uid] = reply
            msg = Incoming(channel="console", user_id=uid, chat_id=uid, kind=Kind.TEXT, text=text,
                           msg_id=f"{uid}-{n}", order=send_order(int(time.time()), n))
            n += 1
            counts["sent"] += 1
            try:
                if not await app.core.receive(msg):
                    counts["refused"] += 1
                    break
                app.core.schedule(msg)
                answered_at = await asyncio.wait_for(reply, timeout=max(0.1, stop_at + GRACE - time.perf_counter()))
            except asyncio.TimeoutError:
                return  # unanswered: counted as offered - answered
            except Exception:  # noqa: BLE001 - counted, this user stops
                counts["errors"] += 1
                return
            counts["answered"] += 1
            latencies.append((due - t0, answered_at - due))
            due += interval  # on schedule: a late reply makes the next message late, and it counts

    await asyncio.gather(*(user(u) for u in users))
    elapsed = time.perf_counter() - t0
    cpu = cpu_self() - cpu0
    active_mb = rss_mb()
    await app.core.drain(timeout=GRACE)
    await app.close()
    out.put({"latencies": latencies, **counts, "idle_mb": idle_mb, "active_mb": active_mb, "users": len(users),
             "replies": sink.count, "cpu_s": cpu, "elapsed_s": elapsed})


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


async def _inbox(admin_dsn: str, db: str) -> dict[str, int]:
    import asyncpg

    conn = await asyncpg.connect(admin_dsn.rsplit("/", 1)[0] + "/" + db)
    try:
        return {r["status"]: r["n"] for r in await conn.fetch("SELECT status, count(*) AS n FROM inbox GROUP BY status")}
    finally:
        await conn.close()


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
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--order-window-ms", type=int, default=300, help="the deployed default: 300")
    parser.add_argument("--profile", default="", help="py-spy record the first process into this file")
    args = parser.parse_args()

    db = f"ib_bench_{uuid.uuid4().hex[:8]}"
    db_url = args.pg.rsplit("/", 1)[0] + "/" + db
    admin_dsn = args.pg.replace("postgresql+asyncpg://", "postgresql://")
    users = [f"u{i}" for i in range(args.users)]
    asyncio.run(_setup(admin_dsn, db_url, users))
    spy = None
    try:
        out: mp.Queue = mp.Queue()
        start_at = time.time() + 5  # every process has built its app by then
        shards = [users[i::args.processes] for i in range(args.processes)]
        procs = [mp.Process(target=worker, args=(db_url, args.redis, shard, start_at, args.duration, args.interval,
                                                  args.order_window_ms, f"/tmp/ib-bench-{os.getpid()}", out))
                 for shard in shards]
        for p in procs:
            p.start()
        time.sleep(max(0.0, start_at - time.time()))
        pg = PgCpu(db)
        if args.profile:
            pyspy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
            spy = subprocess.Popen([pyspy or "py-spy", "record", "-o", args.profile, "-p", str(procs[0].pid),
                                    "-d", str(int(args.duration)), "-r", "100", "--nonblocking",
                                    "-f", "flamegraph" if args.profile.endswith(".svg") else "raw"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = [out.get() for _ in procs]
        pg_cpu = pg.stop()
        for p in procs:
            p.join()
        inbox = asyncio.run(_inbox(admin_dsn, db))
    finally:
        if spy:
            spy.wait()
        asyncio.run(_drop(admin_dsn, db_url))

    total = {k: sum(r[k] for r in results) for k in ("offered", "sent", "answered", "refused", "errors", "replies")}
    handled = sum(n for status, n in inbox.items() if status != "pending")
    keeps_up = total["answered"] == total["offered"] and not inbox.get("pending") and not total["errors"]
    report: dict = {
        "users": args.users, "processes": args.processes, "interval_s": args.interval, "duration_s": args.duration,
        "order_window_ms": args.order_window_ms, "cpus": os.cpu_count(),
        "offered_per_s": round(args.users / args.interval, 1), **total,
        "answered_per_s": round(total["answered"] / args.duration, 1), "inbox": inbox,
        "keeps_up": keeps_up,
    }
    timed = sorted(x for r in results for x in r["latencies"])  # (due, latency), by when due
    quarter = max(len(timed) // 4, 1)
    first, last = (statistics.median(x for _, x in part) if part else 0.0
                   for part in (timed[:quarter], timed[-quarter:]))
    report["median_first_quarter_ms"], report["median_last_quarter_ms"] = round(first * 1000), round(last * 1000)
    if last > first + 0.5:  # the backlog grew during the run: it would grow on in a longer one
        keeps_up = report["keeps_up"] = False
    lat = sorted(x for _, x in timed)
    if keeps_up and len(lat) > 1:
        q = statistics.quantiles(lat, n=100)
        report.update(p50_ms=round(q[49] * 1000, 1), p99_ms=round(q[98] * 1000, 1), max_ms=round(lat[-1] * 1000, 1))
    else:
        report["result"] = (f"DID NOT KEEP UP: {total['answered']:,} of {total['offered']:,} offered messages "
                            f"answered within the run and {GRACE:.0f} s after it ({inbox.get('pending', 0):,} "
                            f"left pending, {total['errors']} errors), median reply time "
                            f"{report['median_first_quarter_ms']:,} ms in the first quarter of the run and "
                            f"{report['median_last_quarter_ms']:,} ms in the last; no latency is given for a run "
                            f"that falls behind")
    report["cpu_ms_per_handled_message"] = {
        "bot_processes": round(sum(r["cpu_s"] for r in results) * 1000 / max(handled, 1), 2),
        "postgresql": round(pg_cpu * 1000 / max(handled, 1), 2)}
    report["idle_process_mb"] = round(min(r["idle_mb"] for r in results), 1)
    report["per_conversation_kb"] = round(sum(r["active_mb"] - r["idle_mb"] for r in results) * 1024 / args.users, 1)
    report["load_1m_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
