"""`inspector-bot export ...`: the filled checklist, a typical case, the written report and the
spreadsheet, as files (and PDF with --pdf where LibreOffice is installed). Registered by bot.cli.
Exit status 2 on bad arguments (an unknown inspection, case or bureau; --pdf without LibreOffice)."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import click

BAD_INPUT = 2


class BadArgument(Exception):
    """What the operator asked for does not exist: exit 2 with the message."""


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(BAD_INPUT)


def _run(make, out: Path | None, pdf: bool) -> None:
    """Load settings, open the app, let `make(app, repos)` write a file, then the PDF if asked."""
    from bot.cli import load_settings
    from bot.documents import pdf as pdf_tools

    if pdf and not pdf_tools.available():
        _fail("--pdf needs LibreOffice (soffice), which is not installed")
    settings = load_settings()

    async def go() -> Path:
        from bot.app import build_app

        app = await build_app(settings)
        repos = app.core.repos()
        try:
            return await make(app, repos)
        finally:
            await repos.session.close()
            await app.close()

    try:
        path = asyncio.run(go())
    except BadArgument as exc:
        _fail(str(exc))
    click.echo(str(path))
    if pdf:
        try:
            click.echo(str(pdf_tools.to_pdf(path)))
        except pdf_tools.PdfUnavailable as exc:
            raise click.ClickException(str(exc)) from exc


def _target(out: Path | None, name: str) -> Path:
    if out is None:
        return Path.cwd() / name
    return out / name if out.is_dir() else out


@click.group("export")
def export() -> None:
    """Documents and spreadsheets: checklist, case, report, xlsx."""


@export.command("checklist")
@click.option("--inspection", "inspection_id", type=int, required=True, help="inspection id")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
@click.option("--pdf", is_flag=True, help="also write a PDF (needs LibreOffice)")
def checklist(inspection_id: int, out: Path | None, pdf: bool) -> None:
    """The filled checklist (附件1) of one inspection, as .docx."""
    from bot.documents import service

    async def make(app, repos) -> Path:
        insp = await repos.inspections.get(inspection_id)
        if insp is None or insp.campaign_id != app.campaign.id:
            raise BadArgument(f"--inspection: no inspection {inspection_id}")
        return await service.checklist_file(repos, app.campaign, app.core.media, insp,
                                            _target(out, service.checklist_name(insp)))

    _run(make, out, pdf)


@export.command("case")
@click.option("--case", "case_id", type=int, required=True, help="typical case id")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
@click.option("--pdf", is_flag=True, help="also write a PDF (needs LibreOffice)")
def case(case_id: int, out: Path | None, pdf: bool) -> None:
    """A typical enforcement case (附件2), as .docx."""
    from bot.documents import service
    from storage.repositories.cases import CaseRepo

    async def make(app, repos) -> Path:
        found = await CaseRepo(repos.session, repos.audit).get(case_id)
        if found is None:
            raise BadArgument(f"--case: no typical case {case_id}")
        return await service.case_file(repos, app.core.media, found, _target(out, service.case_name(found)))

    _run(make, out, pdf)


@export.command("report")
@click.option("--bureau", required=True, help="bureau name or short name; the city bureau gives the summary")
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="date on the report")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
@click.option("--pdf", is_flag=True, help="also write a PDF (needs LibreOffice)")
def report(bureau: str, as_of, out: Path | None, pdf: bool) -> None:
    """The written report of a county (督查检查书面情况), or the city's summary."""
    from bot.documents import service

    day = as_of.date() if as_of else date.today()

    async def make(app, repos) -> Path:
        found = await repos.org.bureau(bureau)
        if found is None:
            names = "、".join(b.short_name for b in await repos.org.bureaus())
            raise BadArgument(f"--bureau: unknown bureau {bureau!r}; known: {names}")
        return await service.report_file(repos, app.campaign, found, day,
                                          _target(out, service.report_name(app.campaign, found, day)))

    _run(make, out, pdf)


@export.command("xlsx")
@click.option("--bureau", default=None, help="one bureau (default: all)")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
def xlsx(bureau: str | None, out: Path | None) -> None:
    """Inspections, answers, findings, certificates and typical cases as a spreadsheet."""
    from bot.documents import service

    async def make(app, repos) -> Path:
        found = None
        if bureau:
            found = await repos.org.bureau(bureau)
            if found is None:
                raise BadArgument(f"--bureau: unknown bureau {bureau!r}")
        return await service.xlsx_file(repos, app.campaign, found,
                                       _target(out, service.xlsx_name(found, date.today())))

    _run(make, out, False)


commands: list[click.Command] = [export]
