"""附件2 filled in, as one Word file to send on as it is ("需形成一个word或pdf文件后整体上报"): the
label 附件2, the template's headings, and the 执法文书 inside it with their captions — photos
embedded, PDF pages rendered as pictures (poppler's pdftoppm), Word files through LibreOffice as
well where it is installed; a file that cannot be shown is named and sent with it."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from bot import texts
from bot.documents import docx_util as dx
from bot.documents.files import IMAGE_TYPES, file_key
from bot.documents.official import break_title
from storage.models import CaseFile, TypicalCase

H = texts.DOC_CASE_HEADINGS
FILE_KINDS = {"application/pdf": "PDF", "application/msword": "Word"}


TITLE_CHARS = (21.0 - 5.0) / (14 * 2.54 / 72)  # 字 of the case's title (14 pt) on one line (about 22)
# where a case title may break: before 对 (the party) and before the kind of case (…行政处罚案)
TITLE_BREAKS = r"(?=对)|(?=行政处罚案)|(?=行政处罚)|(?=违法)"


def build_case(case: TypicalCase, files: list[CaseFile], pictures: Mapping[str, Path], out: Path,
               captions: Mapping[int, str] | None = None,
               pages: Mapping[int, list[Path]] | None = None) -> Path:
    """`pictures`: the attached photos as files on this disk by store key (EvidenceStore.local_files);
    `captions`: typed captions by file id; `pages`: the rendered pages of PDF / Word files by file id."""
    doc = dx.new_document(margin_cm=2.5)
    dx.para(doc, texts.DOC_ATTACHMENT_2, size=14, font=dx.HEADING_FONT)
    dx.title(doc, texts.DOC_CASE_TEMPLATE_TITLE, size=16)
    _heading(doc, H["title"])
    dx.para(doc, break_title(case.title, TITLE_CHARS, TITLE_BREAKS), size=14, bold=True, align="center")
    _heading(doc, H["keywords"])
    dx.para(doc, "；".join(case.keywords or []), size=12, indent_first=True)
    for field in ("gist", "facts", "reasoning", "commentary"):
        _heading(doc, H[field])
        for line in (getattr(case, field) or "").splitlines() or [""]:
            if line.strip():
                dx.para(doc, line.strip(), size=12, indent_first=True, align="justify")
    _heading(doc, H["files"])
    _files(doc, files, pictures, captions or {}, pages or {})
    _heading(doc, H["officers"])
    for n, o in enumerate(case.officers or [], 1):
        dx.para(doc, texts.DOC_CASE_OFFICER.format(n=n, name=o.get("name", ""), badge_no=o.get("badge_no", ""),
                                                   contact=o.get("contact", "")), size=12)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _heading(doc, text: str) -> None:
    dx.heading(doc, text, size=13)


def file_caption(n: int, f: CaseFile, captions: Mapping[int, str]) -> str:
    """文书N：the caption typed for it; without one, 执法文书N (a file name from a phone or a WeCom
    media id says nothing)."""
    typed = (captions.get(f.id) or "").strip()
    return texts.DOC_CASE_FILE_IMAGE.format(n=n, name=typed or texts.DOC_CASE_FILE_UNNAMED.format(n=n))


def _files(doc, files: list[CaseFile], pictures: Mapping[str, Path], captions: Mapping[int, str],
           pages: Mapping[int, list[Path]]) -> None:
    if not files:
        dx.para(doc, texts.DOC_CASE_NO_FILES, size=12)
    for n, f in enumerate(files, 1):
        caption = file_caption(n, f, captions)
        path = pictures.get(file_key(f.sha256, f.media_type)) if f.media_type in IMAGE_TYPES else None
        if path is not None:
            dx.picture(doc, path, caption, width_cm=13.0, max_height_cm=19.0)
        elif pages.get(f.id):
            shown = pages[f.id]
            for k, page in enumerate(shown, 1):
                label = caption if len(shown) == 1 else texts.DOC_CASE_FILE_PAGE.format(caption=caption, k=k,
                                                                                         n=len(shown))
                dx.picture(doc, page, label, width_cm=14.0, max_height_cm=20.0)
        else:
            kind = FILE_KINDS.get(f.media_type, "Word" if f.media_type.endswith("document") else f.media_type)
            dx.para(doc, texts.DOC_CASE_FILE_OTHER.format(caption=caption, kind=kind), size=12)
