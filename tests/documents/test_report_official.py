"""The written report as an official document (GB/T 9704) and its editing in the chat: the file is
opened and its page, margins, fonts and their fallbacks, page numbers, 版头, title, 主送, sections,
落款 and 附注 are checked; the clerk fills in what the records cannot know, by message and by file,
and the final export waits until nothing is left 【待填写】."""

from __future__ import annotations

import zipfile
from datetime import datetime

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot import texts
from storage.models import AuditLog
from storage.models_documents import ReportText
from tests.conftest import TZ
from tests.documents.drive import documents_sent, docx_text, rows
from tests.progress import dataset

SECTIONS = ["一、组织领导情况", "二、督查检查情况", "（一）检查企业情况", "（二）发现问题情况", "三、执法处理情况",
            "四、典型案例和曝光情况", "五、长效机制建设情况", "六、存在问题", "七、下步措施"]


def fonts_of(path) -> set[str]:
    doc = open_docx(str(path))
    found = set()
    for p in doc.paragraphs:
        for run in p.runs:
            fonts = run._element.rPr.find(qn("w:rFonts")) if run._element.rPr is not None else None
            if fonts is not None and fonts.get(qn("w:eastAsia")):
                found.add(fonts.get(qn("w:eastAsia")))
    return found


def check_official_form(path) -> str:
    doc = open_docx(str(path))
    s = doc.sections[0]
    def mm(*lengths):  # stored in twips: to the tenth of a millimetre
        return tuple(round(x / Mm(1), 1) for x in lengths)

    assert mm(s.page_width, s.page_height) == (210.0, 297.0)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (37.0, 35.0, 28.0, 26.0)
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)  # 3号
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} <= fonts_of(path)
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode()
        footer = z.read("word/footer1.xml").decode() + z.read("word/footer2.xml").decode()
    for name, fallback in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "华文中宋"), ("楷体_GB2312", "楷体")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{fallback}"/>' in table
    assert footer.count("PAGE") == 2 and footer.count("— ") == 2  # odd and even pages
    assert doc.settings.odd_and_even_pages_header_footer
    text = docx_text(path)
    positions = [text.index(h) for h in SECTIONS]
    assert positions == sorted(positions)
    assert "晋市应急教发〔2023〕90号" in text and "[2023]" not in text
    assert "2023-0" not in text  # Chinese dates everywhere: 2023年5月4日
    return text


async def test_report_is_an_official_document_edited_then_final(embedded_bot, tmp_path):
    bot = embedded_bot
    await dataset.build(bot)
    bot._clock[0] = datetime(2023, 6, 9, 10, 0, tzinfo=TZ)

    # the draft: the form with what the records give, 【待填写】 where they cannot
    reply = await bot.say("报告", user="zzsup")
    assert "报告 定稿" in reply and "（有待填写）" in reply
    [draft] = documents_sent(bot, "zzsup")
    text = check_official_form(draft.path)
    assert "泽州县应急管理局关于安全生产培训\n“走过场”专项整治工作\n“回头看”督查检查情况的报告" in text
    assert "市局教育训练科：" in text and texts.RPT_DRAFT_MARK in text
    assert "【待填写：发文字号】" in text and "签发人：【待填写：签发人】" in text
    assert "共检查生产经营单位4家、5次" in text and "高危行业企业3家（任务10家），差7家未完成" in text
    assert "【待填写：未完成任务的原因】" in text and "【待填写：分管领导姓名、职务】" in text
    assert "泽州县应急管理局\n2023年6月9日\n（【待填写：联系人及电话】）" in text
    assert "需关注" not in text and "期外" not in text
    reply = await bot.say("报告 定稿", user="zzsup")
    assert "还不能定稿" in reply and "发文字号" in reply and "组织领导情况（分管领导姓名、职务）" in reply
    assert len(documents_sent(bot, "zzsup")) == 1  # the draft only

    # the fields and the pieces, by message
    assert "应写明年份" in await bot.say("报告 文号 泽应急36号", user="zzsup")
    assert "发文字号已设为：泽应急〔2023〕36号" in await bot.say("报告 文号 泽应急[2023]36号", user="zzsup")
    await bot.say("报告 签发人 王建国", user="zzsup")
    await bot.say("报告 联系人 王督查 0356-3021234", user="zzsup")
    await bot.say("报告 修改 分管领导 副局长李建军", user="zzsup")
    await bot.say("报告 修改 原因 辖区内高危行业企业停产整顿5家，已对复产企业补充检查", user="zzsup")
    await bot.say("报告 修改 曝光情况 6月2日在局门户网站通报巴公煤业一案", user="zzsup")
    # a whole section by file: the next message is a Word file
    reply = await bot.say("报告 修改 长效机制", user="zzsup")
    assert "请发送“长效机制建设情况”的新内容" in reply
    word = tmp_path / "机制.docx"
    new = open_docx()
    new.add_paragraph("将“回头看”发现的问题纳入年度执法计划。")
    new.add_paragraph("三项岗位人员持证情况每季度抽查。")
    new.save(str(word))
    assert "“长效机制建设情况”已更新" in await bot.say(f"/file {word}", user="zzsup")
    # a section by message, then back to the prefilled text
    assert "“存在问题”已更新" in await bot.say("报告 修改 存在问题 一是培训计划落实不到位。", user="zzsup")
    assert "已恢复" in await bot.say("报告 恢复 存在问题", user="zzsup")
    assert "没有修改过" in await bot.say("报告 恢复 存在问题", user="zzsup")
    assert "没有“天气”这一部分" in await bot.say("报告 修改 天气 晴", user="zzsup")
    edits = {r.key: r.text for r in await rows(bot, ReportText)}
    assert edits["doc_no"] == "泽应急〔2023〕36号" and edits["mechanism"] == (
        "将“回头看”发现的问题纳入年度执法计划。\n三项岗位人员持证情况每季度抽查。") and "issues" not in edits
    assert {a.field for a in await rows(bot, AuditLog, entity="report_text")} >= {"doc_no", "mechanism", "issues"}

    # final: no draft mark, the fields in place
    reply = await bot.say("报告 定稿", user="zzsup")
    assert "定稿" in reply and "请于 2023-06-10 前报市局教育训练科" in reply
    [_draft, final] = documents_sent(bot, "zzsup")
    text = check_official_form(final.path)
    assert "草稿" not in text and "待填写" not in text
    assert "\u3000泽应急〔2023〕36号\t签发人：王建国\u3000" in text
    assert "我局由分管领导副局长李建军具体负责" in text and "三项岗位人员持证情况每季度抽查。" in text
    assert "（联系人：王督查，联系电话：0356-3021234）" in text
    # the internal annex: not the report
    await bot.say("报告 内部", user="zzsup")
    internal = docx_text(documents_sent(bot, "zzsup")[-1].path)
    assert "不随书面情况报送" in internal and "检查日期不在活动期内" in internal  # the 05-03 and 06-05 visits

    # another county's report is not this supervisor's; the city's may edit any county's
    assert "只能导出本局" in await bot.say("报告 高平市 文号 高应急〔2023〕1号", user="zzsup")
    assert "签发人已设为：张三" in await bot.say("报告 泽州县 签发人 张三", user="city")
