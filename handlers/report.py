"""The written report by message (supervisors; the city bureau also for any county):

    报告 [泽州县]                      the draft, with what is left to fill in
    报告 文号 泽应急〔2023〕15号        a field of the form (文号, 签发人, 联系人, 主送)
    报告 修改 存在问题 [新内容]          replace a section (or a piece: 分管领导, 原因, 曝光情况): with the
                                       text after the name, or with the next message — text, or a
                                       Word (.docx) / text (.txt) file
    报告 恢复 存在问题                  back to the text made from the records
    报告 定稿                          the final document (refused while a 【待填写】 is left)
    报告 内部                          the internal annex (review, 需关注, not counted): never sent on

Every edit is kept per bureau (storage.models_documents.ReportText) and audited."""

from __future__ import annotations

import io
import logging
import re
import zipfile

from bot import policy, texts
from bot.context import Context
from bot.counting import AsOf
from bot.documents import report_sections as rs
from bot.documents import report_service, service
from bot.documents.files import DOCX, sniff
from bot.messages import Document, Kind
from conversations.parsing import normalize
from storage.models import Bureau
from storage.repositories.documents import DocumentRepo

log = logging.getLogger(__name__)

FLOW = "report"
CANCEL_WORDS = {"取消", "退出", "/cancel"}
DOC_NO = re.compile(r"〔\d{4}〕\s*\d+\s*号")


def _names() -> dict[str, str]:
    """Section words -> key, and each key's own name."""
    names = dict(texts.RPT_SECTION_WORDS)
    names.update({v: k for k, v in texts.RPT_SECTION_EXTRA.items()})
    names.update({texts.RPT_SECTIONS[k]: k for k in rs.SECTIONS})
    return names


def label(key: str) -> str:
    return texts.RPT_SECTIONS.get(key) or texts.RPT_SECTION_EXTRA.get(key) or texts.RPT_FIELD_NAMES.get(key, key)


async def report(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    if not policy.may_report_on(ctx.member, ctx.member.bureau):
        ctx.reply(texts.REPORT_FORBIDDEN)
        return
    bureau, rest = await _target(ctx, normalize(arg))
    if bureau is None:
        return
    word, _, value = rest.partition(" ")
    value = value.strip()
    if not word:
        await send_draft(ctx, bureau)
    elif word in texts.RPT_FINAL_WORDS:
        await send_final(ctx, bureau)
    elif word in texts.RPT_INTERNAL_WORDS:
        await send_internal(ctx, bureau)
    elif word in texts.RPT_FIELD_WORDS:
        await set_field(ctx, bureau, texts.RPT_FIELD_WORDS[word], value)
    elif word in texts.RPT_EDIT_WORDS or word in texts.RPT_RESET_WORDS:
        name, _, text = value.partition(" ")
        key = _names().get(name)
        if key is None:
            ctx.reply(texts.RPT_UNKNOWN_SECTION.format(name=name[:20], names="、".join(
                [label(k) for k in rs.SECTIONS] + list(texts.RPT_SECTION_EXTRA.values()))))
        elif word in texts.RPT_RESET_WORDS:
            await reset(ctx, bureau, key)
        elif text.strip():
            await save(ctx, bureau, key, text.strip())
        else:
            await ask_section(ctx, bureau, key)
    else:
        await send_draft(ctx, bureau)


async def _target(ctx: Context, arg: str) -> tuple[Bureau | None, str]:
    """The bureau named first in the message (a supervisor's own when none), and the rest."""
    assert ctx.member is not None
    head, _, rest = arg.partition(" ")
    if not head or head in texts.RPT_FINAL_WORDS | texts.RPT_INTERNAL_WORDS | texts.RPT_EDIT_WORDS \
            | texts.RPT_RESET_WORDS or head in texts.RPT_FIELD_WORDS:
        return ctx.member.bureau, arg
    target = await ctx.repos.org.bureau(head) or await ctx.repos.org.bureau(head + "县")
    if target is None:
        ctx.reply(texts.REPORT_NO_BUREAU.format(name=head[:20]))
        return None, ""
    if not policy.may_report_on(ctx.member, target):
        ctx.reply(texts.REPORT_OTHER_BUREAU)
        return None, ""
    return target, rest.strip()


def _as_of(ctx: Context) -> AsOf:
    return AsOf.of(ctx.today, ctx.now)


async def _scope(ctx: Context, bureau: Bureau) -> rs.ReportScope:
    return await report_service.load_scope(ctx.repos, ctx.campaign, bureau, _as_of(ctx), ctx.member)


async def send_draft(ctx: Context, bureau: Bureau) -> None:
    try:
        scope = await _scope(ctx, bureau)
    except report_service.NotInCampaign:
        ctx.reply(texts.REPORT_NO_BUREAU.format(name=bureau.short_name))
        return
    name = service.report_name(ctx.campaign, bureau, ctx.today)
    ref = await service.chat_document(ctx.media, name, lambda out: _build(scope, out, final=False))
    lines = []
    for n, key in enumerate([*rs.FIELDS, *rs.SECTIONS], 1):
        text = rs.field_value(scope, key) if key in rs.FIELDS else rs.section_text(scope, key)
        state = (texts.RPT_FIELD_MISSING if rs.unfilled(text) else
                 texts.RPT_FIELD_EDITED if scope.edits.get(key) else "")
        lines.append(texts.RPT_FIELD_LINE.format(n=n, name=label(key), state=state))
    ctx.reply(Document(ref, name, texts.REPORT_CAPTION.format(title=rs.title(scope), date=ctx.today.isoformat())))
    ctx.reply(texts.RPT_SENT.format(title=rs.title(scope), day=ctx.today.isoformat(), fields="\n".join(lines)))


async def _build(scope: rs.ReportScope, out, final: bool):
    from bot.documents.report_docx import build_report

    return build_report(scope, out, final=final)


async def send_final(ctx: Context, bureau: Bureau) -> None:
    scope = await _scope(ctx, bureau)
    missing = rs.unfilled_parts(scope)
    if missing:
        ctx.reply(texts.RPT_FINAL_BLOCKED.format(missing="、".join(missing)))
        return
    name = service.report_name(ctx.campaign, bureau, ctx.today).replace(".docx", "_定稿.docx")
    ref = await service.chat_document(ctx.media, name, lambda out: _build(scope, out, final=True))
    ctx.reply(Document(ref, name, texts.REPORT_CAPTION.format(title=rs.title(scope), date=ctx.today.isoformat())))
    ctx.reply(texts.RPT_FINAL_SENT.format(title=rs.title(scope), day=ctx.today.isoformat(),
                                          deadline=ctx.campaign.report_deadline.isoformat(),
                                          to=rs.field_value(scope, "to")))


async def send_internal(ctx: Context, bureau: Bureau) -> None:
    name = service.safe_name(texts.RPT_INTERNAL_TITLE.format(bureau=bureau.short_name, day=ctx.today.isoformat())
                             ) + ".docx"
    ref = await service.chat_document(ctx.media, name, lambda out: report_service.internal_file(
        ctx.repos, ctx.campaign, bureau, _as_of(ctx), out))
    ctx.reply(Document(ref, name, texts.RPT_INTERNAL_MARK))


async def set_field(ctx: Context, bureau: Bureau, key: str, value: str) -> None:
    if not value:
        ctx.reply(texts.RPT_EDIT_EMPTY)
        return
    if key == "doc_no":
        from bot.documents.official import doc_number

        value = doc_number(value)
        if not DOC_NO.search(value):
            ctx.reply(texts.RPT_DOC_NO_BAD)
            return
    if key == "contact":  # "王督查 0356-3021234" -> 联系人：王督查，联系电话：0356-3021234
        name, _, phone = value.partition(" ")
        if phone.strip() and not value.startswith(texts.RPT_CONTACT.split("：", 1)[0]):
            value = texts.RPT_CONTACT.format(name=name, phone=phone.strip())
    await save(ctx, bureau, key, value)


async def save(ctx: Context, bureau: Bureau, key: str, text: str) -> None:
    assert ctx.member is not None
    await DocumentRepo(ctx.repos.session, ctx.repos.audit).set_report_text(ctx.campaign.id, bureau.id, key, text,
                                                                            ctx.member.id)
    if key in rs.FIELDS:
        ctx.reply(texts.RPT_FIELD_SAVED.format(name=label(key), value=text))
    else:
        ctx.reply(texts.RPT_SECTION_SAVED.format(name=label(key)))


async def reset(ctx: Context, bureau: Bureau, key: str) -> None:
    assert ctx.member is not None
    done = await DocumentRepo(ctx.repos.session, ctx.repos.audit).reset_report_text(
        ctx.campaign.id, bureau.id, key, ctx.member.id)
    ctx.reply((texts.RPT_SECTION_RESET if done else texts.RPT_SECTION_NOT_EDITED).format(name=label(key)))


async def ask_section(ctx: Context, bureau: Bureau, key: str) -> None:
    scope = await _scope(ctx, bureau)
    current = (scope.edits.get(key) or (rs.section_text(scope, key) if key in rs.SECTIONS else "")
               or texts.RPT_MISSING.format(what=label(key)))
    ctx.cursor = {"flow": FLOW, "bureau": bureau.id, "key": key}
    ctx.reply(texts.RPT_ASK_SECTION.format(name=label(key), current=current))


# ---- the next message, while a section is asked for
def in_flow(ctx: Context) -> bool:
    return bool(ctx.cursor and ctx.cursor.get("flow") == FLOW)


async def handle(ctx: Context) -> None:
    assert ctx.cursor is not None and ctx.member is not None
    key, bureau = ctx.cursor["key"], await ctx.repos.org.bureau_by_id(ctx.cursor["bureau"])
    msg = ctx.msg
    if bureau is None or not policy.may_report_on(ctx.member, bureau):
        ctx.cursor = None
        ctx.reply(texts.REPORT_FORBIDDEN)
        return
    if msg.kind in (Kind.TEXT, Kind.COMMAND) and normalize(msg.text) in CANCEL_WORDS:
        ctx.cursor = None
        ctx.reply(texts.RPT_EDIT_CANCELLED.format(name=label(key)))
        return
    if msg.kind == Kind.FILE and msg.media is not None:
        text = await _file_text(ctx)
        if text is None:
            return
    elif msg.kind == Kind.TEXT:
        text = msg.text
    else:
        ctx.reply(texts.RPT_EDIT_BAD_FILE)
        return
    text = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
    if not text:
        ctx.reply(texts.RPT_EDIT_EMPTY)
        return
    ctx.cursor = None
    await save(ctx, bureau, key, text)


async def _file_text(ctx: Context) -> str | None:
    """The text of a Word (.docx) or plain-text file; None (and a reply) for anything else."""
    try:
        data = await ctx.fetch_media(ctx.msg.media)
    except Exception:  # noqa: BLE001 - the platform or the network failed: ask again
        log.warning("report text file download failed", exc_info=True)
        ctx.reply(texts.RPT_EDIT_FILE_FAILED)
        return None
    if sniff(data) == DOCX:
        return docx_text(data)
    if b"\x00" not in data[:4096]:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    ctx.reply(texts.RPT_EDIT_BAD_FILE)
    return None


def docx_text(data: bytes) -> str:
    from docx import Document as open_docx

    try:
        doc = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return ""
    return "\n".join(p.text for p in doc.paragraphs)
