"""The filled checklist (附件1): sent at submit and on request, every requirement's verdict in its row,
every photo in the appendix, the register and the signatures; and who may have it."""

from __future__ import annotations

from docx import Document as open_docx
from docx.oxml.ns import qn

from bot import texts
from bot.documents.official import citation
from storage.models import Answer, Certificate, Evidence, Finding, Inspection
from tests.documents.drive import (
    ENTERPRISE, complete_inspection, documents_sent, docx_image_hashes, docx_text, rows,
)

VERDICT = {"pass": "符合", "fail": "不符合", "na": "不适用"}


def requirement_rows(path) -> dict[str, tuple[str, str, str]]:
    """requirement number as printed ("1.", "2." ...) within its item -> (seq, requirement cell, verdict cell)."""
    table = open_docx(str(path)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["序号", "项目", "检查内容", "具体要求", "检查方式", "检查情况"]
    return {f"{r.cells[0].text}:{r.cells[3].text.split('.', 1)[0]}": (r.cells[0].text, r.cells[3].text, r.cells[5].text)
            for r in table.rows[1:]}


async def test_checklist_sent_at_submit_matches_the_records(bot, images):
    await bot.register()
    reply = await complete_inspection(bot, images)
    assert "已提交" in reply and "检查表" in reply
    signable, doc = documents_sent(bot)  # the form to sign, handed over at 提交; the filled one at submit
    assert "签字版" in signable.filename and "签字版" not in doc.filename
    assert doc.filename.endswith(".docx") and ENTERPRISE in doc.filename

    [insp] = await rows(bot, Inspection)
    answers = {a.requirement_id: a for a in await rows(bot, Answer)}
    findings = [f for f in await rows(bot, Finding) if f.confirmed]
    evidence = await rows(bot, Evidence)
    [cert] = await rows(bot, Certificate)
    campaign = bot.app.campaign

    text = docx_text(doc.path)
    assert "附件1" in text and campaign.checklist.title in text
    assert f"被检查单位名称：{ENTERPRISE}" in text and "检查日期：2023 年 5 月 10 日" in text
    table_rows = requirement_rows(doc.path)
    assert len(table_rows) == len(campaign.requirements)
    for item in campaign.checklist.items:
        for req in item.requirements:
            seq, requirement, verdict = table_rows[f"{item.seq}:{req.id.split('.')[1]}"]
            assert requirement == f"{req.id.split('.')[1]}.{req.text}"
            answer = answers[req.id]
            assert verdict.split("\n")[0] == VERDICT[answer.verdict], req.id
            if answer.note and answer.note != texts.NOTE_SEE_REGISTER:
                assert verdict.count(answer.note) == 1, req.id
            for f in findings:
                if f.requirement_id == req.id:
                    assert verdict.count(f.description) == 1, req.id  # one fact, once
                    assert citation(campaign.legal_basis[f.legal_basis]) in verdict
                    assert "《中华人民共和国安全生产法》第九十七条" in verdict and "修正）》" not in verdict
            photos = [e for e in evidence if e.requirement_id == req.id]
            assert (f"照片 {len(photos)} 张" in verdict) == bool(photos), req.id
    # the register, the signatures, and every photo in the appendix in upload order
    register = open_docx(doc.path).tables[1]
    assert [c.text for c in register.rows[1].cells][1:7] == [
        cert.person_name, cert.position, cert.cert_type, cert.cert_number, "2023-01-31", "已查到"]
    assert "已于 2023-01-31 过期" in register.rows[1].cells[7].text
    assert "检查人员签字：张检查、王五" in text and "被检查单位负责人签字：赵总" in text
    assert "日期：2023年5月10日" in text
    # nothing internal on the form the enterprise signs: no integrity flags, no internal numbers
    assert "需关注" not in text and "证据核查" not in text and f"#{insp.id}" not in text
    assert_fits_and_rows_do_not_split(doc.path)
    assert docx_image_hashes(doc.path) == [e.sha256 for e in evidence]
    assert len(evidence) == 4 and "图1　1.1 查培训计划 — 2023年度培训计划" in text and "签字页" in text


async def test_export_on_request_and_who_may_have_it(bot, images):
    await bot.register()
    await complete_inspection(bot, images)
    [insp] = await rows(bot, Inspection)
    first = documents_sent(bot)

    reply = await bot.say(f"导出 {insp.id}")
    assert "检查表" in reply
    again = documents_sent(bot)[len(first):]
    assert len(again) == 1 and docx_image_hashes(again[0].path) == docx_image_hashes(first[-1].path)
    assert "导出 检查编号" in await bot.say("/export") and f"#{insp.id}" in await bot.say("导出")
    assert "没有编号为 999" in await bot.say("/export 999")

    # another inspector of the same bureau: refused; its supervisor and the city's: given
    await bot.register("other", name="孙其他", bureau="泽州县")
    assert "不是您参与的检查" in await bot.say(f"/export {insp.id}")
    await bot.register("county_boss", name="周局", bureau="泽州县", role="supervisor")
    await bot.say(f"导出 {insp.id}")
    assert len(documents_sent(bot)) == 1
    await bot.register("other_county", name="吴局", bureau="阳城县", role="supervisor")
    assert "不是您参与的检查" in await bot.say(f"导出 {insp.id}")
    assert documents_sent(bot) == []
    await bot.register("city_boss", name="郑市", bureau="市局", role="supervisor")
    await bot.say(f"导出 #{insp.id}")
    assert len(documents_sent(bot)) == 1


def assert_fits_and_rows_do_not_split(path) -> None:
    """Every table is as wide as the text at most (A4, 1.8 cm margins: 17.4 cm), and no row breaks
    across pages."""
    doc = open_docx(str(path))
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert sum(int(c.get(qn("w:w"))) for c in grid) * 635 <= width  # twips -> EMU
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


async def test_a_signable_form_before_submit(bot, images):
    """签字版 12: the draft's checklist to print and sign on site: no draft mark, no photos, blank
    signatures and date, one fact once."""
    from tests.conversations.test_inspection import begin

    await bot.register()
    await begin(bot, ENTERPRISE, "煤矿")
    await bot.say("不符合")  # 1.1
    await bot.say("未制定年度培训计划")
    [insp] = await rows(bot, Inspection)
    assert insp.status == "draft"
    await bot.say("暂停")
    reply = await bot.say(f"签字版 {insp.id}")
    assert "签字版" in reply
    [doc] = documents_sent(bot)
    text = docx_text(doc.path)
    assert "草稿" not in text and docx_image_hashes(doc.path) == []
    assert "检查人员签字：" + texts.DOC_SIGN_BLANK in text and "日期：" + texts.DOC_SIGN_DATE_BLANK in text
    assert text.count("未制定年度培训计划") == 2  # its row, and 发现问题及处理依据
    assert_fits_and_rows_do_not_split(doc.path)
    await bot.say(f"导出 {insp.id} 签字")
    assert len(documents_sent(bot)) == 2
