"""PDF copies through LibreOffice, where it is installed (`soffice --headless --convert-to pdf`).
The fonts the documents name (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312 …) are mapped to free fonts by
fonts.conf beside this module where they are not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


FONTS = Path(__file__).with_name("fonts.conf")


class PdfUnavailable(Exception):
    """LibreOffice is not installed, or the conversion failed."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def to_pdf(source: Path, out: Path | None = None, timeout: float = 180) -> Path:
    """Convert a .docx (or .xlsx) to PDF next to it, or to `out`."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    source = Path(source).resolve()
    out = Path(out) if out else source.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="ib-soffice-") as tmp:
        profile = Path(tmp) / "profile"  # a private profile: no clash with a running LibreOffice
        cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", tmp, str(source)]
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS)}
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"LibreOffice timed out after {timeout}s") from exc
        produced = Path(tmp) / (source.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            raise PdfUnavailable(f"LibreOffice failed: {proc.stderr.strip() or proc.stdout.strip()}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), out)
    return out
