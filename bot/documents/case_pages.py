"""The pages of a PDF or Word 执法文书 as pictures, so the typical case is one Word file: PDF pages
through poppler's `pdftoppm`, Word files first through LibreOffice (bot.documents.pdf). Where a tool
is missing the file is not shown; the case then names it and the chat sends it with the case."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bot.documents import pdf
from bot.documents.files import DOCX

PDF = "application/pdf"
WORD = {DOCX, "application/msword"}
MAX_PAGES = 20
DPI = 110


def can_show(media_type: str) -> bool:
    """Whether a file of this type can be put in the case as pictures on this machine."""
    if shutil.which("pdftoppm") is None:
        return False
    return media_type == PDF or (media_type in WORD and pdf.available())


def render(source: Path, media_type: str, tmp: Path, tag: str) -> list[Path]:
    """The pages as PNG files in `tmp` (at most MAX_PAGES); [] when they cannot be made."""
    if not can_show(media_type):
        return []
    try:
        if media_type in WORD:
            suffix = ".docx" if media_type == DOCX else ".doc"
            copy = tmp / f"{tag}{suffix}"
            shutil.copyfile(source, copy)
            source = pdf.to_pdf(copy, tmp / f"{tag}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-l", str(MAX_PAGES), str(source), str(tmp / tag)],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError, pdf.PdfUnavailable):
        return []
    return sorted(tmp.glob(f"{tag}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
