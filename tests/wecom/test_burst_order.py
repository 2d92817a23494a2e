"""Answers sent in a burst reach the requirements they were meant for, in the order the user sent
them, although their HTTP requests reach two `inspector-bot serve` processes in another order.

Two real server processes (subprocesses) on PostgreSQL + Redis, the fake WeCom API, wechatpy's
real crypto. Twenty inspectors at once, each sending a burst of 5 and then a burst of 10 answers
20 ms apart, alternating between the two processes (20 runs of each burst, side by side)."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from tests.servers import Servers, cli, serve_env
from tests.wecom.driver import ServedInspector, WeComChat, wecom_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

USERS = 20
REDIS_DB_URL = "redis://127.0.0.1:6379/14"

# Burst A starts at 1.1; burst B at 2.2 (after the register is closed). (text, requirement it
# answers, verdict or note) — what the inspector meant.
BURST_A = [("符合", "1.1"), ("不符合", "1.2"), ("培训计划未经主要负责人批准", "1.2 note"),
           ("不适用", "1.3"), ("符合", "2.1")]
BURST_B = [("不符合", "2.2"), ("两名特种作业人员平台查不到", "2.2 note"), ("不符合", "2.3"),
           ("王小虎证书已过期", "2.3 note"), ("不符合", "3.1"), ("一人一档缺三人", "3.1 note"),
           ("符合", "3.2"), ("不符合", "3.3"), ("考试试卷未存档", "3.3 note"), ("进度", "")]
VERDICTS = {"符合": "pass", "不符合": "fail", "不适用": "na"}


def expected() -> dict[str, tuple[str, str]]:
    meant: dict[str, tuple[str, str]] = {}
    for words, target in BURST_A + BURST_B:
        if target.endswith(" note"):
            req = target.split()[0]
            meant[req] = (meant[req][0], words)
        elif target:
            meant[target] = (VERDICTS[words], "")
    return meant


async def inspect_in_bursts(insp: ServedInspector, n: int) -> None:
    await insp.to_checklist(f"鸿运煤业{n}号矿")
    await insp.burst([w for w, _ in BURST_A])
    assert "2.2" in await insp.say("2")  # the register is closed with nobody in it
    await insp.burst([w for w, _ in BURST_B])


async def test_bursts_over_two_serve_processes_land_on_the_meant_requirements(pg_url, redis_store, tmp_path, fake):
    run = uuid.uuid4().hex[:6]
    users = [f"b{run}u{n}" for n in range(USERS)]
    org = tmp_path / "org.yaml"
    org.write_text("members:\n" + "".join(
        f"  - {{name: 检查员{n}, bureau: 泽州县, role: inspector, wecom: {u}}}\n" for n, u in enumerate(users)),
        encoding="utf-8")
    env = serve_env(pg_url, REDIS_DB_URL, {**wecom_settings(fake), "wecom_cards": False})  # typed answers
    env.pop("INSPECTOR_BOT_ORDER_WINDOW_MS")  # the default, as deployed
    subprocess.run([*cli(), "org", "import", str(org)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    servers = Servers(env, tmp_path)
    engine = create_async_engine(pg_url)
    first_id = 7_000_000_000_000_000_000 + int(time.time() * 1000) * 1000  # fresh ids every run
    ids = iter(range(first_id, first_id + 1_000_000))
    try:
        await servers.start()
        async with httpx.AsyncClient(timeout=30) as http:
            chat = WeComChat(None, fake, servers.urls[0], http)
            inspectors = [ServedInspector(chat, u, servers, engine, http, ids) for u in users]
            await asyncio.gather(*(inspect_in_bursts(insp, n) for n, insp in enumerate(inspectors)))
            meant = expected()
            for insp in inspectors:
                assert await insp.record() == meant, insp.user
                # none applied late, none failed, none left: every message handled once, in order
                assert set(await insp.inbox_statuses()) == {"done"}, insp.user
                said = "\n".join(fake.texts_to(insp.user))
                for req, (verdict, _) in meant.items():
                    if verdict != "fail":
                        label = {v: k for k, v in VERDICTS.items()}[verdict]
                        assert said.count(f"{req}：{label} ✓") == 1, (insp.user, req)
                    else:
                        assert said.count(f"{req} 问题已记录") == 1, (insp.user, req)
                assert "比后发的消息晚到" not in said
    finally:
        servers.stop()
        await engine.dispose()
