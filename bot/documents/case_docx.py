"""附件2 filled in: a typical enforcement case under the template's headings, the attached 执法文书
(photos embedded, so the case is one Word file; other files listed and sent with it)."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from bot import texts
from bot.documents import docx_util as dx
from bot.documents.files import IMAGE_TYPES, file_key
from storage.models import CaseFile, TypicalCase

H = texts.DOC_CASE_HEADINGS
FILE_KINDS = {"application/pdf": "PDF", "application/msword": "Word"}


def build_case(case: TypicalCase, files: list[CaseFile], pictures: Mapping[str, Path], out: Path) -> Path:
    """`pictures`: the attached photos as files on this disk by store key (EvidenceStore.local_files)."""
    doc = dx.new_document(margin_cm=2.5)
    dx.title(doc, texts.DOC_CASE_TEMPLATE_TITLE, size=16)
    _heading(doc, H["title"])
    dx.para(doc, case.title, size=12, bold=True, align="center")
    _heading(doc, H["keywords"])
    dx.para(doc, "；".join(case.keywords or []), size=12, indent_first=True)
    for field in ("gist", "facts", "reasoning", "commentary"):
        _heading(doc, H[field])
        for line in (getattr(case, field) or "").splitlines() or [""]:
            if line.strip():
                dx.para(doc, line.strip(), size=12, indent_first=True, align="justify")
    _heading(doc, H["files"])
    _files(doc, files, pictures)
    _heading(doc, H["officers"])
    for n, o in enumerate(case.officers or [], 1):
        dx.para(doc, texts.DOC_CASE_OFFICER.format(n=n, name=o.get("name", ""), badge_no=o.get("badge_no", ""),
                                                   contact=o.get("contact", "")), size=12)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _heading(doc, text: str) -> None:
    dx.heading(doc, text, size=13)


def _files(doc, files: list[CaseFile], pictures: Mapping[str, Path]) -> None:
    if not files:
        dx.para(doc, texts.DOC_CASE_NO_FILES, size=12)
    for n, f in enumerate(files, 1):
        name = f.filename or f"{f.sha256[:8]}"
        path = pictures.get(file_key(f.sha256, f.media_type)) if f.media_type in IMAGE_TYPES else None
        if path is not None:
            dx.picture(doc, path, texts.DOC_CASE_FILE_IMAGE.format(n=n, name=name), width_cm=13.0, max_height_cm=19.0)
        else:
            kind = FILE_KINDS.get(f.media_type, "Word" if f.media_type.endswith("document") else f.media_type)
            dx.para(doc, texts.DOC_CASE_FILE_OTHER.format(n=n, name=name, kind=kind), size=12)
