"""Shared python-docx helpers: A4 pages, Chinese fonts (East Asian font set explicitly, so Word and
WPS show 宋体/黑体 instead of a Latin fallback), bordered tables, merged cells, captions.

All text of the documents is written by these helpers, through `_run`: characters XML cannot hold
(control characters in what someone typed) are dropped there instead of failing the document."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.sanitize import xml_text

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def set_run_font(run: Run, east_asia: str = BODY_FONT, size: float | None = None, bold: bool | None = None) -> Run:
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    return run


def _run(p: Paragraph, text: str) -> Run:
    return p.add_run(xml_text(str(text)))


def new_document(landscape: bool = False, margin_cm: float = 2.0) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    return doc


def content_width(doc: DocxDocument) -> int:
    s = doc.sections[-1]
    return s.page_width - s.left_margin - s.right_margin


def para(doc_or_cell, text: str = "", *, size: float | None = None, bold: bool = False, font: str = BODY_FONT,
         align: str | None = None, space_after: float | None = None, indent_first: bool = False) -> Paragraph:
    p = doc_or_cell.add_paragraph()
    if text:
        set_run_font(_run(p, text), font, size, bold or None)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if indent_first:
        p.paragraph_format.first_line_indent = Pt((size or 11) * 2)
    return p


def title(doc: DocxDocument, text: str, size: float = 16) -> Paragraph:
    return para(doc, text, size=size, bold=True, font=HEADING_FONT, align="center", space_after=10)


def heading(doc: DocxDocument, text: str, size: float = 13) -> Paragraph:
    """A section heading, kept on the page of what follows it."""
    p = para(doc, text, size=size, bold=True, font=HEADING_FONT, space_after=4)
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.keep_with_next = True
    return p


def label_value(doc_or_cell, label: str, value: str, size: float | None = None) -> Paragraph:
    p = doc_or_cell.add_paragraph()
    set_run_font(_run(p, label), HEADING_FONT, size, True)
    set_run_font(_run(p, value), BODY_FONT, size)
    return p


def table(doc: DocxDocument, rows: int, widths_cm: list[float]) -> Table:
    t = doc.add_table(rows=rows, cols=len(widths_cm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, w in zip(t.columns, widths_cm):  # the grid: what LibreOffice and WPS lay out by
        column.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    return t


def cell_text(cell: _Cell, text: str | list[str], *, bold: bool = False, size: float | None = 10,
              align: str | None = None, font: str = BODY_FONT) -> None:
    """Replace the cell's text; a list becomes one paragraph per line."""
    lines = text if isinstance(text, list) else str(text).split("\n")
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines or [""]):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if line:
            set_run_font(_run(p, line), HEADING_FONT if bold else font, size, bold or None)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def header_row(t: Table, labels: list[str], row: int = 0) -> None:
    for cell, label in zip(t.rows[row].cells, labels):
        cell_text(cell, label, bold=True, align="center")
        shade(cell, "D9D9D9")
    repeat_header(t.rows[row])


def shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def simple_table(doc: DocxDocument, labels: list[str], rows: list[list[str]], widths_cm: list[float]) -> Table:
    t = table(doc, 1 + len(rows), widths_cm)
    header_row(t, labels)
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values):
            cell_text(t.rows[r].cells[c], str(value), align="center" if len(str(value)) <= 6 else None)
    return t


def picture(doc: DocxDocument, path: Path, caption: str, width_cm: float = 12.0, max_height_cm: float = 17.0) -> None:
    """The photo scaled to fit the page, with its caption under it. WEBP is converted (Word cannot show it)."""
    with PILImage.open(path) as img:
        w, h = img.size
        stream = io.BytesIO()
        if img.format in ("JPEG", "PNG", "GIF", "BMP"):
            stream.write(path.read_bytes())
        else:
            img.convert("RGB").save(stream, "PNG")
    stream.seek(0)
    if h and w and h / w * width_cm > max_height_cm:
        doc.add_picture(stream, height=Cm(max_height_cm))
    else:
        doc.add_picture(stream, width=Cm(width_cm))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, caption, size=10, align="center", space_after=8)


def page_break(doc: DocxDocument) -> None:
    doc.add_page_break()
