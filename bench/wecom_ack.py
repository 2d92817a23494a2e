"""Benchmark: WeCom callbacks acknowledged per second, and p50/p99 latency, at C concurrent senders
(run by hand, not a test). In the same run, a bare Starlette endpoint that only checks and decrypts
the same messages with wechatpy; the ratio of the two is the figure (target: at least one half).

    .venv/bin/python bench/wecom_ack.py --senders 50 --duration 20

The bot runs as `inspector-bot serve` (uvicorn, one process) on PostgreSQL and Redis, with the
local fake WeCom API (tests/wecom/fake_wecom.py) receiving its replies; the senders are registered
members sending 帮助, so every callback is stored, handled and answered through the send API.
It creates and drops its own database (ib_bench_*).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
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


def bare_app():
    """Only what WeCom's protocol demands: verify, decrypt, answer 200."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)

    async def callback(request: Request) -> Response:
        q = request.query_params
        crypto.decrypt_message(await request.body(), q["msg_signature"], q["timestamp"], q["nonce"])
        return Response(b"")

    return Starlette(routes=[Route("/wecom/callback", callback, methods=["POST"])])


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


def bodies(n: int, users: list[str]) -> list[tuple[bytes, dict]]:
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    out, now = [], int(time.time())
    run = uuid.uuid4().int % 10**9
    for i in range(n):
        xml = xml_message(users[i % len(users)], "text", {"Content": "帮助"}, str(run * 10**7 + i), now + i)
        env = xmltodict.parse(crypto.encrypt_message(xml, f"n{i}", str(now)))["xml"]
        body = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{env['Encrypt']}]]>"
                f"</Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>").encode()
        out.append((body, {"msg_signature": env["MsgSignature"], "timestamp": env["TimeStamp"], "nonce": f"n{i}"}))
    return out


async def load(url: str, work: list[tuple[bytes, dict]], senders: int, duration: float) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    it = iter(work)
    stop_at = time.monotonic() + duration

    async def sender(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop_at:
            try:
                body, params = next(it)
            except StopIteration:
                return
            begin = time.perf_counter()
            r = await client.post(url, params=params, content=body)
            latencies.append(time.perf_counter() - begin)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    limits = httpx.Limits(max_connections=senders, max_keepalive_connections=senders)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(*(sender(client) for _ in range(senders)))
        elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return {"acks": statuses.get(200, 0), "acks_per_s": round(statuses.get(200, 0) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgresql+asyncpg://root@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        import uvicorn

        uvicorn.run(bare_app(), host="127.0.0.1", port=args.bare_server, log_level="warning")
        return

    import asyncpg

    db = f"ib_bench_{uuid.uuid4().hex[:8]}"
    admin = args.pg.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(_admin(admin, f'CREATE DATABASE "{db}"'))
    fake = FakeWeCom().start()
    env = {**os.environ, "INSPECTOR_BOT_DATABASE_URL": args.pg.rsplit("/", 1)[0] + "/" + db,
           "INSPECTOR_BOT_REDIS_URL": args.redis, "INSPECTOR_BOT_WECOM_CORP_ID": CORP_ID,
           "INSPECTOR_BOT_WECOM_SECRET": SECRET, "INSPECTOR_BOT_WECOM_AGENT_ID": AGENT_ID,
           "INSPECTOR_BOT_WECOM_TOKEN": TOKEN, "INSPECTOR_BOT_WECOM_AES_KEY": AES_KEY,
           "INSPECTOR_BOT_WECOM_API_BASE": fake.url, "INSPECTOR_BOT_MEDIA_DIR": f"/tmp/{db}"}
    users = [f"bench{i}" for i in range(args.senders)]
    org = Path(f"/tmp/{db}.yaml")
    org.write_text("members:\n" + "".join(f"  - {{name: 压测{u}, bureau: 泽州县, wecom: {u}}}\n" for u in users),
                   encoding="utf-8")
    bot_cmd = [str(ROOT / ".venv/bin/inspector-bot")]
    subprocess.run(bot_cmd + ["org", "import", str(org)], env=env, check=True, capture_output=True)
    bot_port, bare_port = free_port(), free_port()
    log = open(f"/tmp/{db}.log", "w")  # the bot's JSON log, kept for a look afterwards
    procs = [subprocess.Popen(bot_cmd + ["serve", "--host", "127.0.0.1", "--port", str(bot_port)], env=env,
                              stdout=log, stderr=log),
             subprocess.Popen([sys.executable, __file__, "--bare-server", str(bare_port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_http(f"http://127.0.0.1:{bot_port}/healthz")
        wait_http(f"http://127.0.0.1:{bare_port}/wecom/callback")
        n = int(args.duration * 1000)  # more than either can take in the time
        bot = asyncio.run(load(f"http://127.0.0.1:{bot_port}/wecom/callback", bodies(n, users),
                               args.senders, args.duration))
        bare = asyncio.run(load(f"http://127.0.0.1:{bare_port}/wecom/callback", bodies(n, users),
                                args.senders, args.duration))
        time.sleep(3)
        replies = sum(1 for c in fake.calls if c.path.endswith("message/send"))
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        fake.stop()
        asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        org.unlink(missing_ok=True)
    print(json.dumps({"senders": args.senders, "duration_s": args.duration, "bare": bare, "bot": bot,
                      "ratio": round(bot["acks_per_s"] / bare["acks_per_s"], 2),
                      "replies_sent_within_run": replies}, ensure_ascii=False, indent=2))


async def _admin(dsn: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


if __name__ == "__main__":
    main()
