"""The typical enforcement case (附件2) through the chat: started from an inspection and pre-filled,
every check refusing bad input with a specific reply while keeping what was entered, navigation,
and the exported .docx checked against the record."""

from __future__ import annotations

import hashlib

from PIL import Image as PILImage

from bot.documents import case_pages

from storage.models import CaseFile, Evidence, TypicalCase
from tests.documents.drive import ENTERPRISE, complete_inspection, documents_sent, docx_image_hashes, docx_text, rows

TITLE = f"泽州县应急管理局对{ENTERPRISE}行政处罚案"


async def the_case(bot) -> TypicalCase:
    [case] = await rows(bot, TypicalCase)
    return case


async def test_case_from_an_inspection_checks_every_field_and_exports(bot, images, tmp_path):
    await bot.register()
    await complete_inspection(bot, images)
    reply = await bot.say("典型案例")
    assert ENTERPRISE in reply and "空白开始" in reply
    reply = await bot.say("1")
    assert "已按检查" in reply and "【标题】" in reply and f"当前：{TITLE}" in reply  # pre-filled

    # 标题: without 案, without a bureau, without an enterprise: each refused and the draft kept
    reply = await bot.say(f"泽州县应急管理局对{ENTERPRISE}行政处罚")
    assert "需以“案”字结尾" in reply and "【标题】" in reply
    assert (await the_case(bot)).title == TITLE
    assert "需写明执法主体" in await bot.say(f"对{ENTERPRISE}行政处罚案")
    assert "需写明违法主体" in await bot.say("泽州县应急管理局行政处罚案")
    assert "标题已保存" in (reply := await bot.say("沿用"))
    assert "【关键词】" in reply

    # 关键词: two are too few, kept, and completed by the next message
    reply = await bot.say("安全培训、特种作业")
    assert "关键词需 3 到 5 个，现在只有 2 个" in reply and "已记下关键词：安全培训、特种作业" in reply
    assert (await the_case(bot)).keywords == ["安全培训", "特种作业"]
    assert "最多 5 个" in await bot.say("持证上岗、证书过期、培训档案、一人一档")
    assert (await the_case(bot)).keywords == ["安全培训", "特种作业"]
    assert "关键词已保存" in (reply := await bot.say("持证上岗"))
    assert (await the_case(bot)).keywords == ["安全培训", "特种作业", "持证上岗"]

    # 要旨 must name one of the template's key items; the pre-filled one does (特种作业人员)
    assert "【要旨】" in reply and "特种作业人员" in reply
    reply = await bot.say("本案是一起培训档案不规范的案件，具有典型意义。")
    assert "需至少包含一项执法检查重点事项" in reply
    assert "特种作业人员" in (await the_case(bot)).gist
    assert "要旨已保存" in await bot.say("沿用")
    assert "基本案情已保存" in (reply := await bot.say("沿用"))  # pre-filled from the findings
    assert "查处理由及结果已保存" in (reply := await bot.say("沿用"))  # and from their legal basis
    assert "太短" in await bot.say("好")
    reply = await bot.say("本案提示执法人员检查持证情况时应逐人核对证件有效期，并在平台查询。")
    assert "案例评析已保存" in reply and "【执法文书】" in reply
    assert (await the_case(bot)).commentary == "本案提示执法人员检查持证情况时应逐人核对证件有效期，并在平台查询。"

    # 执法文书: a photo and a PDF kept; a text file refused; at least one needed
    notes = tmp_path / "notes.txt"
    notes.write_text("not a document")
    assert "只接收照片、PDF 或 Word 文件" in await bot.say(f"/file {notes}")
    reply = await bot.say(f"/photo {images['plan']}")
    assert "共 1 份" in reply and "名称" in reply  # no caption with it: the next message may name it
    assert "文书1的名称：责令限期整改指令书" in await bot.say("责令限期整改指令书")
    pdf = tmp_path / "decision.pdf"
    with PILImage.open(images["form"]) as page:  # a real one-page PDF
        page.convert("RGB").save(pdf, "PDF")
    assert "共 2 份" in await bot.say(f"/file {pdf} 行政处罚决定书")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(images["fake"].read_bytes())  # begins with %PDF-, but is none
    assert "共 3 份" in await bot.say(f"/file {broken}")
    reply = await bot.say("完成")
    assert "【执法人员】" in reply

    # 执法人员: a missing 执法证号, then one officer only: refused, and the one given is kept
    reply = await bot.say("李明 13800000000")
    assert "缺少执法证号" in reply and (await the_case(bot)).officers == []
    assert "缺少联系电话" in await bot.say("李明 14050220230017")
    reply = await bot.say("李明 14050220230017 13800000000")
    assert "需填两名执法人员" in reply and "只有 1 名" in reply and "李明" in reply
    assert [o["name"] for o in (await the_case(bot)).officers] == ["李明"]
    assert "需填两名执法人员" in await bot.say("完成")
    assert "已填过" in await bot.say("李明 14050220230017 13800000000")
    reply = await bot.say("王芳 14050220230018 13900000000")
    assert "已记录执法人员：李明、王芳" in reply and "汇总" in reply

    # edit from the summary, then finish
    reply = await bot.say("修改 标题")
    assert "【标题】" in reply
    new_title = f"泽州县应急管理局对{ENTERPRISE}特种作业人员无证上岗行政处罚案"
    assert "汇总" in (reply := await bot.say(new_title)) and new_title in reply
    reply = await bot.say("完成并导出")
    assert "已完成" in reply and "本局已完成典型案例 1 个（任务 1 个）" in reply

    case = await the_case(bot)
    assert case.status == "finished" and case.finished_at is not None and case.title == new_title
    files = await rows(bot, CaseFile)
    assert [f.media_type for f in files] == ["image/jpeg", "application/pdf", "application/pdf"]
    # one Word file holds the 执法文书; only what it cannot show (the broken PDF; any PDF without
    # poppler) is sent with it
    shown = case_pages.can_show("application/pdf")
    sent = documents_sent(bot)
    docx, attached = (sent[-2], sent[-1:]) if shown else (sent[-3], sent[-2:])
    assert docx.filename.endswith(".docx")
    assert [a.filename for a in attached] == (["broken.pdf"] if shown else ["decision.pdf", "broken.pdf"])
    assert hashlib.sha256(open(attached[-1].path, "rb").read()).hexdigest() == files[2].sha256

    text = docx_text(docx.path)
    assert text.startswith("附件2\n")
    assert "文书1：责令限期整改指令书" in text and "文书2：行政处罚决定书" in text and "文书3：执法文书3" in text
    assert "decision" not in text and "broken" not in text  # captions, never file names
    headings = ["【标题】", "【关键词】", "【要旨】", "【基本案情】", "【查处理由及结果】", "【案例评析】", "【执法文书】",
                "【执法人员】"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    # the title on balanced lines, broken between its parts (never "案" alone)
    assert "泽州县应急管理局\n对泽州县巴公煤业有限公司特种作业人员无证上岗行政处罚案" in text
    assert "安全培训；特种作业；持证上岗" in text
    for field in (case.gist, case.commentary):
        assert field in text
    # the facts are the confirmed findings, each once (2.3's note explains the register's finding)
    fact = "李四的特种作业操作证已于 2023-01-31 过期"
    assert case.facts.count(fact) == 1 and fact in text and "李四特种作业操作证过期仍上岗" not in case.facts
    assert "第九十七条第（七）项" in case.reasoning and "第九十七条第（七）项" in text
    assert "姓名：李明　执法证号：14050220230017　联系方式：13800000000" in text
    assert "姓名：王芳　执法证号：14050220230018　联系方式：13900000000" in text
    # 查处理由 gives the reasons the template names
    assert all(word in case.reasoning for word in ("证据采信", "依据选择", "决定裁量"))
    images_in = docx_image_hashes(docx.path)
    assert images_in[0] == files[0].sha256 and len(images_in) == (2 if shown else 1)  # the PDF's page
    # the evidence of the inspection is untouched by the case
    assert len(await rows(bot, Evidence)) == 4


async def test_blank_case_navigation_cancel_and_resume(bot, images):
    await bot.register()
    reply = await bot.say("/case")
    assert "已建立典型案例草稿" in reply and "【标题】" in reply  # nothing to start from: blank
    assert "已经是第一步了" in await bot.say("上一步")
    assert "编写典型案例时可用" in (reply := await bot.say("帮助")) and "【标题】" in reply
    assert "关键词" in await bot.say("阳城县应急管理局对某某化工有限公司未如实记录培训情况行政处罚案")
    reply = await bot.say("上一步")
    assert "【标题】" in reply and "当前：阳城县应急管理局对某某化工有限公司" in reply
    await bot.say("沿用")
    assert "正在编写典型案例" in await bot.say("开始检查")
    reply = await bot.say("取消")
    assert "草稿" in reply and "已保存" in reply
    assert "没听懂" in await bot.say("安全培训、档案、回头看")  # out of the conversation: nothing stored
    case = await the_case(bot)
    assert case.status == "draft" and case.keywords == [] and case.title.startswith("阳城县应急管理局")

    reply = await bot.say("典型案例")
    assert "继续编写典型案例" in reply and "【关键词】" in reply  # at the first field still open
    assert "关键词已保存" in await bot.say("安全培训、培训档案、危险化学品")
    reply = await bot.say("本案涉及安全生产管理人员未经考核合格的问题。")
    assert "要旨已保存" in reply
    reply = await bot.say("完成")  # not a fact: too short, refused
    assert "基本案情太短" in reply
    case = await the_case(bot)
    assert case.keywords == ["安全培训", "培训档案", "危险化学品"] and "安全生产管理人员" in case.gist


async def test_reports_are_for_supervisors(bot):
    await bot.register()
    assert "由督查负责人导出" in await bot.say("/report")
    assert documents_sent(bot) == []
