"""`inspector-bot digest [--date] [--dry-run]`, run as the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from tests.harness import Harness
from tests.progress import dataset
from tests.progress.test_digest import ZZ_DIGEST_0510
from tests.progress.test_queries import bind

EXE = Path(sys.executable).parent / "inspector-bot"


def run(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    env.update(INSPECTOR_BOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/inspector.db",
               INSPECTOR_BOT_MEDIA_DIR=str(tmp / "media"))
    return subprocess.run([str(EXE), "digest", *args], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=120)


async def test_digest_command_dry_run_then_post_once(tmp_path):
    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore(), tmp_path,
                              DEFAULT_NOW)
    try:
        await dataset.build(bot)
        await bind(bot, "grp-zz", "泽州县")
    finally:
        await bot.close()

    out = tmp_path / "charts"
    done = run(tmp_path, "--date", "2023-05-10", "--dry-run", "--out", str(out))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().split("\n")
    assert lines[0] == "== console:泽州县"
    assert lines[1:-1] == ZZ_DIGEST_0510
    chart = Path(lines[-1].removeprefix("chart: "))
    assert chart.parent == out.resolve() and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    first = run(tmp_path, "--date", "2023-05-10")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "digest 2023-05-10: posted to 1 group(s), 0 already had it"
    again = run(tmp_path, "--date", "2023-05-10")
    assert again.stdout.strip() == "digest 2023-05-10: posted to 0 group(s), 1 already had it"


def test_digest_command_rejects_a_bad_date(tmp_path):
    done = run(tmp_path, "--date", "2023-02-30", "--dry-run")
    assert done.returncode == 2
    assert "--date: '2023-02-30' is not a date (YYYY-MM-DD)" in done.stderr


def test_dry_run_without_bound_groups_prints_the_city_digest(tmp_path):
    done = run(tmp_path, "--date", "2023-05-03", "--dry-run", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().split("\n")
    assert lines[:3] == ["== (no group bound: the city digest)", "📊 全市“回头看”日报 2023-05-03",
                         "市局 0/6家 案例0/1 问题0 草稿0"]
    assert "活动未开始（2023-05-04 开始，共 32 天）" in lines
