"""`inspector-bot export ...`: the filled checklist, a typical case, the written report and the
spreadsheet, as files (and PDF with --pdf where LibreOffice is installed). Registered by bot.cli.
Exit status 2 on bad arguments (an unknown inspection, case or bureau; --pdf without LibreOffice)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot.counting import AsOf

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
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="the orders' state as of this day (default: today)")
@click.option("--signable", is_flag=True, help="the form to print and sign on site: no photos, blank signatures")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
@click.option("--pdf", is_flag=True, help="also write a PDF (needs LibreOffice)")
def checklist(inspection_id: int, as_of, signable: bool, out: Path | None, pdf: bool) -> None:
    """The filled checklist (附件1) of one inspection, as .docx."""
    from bot.documents import service

    async def make(app, repos) -> Path:
        insp = await repos.inspections.get(inspection_id)
        if insp is None or insp.campaign_id != app.campaign.id:
            raise BadArgument(f"--inspection: no inspection {inspection_id}")
        now = app.core.clock().astimezone(app.settings.tz)
        when = AsOf.of(as_of.date() if as_of else now.date(), now)
        name = service.checklist_name(insp, signable=signable)
        return await service.checklist_file(repos, app.campaign, app.core.media, insp, _target(out, name), when,
                                            signable=signable)

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
@click.option("--bureau", required=True, help="bureau name or short name; the city bureau gives the city's report")
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="as of this day: only what had happened by its end (default: today)")
@click.option("--final", is_flag=True, help="the final document: exit 2 while a 【待填写】 is left")
@click.option("--internal", is_flag=True, help="the internal annex (review, 需关注, not counted) instead")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
@click.option("--pdf", is_flag=True, help="also write a PDF (needs LibreOffice)")
def report(bureau: str, as_of, final: bool, internal: bool, out: Path | None, pdf: bool) -> None:
    """The written report of a county (督查检查书面情况), or the city's, as an official document."""
    from bot import texts
    from bot.documents import report_service, service

    async def make(app, repos) -> Path:
        now = app.core.clock().astimezone(app.settings.tz)
        day = as_of.date() if as_of else now.date()
        found = await repos.org.bureau(bureau)
        if found is None:
            names = "、".join(b.short_name for b in await repos.org.bureaus())
            raise BadArgument(f"--bureau: unknown bureau {bureau!r}; known: {names}")
        when = AsOf.of(day, now)
        try:
            if internal:
                name = service.safe_name(texts.RPT_INTERNAL_TITLE.format(bureau=found.short_name,
                                                                         day=day.isoformat())) + ".docx"
                return await report_service.internal_file(repos, app.campaign, found, when, _target(out, name))
            name = service.report_name(app.campaign, found, day)
            if final:
                name = name.replace(".docx", "_定稿.docx")
            return await report_service.report_file(repos, app.campaign, found, when, _target(out, name),
                                                    final=final)
        except report_service.Unfinished as exc:
            raise BadArgument(f"--final: still to fill in: {exc}") from None
        except report_service.NotInCampaign:
            raise BadArgument(f"--bureau: {bureau!r} has no quota in the campaign") from None

    _run(make, out, pdf)


@export.command("xlsx")
@click.option("--bureau", default=None, help="one bureau (default: all)")
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="as of this day: only what had happened by its end (default: today)")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="file or directory")
def xlsx(bureau: str | None, as_of, out: Path | None) -> None:
    """A summary against the quotas, then inspections, answers, findings, certificates, typical cases,
    需关注 and 整改, as a spreadsheet."""
    from bot.documents import service

    async def make(app, repos) -> Path:
        now = app.core.clock().astimezone(app.settings.tz)
        day = as_of.date() if as_of else now.date()
        found = None
        if bureau:
            found = await repos.org.bureau(bureau)
            if found is None:
                raise BadArgument(f"--bureau: unknown bureau {bureau!r}")
        return await service.xlsx_file(repos, app.campaign, found, _target(out, service.xlsx_name(found, day)),
                                       AsOf.of(day, now))

    _run(make, out, False)


commands: list[click.Command] = [export]
