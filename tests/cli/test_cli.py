"""The `inspector-bot` command as an operator runs it: a fresh directory, no settings."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    clean.update(env)
    return subprocess.run(CLI + args, cwd=cwd, input=stdin, capture_output=True, text=True, env=clean,
                          timeout=120)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_console_chat_runs_with_no_settings_and_reads_piped_stdin(tmp_path, images):
    script = "\n".join([
        "帮助",
        "开始检查",
        "晋城市凤凰山矿业有限公司",
        "1",          # 新建: nothing matched, so the only option
        "非煤矿山",
        "无",
        "今天",
        "跳过",
        f"/photo {images['plan']} 年度培训计划",
        "符合",
        "暂停",
    ]) + "\n"
    proc = run(["chat", "--user", "liu", "--bureau", "阳城县", "--name", "刘检查"], tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "刘检查" in out and "阳城县" in out  # registered on first use
    assert "被检查单位名称" in out and "不在本次行动期间" in out and "1.1" in out and "照片已保存到 1.1" in out and "已暂停" in out
    db = tmp_path / "data" / "inspector.db"
    assert db.exists() and any((tmp_path / "data" / "media").rglob("*.jpg"))
    assert rows(db, "select requirement_id, verdict from answers") == [("1.1", "pass")]
    assert rows(db, "select name, industry from enterprises") == [("晋城市凤凰山矿业有限公司", "非煤矿山")]

    # Another run of the same user: already registered, the draft resumes from the database.
    proc = run(["chat", "--user", "liu"], tmp_path, "继续\n")
    assert proc.returncode == 0, proc.stderr
    assert "凤凰山" in proc.stdout and "1.2" in proc.stdout


def test_chat_with_an_unknown_bureau_exits_2(tmp_path):
    proc = run(["chat", "--user", "x", "--bureau", "火星县"], tmp_path, "")
    assert proc.returncode == 2
    assert "火星县" in proc.stderr and "泽州县" in proc.stderr


ORG = """
members:
  - {name: 李明, bureau: 泽州县, role: inspector, phone: "13800000000", wecom: liming, telegram: 123456789}
  - {name: 王芳, bureau: 晋城市, role: supervisor, wecom: wangfang}
  - {name: 赵管理, bureau: 晋城市应急管理局, role: admin, console: zhao}
groups:
  - {bureau: 泽州县, wecom_chat: wrOgAAAA, title: 泽州县回头看工作群}
  - {bureau: 晋城市, telegram: -1001234567890, wecom_robot: robotkey1}
"""


def test_org_import_is_idempotent_and_the_imported_member_can_chat(tmp_path):
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    for _ in range(2):
        proc = run(["org", "import", str(org)], tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "3" in proc.stdout
    db = tmp_path / "data" / "inspector.db"
    members = rows(db, "select m.name, m.role, b.short_name from members m join bureaus b on b.id = m.bureau_id"
                       " order by m.id")
    assert members == [("李明", "inspector", "泽州县"), ("王芳", "supervisor", "市局"), ("赵管理", "admin", "市局")]
    assert sorted(rows(db, "select channel, external_id from identities")) == [
        ("console", "zhao"), ("telegram", "123456789"), ("wecom", "liming"), ("wecom", "wangfang")]
    assert sorted(rows(db, "select channel, chat_id from group_bindings")) == [
        ("telegram", "-1001234567890"), ("wecom", "wrOgAAAA"), ("wecom_robot", "robotkey1")]
    # The imported console identity is used as is: no second registration.
    proc = run(["chat", "--user", "zhao"], tmp_path, "帮助\n")
    assert proc.returncode == 0 and "已登记" not in proc.stdout
    assert rows(db, "select count(*) from members") == [(3,)]


@pytest.mark.parametrize("body, field", [
    ("members:\n  - {name: 李明, bureau: 泽州县}\n  - {name: 王芳, bureau: 火星县}\n", "members.1.bureau"),
    ("members:\n  - {name: 李明, bureau: 泽州县, role: boss}\n", "members.0.role"),
    ("members:\n  - {name: 李明, bureau: 泽州县, shoe: 42}\n", "members.0.shoe"),
    ("groups:\n  - {bureau: 泽州县, title: 没有群}\n", "groups.0"),
    ("members: [unclosed\n", "not valid YAML"),
])
def test_bad_org_file_exits_2_names_file_and_field_and_writes_nothing(tmp_path, body, field):
    org = tmp_path / "bad-org.yaml"
    org.write_text(body, encoding="utf-8")
    proc = run(["org", "import", str(org)], tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "bad-org.yaml" in proc.stderr and field in proc.stderr
    db = tmp_path / "data" / "inspector.db"
    if db.exists():  # the schema may exist; no member, identity or binding was written
        assert rows(db, "select count(*) from members") == [(0,)]
        assert rows(db, "select count(*) from group_bindings") == [(0,)]


def test_missing_org_file_exits_2(tmp_path):
    proc = run(["org", "import", "nope.yaml"], tmp_path)
    assert proc.returncode == 2 and "nope.yaml" in proc.stderr


def test_bad_setting_exits_2_naming_it(tmp_path):
    proc = run(["db", "upgrade"], tmp_path, INSPECTOR_BOT_TIMEZONE="Mars/Olympus")
    assert proc.returncode == 2 and "timezone" in proc.stderr


def test_console_messages_for_another_user_wait_for_their_session(tmp_path, images):
    """The supervisor is told in their own terminal, not in the inspector's."""
    org = tmp_path / "org.yaml"
    org.write_text("members:\n  - {name: 王监督, bureau: 泽州县, role: supervisor, console: wang}\n"
                   "  - {name: 李检查, bureau: 泽州县, role: inspector, console: li}\n", encoding="utf-8")
    assert run(["org", "import", str(org)], tmp_path).returncode == 0
    steps = ["开始检查", "泽州县某煤矿", "1", "煤矿", "无", "2023-05-10", "跳过", "符合", "符合", "符合",
             "符合", "登记完成", "符合", "符合", "符合", "符合", "符合", "提交", "赵总", "完成", f"/photo {images['form']}", "完成", "确认提交"]
    li = run(["chat", "--user", "li"], tmp_path, "\n".join(steps) + "\n")
    assert "请先拍一张签字的纸质检查表" in li.stdout and "已提交" in li.stdout, li.stdout[-500:]
    wang = run(["chat", "--user", "wang"], tmp_path, "待审核\n审核 1\n退回\n签字页照片缺失，请补拍\n")
    assert "待审核检查（1 份）" in wang.stdout and "已退回" in wang.stdout
    assert "被 王监督 退回" not in wang.stdout  # not the supervisor's message
    li = run(["chat", "--user", "li"], tmp_path, "")
    assert "被 王监督 退回" in li.stdout  # waiting for the inspector's next session
