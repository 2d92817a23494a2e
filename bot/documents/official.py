"""The official-document form (党政机关公文格式, GB/T 9704-2012) for the written report: A4 with the
版心 156 × 225 mm (margins top 37, bottom 35, left 28, right 26 mm), 3号 仿宋 body on a fixed line
pitch (22 lines a page), 2号 小标宋 title, 黑体 / 楷体 headings, the 版头 (issuing authority in red,
发文字号 with 〔〕 and 签发人, red rule), 主送, 附件说明, 署名 and 成文日期, 附注 (联系人), and page
numbers "— 1 —" in 4号 宋体, odd pages right, even pages left.

Fonts are named as the standard names them; the file's font table gives each its fallback (Word
and WPS use the `altName` where the first is not installed): 仿宋_GB2312 → 仿宋, 方正小标宋简体 →
华文中宋, 楷体_GB2312 → 楷体; 黑体 and 宋体 are on every Chinese system. For PDFs made here,
bot/documents/fonts.conf maps them to free fonts (bot.documents.pdf)."""

from __future__ import annotations

import re
from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from bot.documents import docx_util as dx

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
# font -> (fallback Word / WPS use when it is missing, charset 86 = GB2312, family)
FALLBACKS = {FANGSONG: "仿宋", XIAOBIAOSONG: "华文中宋", KAITI: "楷体", HEITI: "SimHei", SONGTI: "SimSun"}

SIZE_2, SIZE_3, SIZE_4 = 22.0, 16.0, 14.0  # 2号, 3号, 4号 (pt)
LINE_PITCH = 28.95  # pt: 22 lines in the 225 mm 版心 at 3号
CHAR = SIZE_3  # one 字 of indent
RED = RGBColor(0xE6, 0x00, 0x12)
MARGINS_MM = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}


def document() -> DocxDocument:
    """A4, the 版心 margins, 仿宋 3号 as the normal style, fallbacks in the font table, page numbers."""
    doc = dx.new_document()
    section = doc.sections[0]
    for side, mm in MARGINS_MM.items():
        setattr(section, side, Mm(mm))
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28)  # the number sits about 7 mm under the 版心
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    normal.element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:eastAsia"), FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH)
    fmt.space_before = fmt.space_after = Pt(0)
    _grid(section)
    _font_table(doc)
    _page_numbers(doc)
    return doc


def _grid(section) -> None:
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH * 20)))


def _font_table(doc: DocxDocument) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name != HEITI else "swiss"}"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in FALLBACKS.items())
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _page_numbers(doc: DocxDocument) -> None:
    """— N —, 4号 半角宋体; odd pages at the right, even pages at the left, one 字 in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        setattr(p.paragraph_format, f"{side}_indent", Pt(SIZE_4))
        dx.set_run_font(p.add_run("— "), SONGTI, SIZE_4)
        _field(p, "PAGE")
        dx.set_run_font(p.add_run(" —"), SONGTI, SIZE_4)


def _field(p: Paragraph, code: str) -> None:
    def run_with(element) -> None:
        run = dx.set_run_font(p.add_run(), SONGTI, SIZE_4)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    dx.set_run_font(p.add_run("1"), SONGTI, SIZE_4)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# ---- text
def doc_number(text: str) -> str:
    """发文字号 with 六角括号: 晋市应急教发[2023]90号 -> 晋市应急教发〔2023〕90号."""
    return re.sub(r"[\[［【(（〔]\s*(\d{4})\s*[\]］】)）〕]", r"〔\1〕", text)


def citation(basis) -> str:
    """A legal basis as documents cite it: 《中华人民共和国安全生产法》第九十七条第（三）项 (the law's
    name without the edition the campaign file notes, e.g. （2021年修正）)."""
    law = re.sub(r"[（(]\d{4}年[^）)]*[）)]$", "", basis.law.strip())
    return f"《{law}》{basis.article}"


def decision_text(order) -> str:
    """What was decided on a finding, as the enterprise was told: the correction with its due date,
    the fine with its decision number, and, once it happened, the escalation — never the legal range."""
    from bot import texts

    text = (texts.RPT_DECISION_ORDER.format(due=cn_date(order.due_date)) if order.due_date
            else texts.RPT_DECISION_ORDER_NO_DUE)
    if order.penalty_amount:
        number = doc_number((order.decision_no or "").strip())
        if not number:
            text += texts.RPT_DECISION_FINE.format(amount=f"{order.penalty_amount:,}")
        elif number[0] in "（(〔[【":  # (泽)应急罚〔2023〕15号: no second pair of brackets around it
            text += texts.RPT_DECISION_FINE_NO_BRACKETS.format(amount=f"{order.penalty_amount:,}", no=number)
        else:
            text += texts.RPT_DECISION_FINE_NO.format(amount=f"{order.penalty_amount:,}", no=number)
    if order.status == "escalated":
        text += texts.RPT_DECISION_ESCALATED
    return text


def cn_date(day: date) -> str:
    """成文日期 and dates in the text: 2023年6月9日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width(text: str) -> float:
    """Width in 字 (CJK characters and punctuation 1, ASCII digits and letters ½)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def para(doc, text: str = "", *, font: str = FANGSONG, size: float = SIZE_3, bold: bool = False,
         align: str | None = "justify", indent: bool = True, color: RGBColor | None = None,
         keep_next: bool = False) -> Paragraph:
    """A paragraph of the body: first line indented two 字, justified, on the line grid."""
    p = dx.para(doc, text, size=size, font=font, bold=bold, align=align)
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)
    if color is not None:
        for run in p.runs:
            run.font.color.rgb = color
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def blank(doc) -> Paragraph:
    return para(doc, "", indent=False)


def heading1(doc, text: str) -> Paragraph:
    """一、… in 黑体."""
    return para(doc, text, font=HEITI, keep_next=True)


def heading2(doc, text: str) -> Paragraph:
    """（一）… in 楷体."""
    return para(doc, text, font=KAITI, keep_next=True)


def body(doc, text: str) -> list[Paragraph]:
    """Body text: one paragraph per line; a line that starts like a heading keeps the heading's font."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if re.match(r"^[一二三四五六七八九十]+、", line):
            out.append(heading1(doc, line))
        elif re.match(r"^（[一二三四五六七八九十]+）", line):
            out.append(heading2(doc, line))
        else:
            out.append(para(doc, line))
    return out


def masthead(doc, authority: str, number: str, signer: str) -> None:
    """版头 of a 上行文: the issuing authority in red 小标宋, then the 发文字号 (left, one 字 in) and
    签发人 (right, one 字 in) on one line, then the red rule under it."""
    p = para(doc, authority, font=XIAOBIAOSONG, size=30, align="center", indent=False, color=RED)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = Pt(SIZE_3)
    p.paragraph_format.space_after = Pt(2 * SIZE_3)
    line = doc.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    dx.set_run_font(line.add_run("\u3000" + doc_number(number)), FANGSONG, SIZE_3)
    dx.set_run_font(line.add_run("\t签发人："), FANGSONG, SIZE_3)
    dx.set_run_font(line.add_run(signer + "\u3000"), KAITI, SIZE_3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "E60012")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    line._p.get_or_add_pPr().append(borders)


def table(doc, labels: list[str], rows: list[list[str]], widths_mm: list[float], *, size: float = 12,
          total_row: bool = False, last: bool = False) -> None:
    """A table of the report: 黑体 header repeated on each page, 仿宋 cells, single spacing, rows that
    never break across pages, centred numbers; widths scaled to the 版心 when they add up to more."""
    scale = min(1.0, 156 / sum(widths_mm))
    t = dx.table(doc, 1 + len(rows), [w * scale / 10 for w in widths_mm])
    for r, values in enumerate([labels, *rows]):
        row = t.rows[r]
        _no_split(row)
        bold = r == 0 or (total_row and r == len(rows))
        for c, value in enumerate(values):
            text = str(value)
            dx.cell_text(row.cells[c], text, bold=bold, size=size, font=HEITI if bold else FANGSONG,
                         align="center" if r == 0 or _short(text) else None)
            for cp in row.cells[c].paragraphs:
                cp.paragraph_format.first_line_indent = Pt(0)
                cp.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                cp.paragraph_format.line_spacing = Pt(size * 1.45)
                if r and not _short(text):
                    cp.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if r == 0:
            dx.repeat_header(row)
    if not last:  # a line after it; none at the end of the document (it would make an empty page)
        blank(doc)


def _short(text: str) -> bool:
    return len(text) <= 6 or bool(re.fullmatch(r"[\d./%,，元 -]+", text))


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def title(doc, text: str) -> Paragraph:
    """2号 小标宋, centred; long titles are broken where the words allow (at 关于 / 的), never with
    one character alone on the last line."""
    blank(doc)
    p = para(doc, _break_title(text), font=XIAOBIAOSONG, size=SIZE_2, align="center", indent=False)
    p.paragraph_format.line_spacing = Pt(LINE_PITCH * 1.2)
    blank(doc)
    return p


TITLE_CHARS = 156 / (SIZE_2 * 25.4 / 72)  # 字 of 2号 on one line of the 版心 (about 20)
# Where a title may break: before 关于 and 督查, around a quotation, after 工作 (never inside a word).
TITLE_BREAKS = re.compile(r"(?=关于)|(?=“)|(?<=”)|(?=督查)|(?<=工作)|(?<=的)(?=报告)")


def _break_title(text: str) -> str:
    return break_title(text, TITLE_CHARS, TITLE_BREAKS)


def break_title(text: str, chars: float, breaks: "re.Pattern | str") -> str:
    """The fewest lines of at most `chars` 字 that hold the title, as even as they come, breaking
    only where `breaks` allows (never inside a word, never one character alone on a line)."""
    if _width(text) <= chars:
        return text
    TITLE_CHARS = chars  # noqa: N806 - the limit below
    pattern = re.compile(breaks) if isinstance(breaks, str) else breaks
    cuts = sorted({m.start() for m in pattern.finditer(text) if 0 < m.start() < len(text)} | {len(text)})
    best: dict[int, tuple[int, float, list[int]]] = {0: (0, 0.0, [])}
    for end in cuts:
        for start, (lines, cost, path) in list(best.items()):
            if start >= end:
                continue
            w = _width(text[start:end])
            if w > TITLE_CHARS or w <= 2:
                continue
            candidate = (lines + 1, cost + (TITLE_CHARS - w) ** 2, path + [end])
            if end not in best or candidate[:2] < best[end][:2]:
                best[end] = candidate
    if len(text) not in best:  # no break fits: let the word processor wrap
        return text
    path = [0] + best[len(text)][2]
    return "\n".join(text[a:b] for a, b in zip(path, path[1:]))


def addressee(doc, to: str) -> Paragraph:
    """主送机关: left, no indent, ends with a full-width colon."""
    return para(doc, to.rstrip("：:") + "：", indent=False, align="left")


def attachments(doc, names: list[str]) -> None:
    """附件说明: 附件：1. …, aligned under the first name."""
    if not names:
        return
    blank(doc).paragraph_format.keep_with_next = True
    for n, name in enumerate(names, 1):
        label = "附件：" if n == 1 else "\u3000\u3000\u3000"
        number = f"{n}. " if len(names) > 1 else ""
        para(doc, f"{label}{number}{name}", align="left", keep_next=True)


def signature(doc, authority: str, day: date) -> None:
    """署名 (right, two 字 in) and 成文日期 under it, its first character two 字 right of the
    署名's first (no seal). Never alone on a page: the paragraph before it keeps with it."""
    body = [p for p in doc.paragraphs if p.text.strip()]
    for before in body[-2:]:  # the last body paragraph moves with it, whole, if need be
        before.paragraph_format.keep_with_next = True
        before.paragraph_format.keep_together = True
    blank(doc).paragraph_format.keep_with_next = True
    name = para(doc, authority, align="right", indent=False, keep_next=True)
    name.paragraph_format.right_indent = Pt(2 * CHAR)
    when = cn_date(day)
    right = 2 + _width(authority) - 2 - _width(when)
    p = para(doc, when, align="right", indent=False, keep_next=True)
    p.paragraph_format.right_indent = Pt(max(right, 2) * CHAR)


def note(doc, text: str) -> None:
    """附注 (联系人 …): in brackets, two 字 in, on the line after the date."""
    para(doc, f"（{text.strip('（）()')}）", align="left")


def attachment_page(doc, n: int | None, name: str) -> None:
    """A new page: 附件N in 黑体 at the top left, then the attachment's title."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, "附件" + (str(n) if n else ""), font=HEITI, indent=False, align="left")
    blank(doc)
    para(doc, name, font=XIAOBIAOSONG, size=SIZE_2, align="center", indent=False)
    blank(doc)
