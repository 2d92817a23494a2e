"""Exports safe by construction: what people typed is text in every spreadsheet cell (never a formula,
even when it looks like one) and control characters never break a spreadsheet or a Word file, in
chat (导出 表格, the checklist at submit) and with `inspector-bot export`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from bot import texts
from bot.messages import Document
from storage.models import Answer, Certificate, Finding, InboxMessage, Inspection
from tests.documents.drive import complete_inspection, docx_text, documents_sent, rows
from tests.documents.test_cli_export import run

NAME = '=HYPERLINK("http://evil.example/x","点我")'
SIGNER = "=cmd|' /C calc'!A0"
NOTE = "+1 考勤表\x1b[31m有代签\x07"  # as stored before input was cleaned (ESC, BEL)
FINDING = "-1 李四\x1b证书过期\x07"
PERSON = "@x李四"


def no_formulas(path: Path) -> list[tuple[str, str, str]]:
    """Every text cell (sheet, cell, value); fails on any formula, in the file or as openpyxl reads it."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    cells = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    cells.append((ws.title, cell.coordinate, cell.value))
    return cells


async def test_formula_like_and_control_character_input_exports_as_text(bot, images, tmp_path):
    await bot.register()
    await complete_inspection(bot, images, name=NAME)
    [insp] = await rows(bot, Inspection)
    assert insp.enterprise.name == NAME

    async def poison(repos):  # what other questions accept, and records stored before input was cleaned
        await repos.session.execute(update(Inspection).values(responsible_person=SIGNER))
        await repos.session.execute(update(Answer).where(Answer.requirement_id == "1.2").values(note=NOTE))
        await repos.session.execute(update(Finding).where(Finding.requirement_id == "2.3").values(description=FINDING))
        await repos.session.execute(update(Certificate).values(person_name=PERSON))
        await repos.commit()
    await bot.query(poison)

    out = tmp_path / "out"
    out.mkdir()
    for args in (["xlsx", "--out", str(out / "city.xlsx")], ["xlsx", "--bureau", "泽州县", "--out", str(out / "zz.xlsx")],
                 ["checklist", "--inspection", str(insp.id), "--out", str(out / "checklist.docx")]):
        proc = run(bot, *args, cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)

    for sheet in ("city.xlsx", "zz.xlsx"):
        cells = no_formulas(out / sheet)
        values = {v for _, _, v in cells}
        assert {NAME, SIGNER, PERSON, "+1 考勤表[31m有代签", "-1 李四证书过期"} <= values, sheet
        wb = load_workbook(out / sheet)
        for title, coordinate, value in cells:
            if value.startswith(("=", "+", "-", "@")):
                assert wb[title][coordinate].quotePrefix, (title, coordinate, value)
    text = docx_text(out / "checklist.docx")
    assert NAME in text and SIGNER in text and "+1 考勤表[31m有代签" in text and "-1 李四证书过期" in text

    # In chat: the spreadsheet for a supervisor and the checklist on request
    await bot.register("boss", name="王督查", role="supervisor")
    reply = await bot.say("导出 表格", user="boss")
    assert texts.NOT_PROCESSED not in reply
    [sheet] = [d for d in documents_sent(bot, "boss") if d.filename.endswith(".xlsx")]
    assert NAME in {v for _, _, v in no_formulas(Path(sheet.path))}
    reply = await bot.say(f"导出 {insp.id}", user="insp1")
    assert texts.NOT_PROCESSED not in reply
    latest = documents_sent(bot, "insp1")[-1]
    assert isinstance(latest, Document) and "-1 李四证书过期" in docx_text(latest.path)


async def test_control_characters_typed_in_chat_are_cleaned_before_they_are_stored(bot):
    await bot.register()
    await bot.say("开始检查")
    reply = await bot.say("巴公\x00\x1b煤业\x07")  # a NUL would fail the whole message on PostgreSQL
    assert texts.NOT_PROCESSED not in reply
    stored = await rows(bot, InboxMessage)
    assert [(m.payload["text"], m.status, m.error) for m in stored] == [("开始检查", "done", ""), ("巴公煤业", "done", "")]
