"""The certificate register of item 二: each three-positions person the inspector checks, field by
field, written as given; then what the bot finds on its own, for the inspector to confirm.

With certificate OCR (bot/ocr.py, the `ocr` extra) a photo of the certificate may answer the number
question: it is kept with the person, read in an image worker, and the number read is offered to
accept with one press (the validity read is offered at its question the same way); a typed number
that differs from the one read is flagged. A photo at the photo step is read too and checked
against the number recorded. Without OCR the number is typed, as before."""

from __future__ import annotations

from datetime import date

from bot import integrity, ocr, texts
from bot.context import Context
from conversations.certificates import certificate_problems
from conversations.flow import Answer, BadInput, ask, cursor
from conversations.nav import advance, goto, inspection, keep_photo, member_id, photo_count
from conversations.parsing import NONE_WORDS, normalize, parse_date, person_name
from storage.models import Certificate, Evidence

CERT_NUMBER_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
PLATFORM = [(texts.PLATFORM_YES, "yes"), (texts.PLATFORM_NO, "no"), (texts.PLATFORM_UNCHECKED, "unchecked")]


async def _cert(ctx: Context) -> Certificate:
    cert = await ctx.repos.inspections.certificate(cursor(ctx)["cert"])
    if cert is None:
        raise LookupError("certificate gone")
    return cert


async def _set(ctx: Context, cert: Certificate, next_stage: str, **values) -> None:
    insp = await inspection(ctx)
    ctx.repos.inspections.update_certificate(insp, cert, member_id(ctx), stage=next_stage, **values)
    if next_stage == "done":
        cursor(ctx).pop("ocr", None)
        await _check(ctx, cert)
        await advance(ctx)
    else:
        await goto(ctx, next_stage, cert=cert.id)


async def ask_cert_menu(ctx: Context) -> None:
    insp = await inspection(ctx)
    certs = await ctx.repos.inspections.certificates(insp.id)
    lines = [texts.CERT_LINE.format(name=c.person_name, position=c.position or "", type=c.cert_type or "")
             for c in certs]
    ask(ctx, texts.CERT_MENU.format(n=len(certs), people="\n".join(lines) or texts.CERT_NOBODY),
        [(texts.CERT_ADD, "add"), (texts.CERT_DONE, "done")])


async def on_cert_menu(ctx: Context, a: Answer) -> None:
    insp = await inspection(ctx)
    if a.value == "add":
        if insp.register_done:  # opened again: after this person, back to the register menu
            ctx.repos.inspections.update(insp, member_id(ctx), register_done=False)
        await goto(ctx, "cert_name")
        return
    certs = await ctx.repos.inspections.certificates(insp.id)
    if not certs:
        ctx.reply(texts.CERT_NONE_REGISTERED)
    ctx.repos.inspections.update(insp, member_id(ctx), register_done=True)
    await advance(ctx)


async def ask_cert_name(ctx: Context) -> None:
    ask(ctx, texts.ASK_CERT_NAME)


async def on_cert_name(ctx: Context, a: Answer) -> None:
    name = person_name(a.value)
    if name is None:
        raise BadInput(texts.BAD_PERSON_NAME)
    cert = await ctx.repos.inspections.add_certificate(await inspection(ctx), name, member_id(ctx))
    await goto(ctx, "cert_position", cert=cert.id)


async def ask_cert_position(ctx: Context) -> None:
    cert = await _cert(ctx)
    ask(ctx, texts.ASK_CERT_POSITION.format(name=cert.person_name),
        [(p.name, p.name) for p in ctx.campaign.certificates.positions])


async def on_cert_position(ctx: Context, a: Answer) -> None:
    await _set(ctx, await _cert(ctx), "cert_type", position=a.value)


async def ask_cert_type(ctx: Context) -> None:
    cert = await _cert(ctx)
    ask(ctx, texts.ASK_CERT_TYPE.format(name=cert.person_name),
        [(t, t) for t in ctx.campaign.certificates.types])


async def on_cert_type(ctx: Context, a: Answer) -> None:
    cert = await _cert(ctx)
    if a.value == ctx.campaign.certificates.no_certificate:
        await _no_certificate(ctx, cert)
    else:
        await _set(ctx, cert, "cert_number", cert_type=a.value)


async def _no_certificate(ctx: Context, cert: Certificate) -> None:
    """Holds none: no number, no validity, nothing to look up on the platform (one finding, not three)."""
    await _set(ctx, cert, "cert_photo", cert_type=ctx.campaign.certificates.no_certificate, cert_number="",
               expiry_date=None, platform_confirmed=None)


def _read(ctx: Context, cert: Certificate) -> dict:
    """What OCR read from this person's certificate photo at the number step ({} if nothing)."""
    read = cursor(ctx).get("ocr") or {}
    return read if read.get("cert") == cert.id else {}


async def ask_cert_number(ctx: Context) -> None:
    number = _read(ctx, await _cert(ctx)).get("number")
    if number:
        ask(ctx, texts.OCR_ASK_CERT_NUMBER_READ.format(number=number), [(texts.OCR_USE.format(value=number), "ocr")])
    else:
        ask(ctx, texts.OCR_ASK_CERT_NUMBER if ocr.available() else texts.ASK_CERT_NUMBER)


async def on_cert_number(ctx: Context, a: Answer) -> None:
    cert = await _cert(ctx)
    if a.kind == "photo":
        await _photo_at_number(ctx, cert)
        return
    read = _read(ctx, cert)
    if a.kind == "option" and a.value == "ocr":
        if not read.get("number"):
            raise BadInput(texts.STALE_BUTTON)
        number = read["number"]
    else:
        if _means_no_certificate(ctx, a.value):
            await _no_certificate(ctx, cert)
            return
        number = a.value.replace(" ", "").upper()
        if not 4 <= len(number) <= 32 or set(number) - CERT_NUMBER_CHARS:
            raise BadInput(texts.BAD_CERT_NUMBER)
    insp = await inspection(ctx)
    await integrity.check_certificate_number(ctx, insp, cert, number, member_id(ctx))
    if read.get("number"):
        await integrity.check_certificate_photo(ctx, insp, cert, number, read["number"], read.get("evidence"),
                                                member_id(ctx))
    await _set(ctx, cert, "cert_expiry", cert_number=number)


async def _photo_at_number(ctx: Context, cert: Certificate) -> None:
    """A photo of the certificate instead of the number: kept with the person; with OCR, read and
    the number offered (the question is asked again, with the offer)."""
    evidence, data = await keep_photo(ctx, "cert", certificate_id=cert.id)
    ctx.reply(texts.CERT_PHOTO_SAVED.format(name=cert.person_name, count=await photo_count(ctx, "cert", cert.id)))
    if not ocr.available():
        await ask_cert_number(ctx)
        return
    read = await ocr.read(data)
    if read is None or not read.number:
        ctx.reply(texts.OCR_NOTHING_READ)
    else:
        _tell_read(ctx, cert, read)
        cursor(ctx)["ocr"] = {"cert": cert.id, "evidence": evidence.id, **read.as_dict()}
    await ask_cert_number(ctx)


def _tell_read(ctx: Context, cert: Certificate, read: ocr.CertificateText) -> None:
    fields = [(texts.OCR_FIELD_NUMBER, read.number), (texts.OCR_FIELD_NAME, read.name),
              (texts.OCR_FIELD_KIND, read.kind), (texts.OCR_FIELD_ITEM, read.item),
              (texts.OCR_FIELD_VALID, read.valid_until)]
    ctx.reply(texts.OCR_READ.format(fields=texts.OCR_FIELD_SEP.join(
        label.format(value=value) for label, value in fields if value)))
    if read.name and "".join(read.name.split()) != "".join(cert.person_name.split()):
        ctx.reply(texts.OCR_NAME_DIFFERS.format(read=read.name, name=cert.person_name))


async def ask_cert_expiry(ctx: Context) -> None:
    read = _read(ctx, await _cert(ctx)).get("valid_until")
    offer = [(texts.OCR_USE.format(value=read), "ocr")] if read else []
    ask(ctx, texts.ASK_CERT_EXPIRY, offer + [(texts.NO_EXPIRY, "none")])


async def on_cert_expiry(ctx: Context, a: Answer) -> None:
    expiry = None
    if a.kind == "option" and a.value == "ocr":
        read = _read(ctx, await _cert(ctx)).get("valid_until")
        if not read:
            raise BadInput(texts.STALE_BUTTON)
        expiry = date.fromisoformat(read)
    elif a.kind == "text":
        expiry = parse_date(a.value, ctx.today)
        if expiry is None:
            raise BadInput(texts.BAD_DATE)
    cert = await _cert(ctx)
    await integrity.check_certificate_expiry(ctx, await inspection(ctx), cert, expiry, member_id(ctx))
    await _set(ctx, cert, "cert_platform", expiry_date=expiry)


def _means_no_certificate(ctx: Context, text: str) -> bool:
    word = normalize(text).replace(" ", "").lower()
    return word in NONE_WORDS or word in {ctx.campaign.certificates.no_certificate, "没有证", "没证", "无证件"}


async def ask_cert_platform(ctx: Context) -> None:
    ask(ctx, texts.ASK_CERT_PLATFORM, PLATFORM)


async def on_cert_platform(ctx: Context, a: Answer) -> None:
    value = {"yes": True, "no": False}.get(a.value)
    cert = await _cert(ctx)
    if value is None:
        ctx.reply(texts.PLATFORM_REMINDER.format(id=ctx.campaign.certificates.platform_requirement))
    # "unchecked" stays None (not confirmed either way); the reminder tells the inspector to check.
    await _set(ctx, cert, "cert_photo", platform_confirmed=value)


async def ask_cert_photo(ctx: Context) -> None:
    cert = await _cert(ctx)
    ask(ctx, texts.ASK_CERT_PHOTO.format(name=cert.person_name), [(texts.CERT_PHOTO_DONE, "done")])


async def on_cert_photo(ctx: Context, a: Answer) -> None:
    cert = await _cert(ctx)
    if a.kind == "photo":
        evidence, data = await keep_photo(ctx, "cert", certificate_id=cert.id)
        ctx.reply(texts.CERT_PHOTO_SAVED.format(name=cert.person_name, count=await photo_count(ctx, "cert", cert.id)))
        await _check_photo(ctx, cert, evidence, data)
        return
    await _set(ctx, cert, "done")


async def _check_photo(ctx: Context, cert: Certificate, evidence: Evidence, data: bytes) -> None:
    """With OCR: the number on the photo against the number recorded (none recorded, or none
    legible: nothing to compare)."""
    if not cert.cert_number or not ocr.available():
        return
    read = await ocr.read(data)
    if read is None or not read.number:
        return
    if read.name and "".join(read.name.split()) != "".join(cert.person_name.split()):
        ctx.reply(texts.OCR_NAME_DIFFERS.format(read=read.name, name=cert.person_name))
    if await integrity.check_certificate_photo(ctx, await inspection(ctx), cert, cert.cert_number, read.number,
                                               evidence.id, member_id(ctx)):
        ctx.reply(texts.OCR_NUMBER_MATCHES.format(number=cert.cert_number))


async def _check(ctx: Context, cert: Certificate) -> None:
    insp = await inspection(ctx)
    problems = certificate_problems(ctx.campaign, cert, insp.enterprise.industry, insp.inspection_date)
    for p in problems:
        await ctx.repos.inspections.add_finding(insp, member_id(ctx), requirement_id=p.requirement_id,
                                                source="certificate", description=p.description,
                                                legal_basis=p.legal_basis, certificate_id=cert.id)
    ctx.reply(texts.CERT_SAVED.format(name=cert.person_name, problems=len(problems)))


async def ask_cert_confirm(ctx: Context) -> None:
    finding = await ctx.repos.inspections.finding(cursor(ctx)["finding"])
    assert finding is not None
    ask(ctx, texts.ASK_CONFIRM_FINDING.format(description=finding.description),
        [(texts.CONFIRM_FINDING, "yes"), (texts.REJECT_FINDING, "no")])


async def on_cert_confirm(ctx: Context, a: Answer) -> None:
    insp = await inspection(ctx)
    finding = await ctx.repos.inspections.finding(cursor(ctx)["finding"])
    if finding is None:
        raise BadInput(texts.STALE_BUTTON)
    ctx.repos.inspections.update_finding(insp, finding, member_id(ctx), confirmed=a.value == "yes")
    ctx.reply(texts.FINDING_CONFIRMED if a.value == "yes" else texts.FINDING_REJECTED)
    await advance(ctx)
