"""Benchmark (run by hand, not a test): WeCom callbacks acknowledged per second and their latency,
with wrk as the load generator, against three endpoints in one run:

  (a) bare     a minimal Starlette app that verifies and decrypts with wechatpy, then answers 200
  (b) durable  the same + one INSERT committed to PostgreSQL (asyncpg, ON CONFLICT DO NOTHING on a
               unique key, as the inbox does): what durability costs at the least
  (c) serve    `inspector-bot serve` on PostgreSQL + Redis, with the fake WeCom API (tests/wecom)
               receiving its replies

    apt-get install -y wrk          # Debian/Ubuntu: the load generator (C, epoll; not the bottleneck)
    .venv/bin/python bench/wecom_ack.py                 # 50 connections, 5 s per endpoint

Every request is a distinct message (pre-encrypted here with wechatpy, cycled through by
bench/wecom_ack.lua) from one of 50 inspectors registered in the bot's database; all three
endpoints serve one process each with the same uvicorn defaults. Prints req/s, p50/p99 and the
ratios serve/durable and serve/bare, then waits for `serve` to handle everything it acknowledged
and checks, message by message, that every acknowledged one is in the inbox, handled, and that
its reply reached the fake WeCom API. Creates and drops its own database (ib_bench_*).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import xmltodict  # noqa: E402
from wechatpy.enterprise.crypto import WeChatCrypto  # noqa: E402

from tests.wecom.driver import AES_KEY, TOKEN, xml_message  # noqa: E402
from tests.wecom.fake_wecom import AGENT_ID, CORP_ID, SECRET, FakeWeCom  # noqa: E402

LUA = Path(__file__).with_suffix(".lua")
ANCHOR_TABLE = """CREATE TABLE IF NOT EXISTS anchor_inbox (
    id bigserial PRIMARY KEY, channel varchar(20) NOT NULL, dedupe_key varchar(200) NOT NULL,
    user_key varchar(200) NOT NULL, payload json NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, dedupe_key))"""


# ---- the two anchors ----------------------------------------------------------------------------
def anchor_app(kind: str, dsn: str):
    """(a) bare: verify + decrypt; (b) durable: the same + one INSERT committed."""
    import contextlib

    import asyncpg
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    pool: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(_):
        if kind == "durable":  # the bot's pool size (storage/db.py)
            pool["db"] = await asyncpg.create_pool(dsn, min_size=10, max_size=10)
        yield
        if "db" in pool:
            await pool["db"].close()

    async def callback(request: Request) -> Response:
        q = request.query_params
        try:
            xml = crypto.decrypt_message(await request.body(), q["msg_signature"], q["timestamp"], q["nonce"])
        except Exception:  # noqa: BLE001
            return Response(status_code=403)
        if kind == "durable":
            msg = xmltodict.parse(xml)["xml"]
            await pool["db"].execute(
                "INSERT INTO anchor_inbox (channel, dedupe_key, user_key, payload) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT DO NOTHING",
                "wecom", msg["MsgId"], "wecom:" + msg["FromUserName"], json.dumps(msg, ensure_ascii=False))
        return Response(b"")

    return Starlette(routes=[Route("/wecom/callback", callback, methods=["POST"])], lifespan=lifespan)


# ---- helpers ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def msg_id(run: int, line: int) -> str:
    return str(run * 10**7 + line)


def write_bodies(path: Path, n: int, users: list[str], run: int) -> None:
    """n distinct encrypted callbacks, one per line: "<path?query>\\t<body>". User i % len(users)
    sends line i; CreateTime advances a second every 1,000 lines (MsgId orders within a second)."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    now = int(time.time())
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            xml = xml_message(users[i % len(users)], "text", {"Content": "帮助"}, msg_id(run, i), now + i // 1000)
            nonce = f"n{run}x{i}"
            env = xmltodict.parse(crypto.encrypt_message(xml, nonce, str(now)))["xml"]
            body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{env['Encrypt']}]]>"
                    f"</Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>")
            query = f"msg_signature={env['MsgSignature']}&timestamp={env['TimeStamp']}&nonce={nonce}"
            f.write(f"/wecom/callback?{query}\t{body}\n")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run_wrk(port: int, bodies: Path, args, out: Path, pid: int) -> dict:
    load_1m = os.getloadavg()[0]
    cpu0, (busy0, total0) = cpu_seconds(pid), machine_busy()
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s",
           "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(bodies), str(args.threads)]
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "WRK_OUT": str(out)})
    cpu1, (busy1, total1) = cpu_seconds(pid), machine_busy()
    lines = out.read_text().splitlines()
    res = json.loads(lines[0])
    res["acked_ids"] = lines[1:]
    secs = res["duration_us"] / 1e6
    acks = res["statuses"].get("200", 0)
    res.update(req_per_s=round(res["requests"] / secs, 1), acks_per_s=round(acks / secs, 1),
               p50_ms=round(res["p50_us"] / 1000, 1), p99_ms=round(res["p99_us"] / 1000, 1),
               server_cpu=round((cpu1 - cpu0) / secs, 2), machine_busy=round((busy1 - busy0) / (total1 - total0), 2),
               load_1m_before=round(load_1m, 2))
    return res


def summary(res: dict) -> dict:
    keys = ("req_per_s", "acks_per_s", "p50_ms", "p99_ms", "requests", "statuses", "errors", "wrapped",
            "server_cpu", "machine_busy", "load_1m_before")
    out = {k: res[k] for k in keys}
    out["max_ms"] = round(res["max_us"] / 1000, 1)
    return out


async def _sql(dsn: str, sql: str, *args):
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def wait_drained(dsn: str, timeout: float) -> float:
    """Seconds until the bot has no pending inbox or outbox rows (or the timeout)."""
    import asyncpg

    started = time.monotonic()
    conn = await asyncpg.connect(dsn)
    try:
        while time.monotonic() - started < timeout:
            left = await conn.fetchval(
                "SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')"
                " + (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))")
            if left == 0:
                break
            await asyncio.sleep(0.5)
        return time.monotonic() - started
    finally:
        await conn.close()


def check_serve(dsn: str, run: int, acked_ids: list[str], fake: FakeWeCom, drained_s: float) -> dict:
    """Every acknowledged message stored, handled, and answered through the send API."""
    rows = asyncio.run(_sql(dsn, "SELECT dedupe_key, status FROM inbox WHERE channel = 'wecom'"))
    status = {r["dedupe_key"]: r["status"] for r in rows}
    acked = [msg_id(run, int(rid[1:])) for rid in acked_ids]
    missing = [m for m in acked if m not in status]
    unhandled = [m for m in acked if status.get(m) not in (None, "done", "late")]
    outbox = asyncio.run(_sql(dsn, "SELECT status, count(*) AS n FROM outbox GROUP BY status"))
    replies = sum(1 for c in fake.calls if c.path.endswith("message/send"))
    return {"acked": len(acked), "distinct_acked": len(set(acked)), "stored": len(status),
            "acked_not_stored": len(missing), "acked_not_handled": len(unhandled),
            "inbox_status": {s: sum(1 for v in status.values() if v == s) for s in set(status.values())},
            "outbox": {r["status"]: r["n"] for r in outbox}, "replies_received_by_fake_wecom": replies,
            "drained_after_load_s": round(drained_s, 1),
            "ok": not missing and not unhandled and len(set(acked)) == len(acked)}


# ---- main ---------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgresql+asyncpg://root@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--users", type=int, default=50, help="registered inspectors sending the messages")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per endpoint")
    parser.add_argument("--messages", type=int, default=0,
                        help="distinct messages generated (default: 6,000 per second of --duration)")
    parser.add_argument("--only", default="bare,durable,serve", help="endpoints to load, in this order")
    parser.add_argument("--drain-timeout", type=float, default=120,
                        help="seconds to wait for serve to handle its backlog after the load")
    parser.add_argument("--profile", default="",
                        help="py-spy record the serve process under load: a flame graph (.svg) or collapsed stacks")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for serve (repeatable)")
    parser.add_argument("--anchor", choices=["bare", "durable"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dsn", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.anchor:
        import uvicorn

        uvicorn.run(anchor_app(args.anchor, args.dsn), host="127.0.0.1", port=args.port, log_level="warning")
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), brew install wrk (macOS)")

    db = f"ib_bench_{uuid.uuid4().hex[:8]}"
    admin = args.pg.replace("postgresql+asyncpg://", "postgresql://")
    dsn = admin.rsplit("/", 1)[0] + "/" + db
    tmp = Path(tempfile.mkdtemp(prefix=f"{db}-"))
    run = uuid.uuid4().int % 10**9
    users = [f"bench{i}" for i in range(args.users)]
    n = args.messages or 6000 * args.duration
    t0 = time.monotonic()
    write_bodies(tmp / "bodies.txt", n, users, run)
    print(f"{n:,} encrypted messages from {len(users)} inspectors in {time.monotonic() - t0:.1f} s", file=sys.stderr)

    asyncio.run(_sql(admin, f'CREATE DATABASE "{db}"'))
    fake = FakeWeCom().start()
    env = {**os.environ, "INSPECTOR_BOT_DATABASE_URL": args.pg.rsplit("/", 1)[0] + "/" + db,
           "INSPECTOR_BOT_REDIS_URL": args.redis, "INSPECTOR_BOT_WECOM_CORP_ID": CORP_ID,
           "INSPECTOR_BOT_WECOM_SECRET": SECRET, "INSPECTOR_BOT_WECOM_AGENT_ID": AGENT_ID,
           "INSPECTOR_BOT_WECOM_TOKEN": TOKEN, "INSPECTOR_BOT_WECOM_AES_KEY": AES_KEY,
           "INSPECTOR_BOT_WECOM_API_BASE": fake.url, "INSPECTOR_BOT_MEDIA_DIR": str(tmp / "media"),
           **dict(e.split("=", 1) for e in args.env)}
    org = tmp / "org.yaml"
    org.write_text("members:\n" + "".join(f"  - {{name: 压测{u}, bureau: 泽州县, wecom: {u}}}\n" for u in users),
                   encoding="utf-8")
    bot_cmd = [str(ROOT / ".venv/bin/inspector-bot")]
    procs: list[subprocess.Popen] = []
    results: dict[str, dict] = {}
    check: dict = {}
    try:
        subprocess.run(bot_cmd + ["org", "import", str(org)], env=env, check=True, capture_output=True)
        asyncio.run(_sql(dsn, ANCHOR_TABLE))
        ports = {"bare": free_port(), "durable": free_port(), "serve": free_port()}
        log = open(tmp / "serve.log", "w")  # the bot's JSON log, kept for a look afterwards
        procs.append(subprocess.Popen(bot_cmd + ["serve", "--host", "127.0.0.1", "--port", str(ports["serve"])],
                                      env=env, stdout=log, stderr=log))
        for kind in ("bare", "durable"):
            procs.append(subprocess.Popen([sys.executable, __file__, "--anchor", kind, "--port", str(ports[kind]),
                                           "--dsn", dsn], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        pids = {"serve": procs[0].pid, "bare": procs[1].pid, "durable": procs[2].pid}
        wait_http(f"http://127.0.0.1:{ports['serve']}/healthz")
        for kind in ("bare", "durable"):
            wait_http(f"http://127.0.0.1:{ports[kind]}/wecom/callback")
        serve_cpu0 = cpu_seconds(pids["serve"])
        for kind in args.only.split(","):
            spy = None
            if kind == "serve" and args.profile:
                fmt = "flamegraph" if args.profile.endswith(".svg") else "raw"
                pyspy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
                spy = subprocess.Popen([pyspy or "py-spy", "record", "-o", args.profile, "-f", fmt, "-p", str(procs[0].pid),
                                        "-d", str(args.duration), "-r", "100", "--nonblocking"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results[kind] = run_wrk(ports[kind], tmp / "bodies.txt", args, tmp / f"wrk-{kind}.txt", pids[kind])
            if spy:
                spy.wait()
        if "serve" in results:
            drained = asyncio.run(wait_drained(dsn, args.drain_timeout))
            check = check_serve(dsn, run, results["serve"]["acked_ids"], fake, drained)
            handled = sum(n for status, n in check["inbox_status"].items() if status != "pending")
            check["serve_cpu_ms_per_message"] = round((cpu_seconds(pids["serve"]) - serve_cpu0) * 1000
                                                      / max(handled, 1), 2)
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        fake.stop()
        asyncio.run(_sql(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        shutil.rmtree(tmp / "media", ignore_errors=True)

    report: dict = {"connections": args.connections, "wrk_threads": args.threads, "duration_s": args.duration,
                    "cpus": os.cpu_count(), "messages_generated": n}
    report.update({k: summary(v) for k, v in results.items()})
    if "serve" in results:
        s = results["serve"]
        for anchor in ("durable", "bare"):
            if anchor in results:
                report[f"serve/{anchor}"] = {
                    "throughput": round(s["acks_per_s"] / results[anchor]["acks_per_s"], 2),
                    "p99": round(s["p99_us"] / max(results[anchor]["p99_us"], 1), 2)}
        report["serve_check"] = check
        report["serve_handled_per_s"] = round(
            check["inbox_status"].get("done", 0) / (args.duration + check["drained_after_load_s"]), 1)
    if any(r["wrapped"] for r in results.values()):
        report["warning"] = "wrk ran out of distinct messages and repeated some: raise --messages"
    report["serve_log"] = str(tmp / "serve.log")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
