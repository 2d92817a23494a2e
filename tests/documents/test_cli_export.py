"""`inspector-bot export ...` as an operator runs it, against the database the chat filled:
the files it writes are opened and checked against the records; bad arguments exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from docx import Document as open_docx
from openpyxl import load_workbook

from storage.models import Answer, Evidence, Inspection, IntegrityFlag, TypicalCase
from tests.documents.drive import (
    ENTERPRISE, complete_inspection, docx_image_hashes, docx_text, finish_case_from_first_inspection, rows,
    stamp_records,
)

CLI = str(Path(sys.executable).parent / "inspector-bot")


def run(bot, *args: str, cwd: Path, path: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    env.update(INSPECTOR_BOT_DATABASE_URL=bot.app.settings.database_url,
               INSPECTOR_BOT_MEDIA_DIR=str(bot.app.settings.media_dir))
    if path is not None:
        env["PATH"] = path
    return subprocess.run([CLI, "export", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


async def test_export_commands_write_documents_that_match_the_records(bot, images, tmp_path):
    await bot.register()
    await complete_inspection(bot, images)
    await finish_case_from_first_inspection(bot, images)
    [insp] = await rows(bot, Inspection)
    [case] = await rows(bot, TypicalCase)
    out = tmp_path / "out"
    out.mkdir()

    proc = run(bot, "checklist", "--inspection", str(insp.id), "--out", str(out / "checklist.docx"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out / "checklist.docx")
    table = open_docx(str(out / "checklist.docx")).tables[0]
    verdict_cells = [r.cells[5].text.split("\n")[0] for r in table.rows[1:]]
    answers = {a.requirement_id: a.verdict for a in await rows(bot, Answer)}
    labels = {"pass": "符合", "fail": "不符合", "na": "不适用"}
    assert verdict_cells == [labels[answers[r.id]] for r in bot.app.campaign.requirements]
    assert docx_image_hashes(out / "checklist.docx") == [e.sha256 for e in await rows(bot, Evidence)]

    proc = run(bot, "case", "--case", str(case.id), cwd=out)  # default: the current directory
    assert proc.returncode == 0, proc.stderr
    written = Path(proc.stdout.strip())
    assert written.parent == out and written.suffix == ".docx"
    text = docx_text(written)
    assert case.title in text and "【执法人员】" in text and "14050220230018" in text

    await stamp_records(bot)  # recorded on 2023-05-10 (the harness clock): before the report's day
    proc = run(bot, "report", "--bureau", "泽州县", "--date", "2023-06-09", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = docx_text(proc.stdout.strip())
    assert "泽州县应急管理局关于" in text and ENTERPRISE in text and "2023年6月9日" in text
    flags = await rows(bot, IntegrityFlag)
    assert flags and not any(f.reason in text for f in flags) and "需关注" not in text  # internal: not sent
    assert "三、执法处理情况\n本次督查检查未发现需责令改正的问题，未实施行政处罚。" in text
    proc = run(bot, "report", "--bureau", "泽州县", "--date", "2023-06-09", "--internal", "--out", str(out),
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    internal = docx_text(proc.stdout.strip())
    assert "不随书面情况报送" in internal and all(f.reason in internal for f in flags)
    proc = run(bot, "report", "--bureau", "泽州县", "--final", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 2 and "发文字号" in proc.stderr  # still to fill in
    # as of the day before the visit: nothing yet
    proc = run(bot, "report", "--bureau", "泽州县", "--date", "2023-05-09", "--out", str(out / "early.docx"),
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert ENTERPRISE not in docx_text(out / "early.docx")

    proc = run(bot, "xlsx", "--out", str(out / "all.xlsx"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(out / "all.xlsx")
    assert [r[6] for r in wb["需关注"].iter_rows(min_row=2, values_only=True)] == [f.reason for f in flags]
    assert len(list(wb["检查情况"].iter_rows(min_row=2))) == len(bot.app.campaign.requirements)
    proc = run(bot, "xlsx", "--bureau", "阳城县", "--out", str(out / "yc.xlsx"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert list(load_workbook(out / "yc.xlsx")["检查"].iter_rows(min_row=2)) == []


async def test_export_bad_arguments_exit_2(embedded_bot, tmp_path):
    bot = embedded_bot
    await bot.register()
    for args, message in ((["checklist", "--inspection", "999"], "no inspection 999"),
                          (["case", "--case", "5"], "no typical case 5"),
                          (["report", "--bureau", "火星县"], "unknown bureau"),
                          (["xlsx", "--bureau", "火星县"], "unknown bureau"),
                          (["checklist"], "Missing option '--inspection'")):
        proc = run(bot, *args, cwd=tmp_path)
        assert proc.returncode == 2 and message in proc.stderr, (args, proc.stderr)
    # --pdf where LibreOffice cannot be found: refused before anything is written
    proc = run(bot, "report", "--bureau", "泽州县", "--pdf", cwd=tmp_path, path=str(tmp_path))
    assert proc.returncode == 2 and "LibreOffice" in proc.stderr
    assert list(tmp_path.glob("*.docx")) == []
