"""The steps of the typical-case conversation: one ask and one on per field of 附件2."""

from __future__ import annotations

import logging

from bot import texts
from bot.context import Context
from bot.documents.files import FILE_TYPES, store_case_file
from bot.media import MediaRejected, StoreUnavailable
from conversations import typical_case_checks as checks
from conversations.flow import Answer, BadInput, ask, cursor
from storage.models import TypicalCase
from storage.repositories.cases import CaseRepo
from storage.repositories.documents import DocumentRepo

log = logging.getLogger(__name__)

FIELDS = ["title", "keywords", "gist", "facts", "reasoning", "commentary", "files", "officers"]
TEXT_FIELDS = ("title", "gist", "facts", "reasoning", "commentary")
DONE_WORDS = {"完成", "下一步", "好了", "/done"}
KEEP = [(texts.CASE_KEEP, "keep")]
PREVIEW = 60
MAX_CAPTION = 60


def repo(ctx: Context) -> CaseRepo:
    return CaseRepo(ctx.repos.session, ctx.repos.audit)


def member_id(ctx: Context) -> int:
    assert ctx.member is not None
    return ctx.member.id


async def case_of(ctx: Context) -> TypicalCase:
    found = await repo(ctx).get(cursor(ctx).get("cid") or 0)
    if found is None:
        raise LookupError("the cursor names no typical case")
    return found


def short(text: str, n: int = PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def officer_names(case: TypicalCase) -> str:
    return "、".join(o["name"] for o in case.officers or [])


# ---- the free-text fields
def _prompt(ctx: Context, field: str) -> str:
    rules = ctx.campaign.typical_case
    return {"title": texts.CASE_ASK_TITLE, "gist": texts.CASE_ASK_GIST.format(points="、".join(rules.key_points)),
            "facts": texts.CASE_ASK_FACTS, "reasoning": texts.CASE_ASK_REASONING,
            "commentary": texts.CASE_ASK_COMMENTARY}[field]


def asker(field: str):
    async def ask_field(ctx: Context) -> None:
        current = getattr(await case_of(ctx), field)
        text = _prompt(ctx, field)
        if current:
            ask(ctx, text + "\n" + texts.CASE_CURRENT.format(value=short(current, 300)), KEEP)
        else:
            ask(ctx, text)
    return ask_field


async def validate_text(ctx: Context, field: str, value: str) -> str:
    if field == "title":
        names = [n for b in await ctx.repos.org.bureaus() for n in (b.name,)]
        enterprise = []
        case = await case_of(ctx)
        if case.inspection_id:
            insp = await ctx.repos.inspections.get(case.inspection_id)
            enterprise = [insp.enterprise.name] if insp else []
        return checks.check_title(value, names, enterprise)
    if field == "gist":
        return checks.check_gist(value, ctx.campaign.typical_case.key_points)
    return checks.check_length(field, value.strip())


def on_text(field: str, after):
    async def on_field(ctx: Context, a: Answer) -> None:
        case = await case_of(ctx)
        # The text as typed: normalising would turn Chinese punctuation (：) into ASCII in the document.
        value = getattr(case, field) if a.kind == "option" and a.value == "keep" else ctx.msg.text.strip()
        value = await validate_text(ctx, field, value)
        repo(ctx).update(case, member_id(ctx), **{field: value})
        ctx.reply(texts.CASE_SAVED_FIELD.format(label=texts.CASE_FIELD_LABELS[field]))
        await after(ctx, field)
    return on_field


# ---- keywords: 3 to 5; too few are kept and completed by the next message
async def ask_keywords(ctx: Context) -> None:
    case = await case_of(ctx)
    low, high = ctx.campaign.typical_case.keywords["min"], ctx.campaign.typical_case.keywords["max"]
    have = case.keywords or []
    if 0 < len(have) < low:
        ask(ctx, texts.CASE_ASK_KEYWORDS_MORE.format(have="、".join(have), need=low - len(have)),
            [(texts.CASE_REDO, "redo")])
        return
    text = texts.CASE_ASK_KEYWORDS.format(min=low, max=high)
    if have:
        ask(ctx, text + "\n" + texts.CASE_CURRENT.format(value="、".join(have)), KEEP)
    else:
        ask(ctx, text)


def on_keywords(after):
    async def on_field(ctx: Context, a: Answer) -> None:
        case = await case_of(ctx)
        low, high = ctx.campaign.typical_case.keywords["min"], ctx.campaign.typical_case.keywords["max"]
        have = list(case.keywords or [])
        if a.kind == "option" and a.value == "redo":
            repo(ctx).update(case, member_id(ctx), keywords=[])
            await ask_keywords(ctx)
            return
        if a.kind == "option" and a.value == "keep":
            merged = have
        else:
            words = checks.parse_keywords(a.value)
            base = have if len(have) < low else []
            bad = checks.bad_keyword(words)
            if bad is not None:
                raise BadInput(texts.CASE_KEYWORD_LENGTH.format(word=bad, have="、".join(base) or texts.DOC_NONE))
            merged = list(dict.fromkeys(base + words))
            if len(merged) > high:
                raise BadInput(texts.CASE_KEYWORDS_MANY.format(max=high, n=len(merged), have="、".join(merged)))
            repo(ctx).update(case, member_id(ctx), keywords=merged)
        if len(merged) < low:
            raise BadInput(texts.CASE_KEYWORDS_FEW.format(min=low, max=high, n=len(merged)))
        ctx.reply(texts.CASE_SAVED_FIELD.format(label=texts.CASE_FIELD_LABELS["keywords"]))
        await after(ctx, "keywords")
    return on_field


# ---- 执法文书: photos or PDF / Word files, stored like evidence
async def ask_files(ctx: Context) -> None:
    n = len(await repo(ctx).files(cursor(ctx)["cid"]))
    options = [(texts.CASE_FILES_DONE, "done")] + ([(texts.CASE_FILES_CLEAR, "clear")] if n else [])
    ask(ctx, texts.CASE_ASK_FILES.format(n=n), options)


async def store_file(ctx: Context) -> None:
    media = ctx.msg.media
    if media is None:
        raise BadInput(texts.PHOTO_MISSING)
    mb = ctx.media.max_bytes // (1024 * 1024)
    if media.size is not None and media.size > ctx.media.max_bytes:
        raise BadInput(texts.CASE_FILE_TOO_BIG.format(mb=mb))
    try:
        data = await ctx.fetch_media(media)
    except Exception:  # noqa: BLE001 - the platform or the network failed: ask again
        log.warning("case file download failed", exc_info=True)
        raise BadInput(texts.CASE_FILE_FAILED) from None
    try:
        stored = await store_case_file(ctx.media, data)
    except StoreUnavailable as exc:  # nothing stored: the step is asked again
        log.warning("evidence store unavailable; case file refused: %s", exc)
        raise BadInput(texts.CASE_FILE_STORE_DOWN) from None
    except MediaRejected as exc:
        if exc.reason == "too_big":
            raise BadInput(texts.CASE_FILE_TOO_BIG.format(mb=mb)) from None
        raise BadInput(texts.CASE_FILE_BAD.format(name=media.filename or texts.CASE_FIELD_LABELS["files"])) from None
    case = await case_of(ctx)
    cases = repo(ctx)
    n = len(await cases.files(case.id)) + 1
    ext = FILE_TYPES.get(stored.media_type) or stored.media_type.split("/")[-1]
    row = await cases.add_file(case, member_id(ctx), sha256=stored.sha256, media_type=stored.media_type,
                               filename=(media.filename or f"{texts.CASE_FIELD_LABELS['files']}{n}.{ext}")[:200],
                               size=stored.size)
    caption = (ctx.msg.text or "").strip()[:MAX_CAPTION]
    if caption:  # typed with the photo or file; else the next message may give it
        await DocumentRepo(ctx.repos.session, ctx.repos.audit).set_caption(case.id, row.id, caption, member_id(ctx))
    ctx.reply(texts.CASE_FILE_SAVED.format(n=n) + ("" if caption else texts.CASE_FILE_CAPTION_HINT.format(n=n)))


async def caption_last_file(ctx: Context, text: str) -> None:
    """A text at the 执法文书 step names the latest file (WeCom photos carry no caption)."""
    case = await case_of(ctx)
    files = await repo(ctx).files(case.id)
    if not files:
        raise BadInput(texts.CASE_FILES_NEEDED)
    caption = text.strip()[:MAX_CAPTION]
    await DocumentRepo(ctx.repos.session, ctx.repos.audit).set_caption(case.id, files[-1].id, caption,
                                                                       member_id(ctx))
    ctx.reply(texts.CASE_FILE_CAPTIONED.format(n=len(files), caption=caption))


def on_files(after):
    async def on_field(ctx: Context, a: Answer) -> None:
        if a.kind == "photo":
            await store_file(ctx)
            return
        cases = repo(ctx)
        case = await case_of(ctx)
        if a.kind == "text" and a.value not in DONE_WORDS:
            await caption_last_file(ctx, a.value)
            await ask_files(ctx)
            return
        if a.value == "clear":
            n = await cases.remove_files(case, member_id(ctx))
            ctx.reply(texts.CASE_FILES_CLEARED.format(n=n))
            await ask_files(ctx)
            return
        if not await cases.files(case.id):
            raise BadInput(texts.CASE_FILES_NEEDED)
        await after(ctx, "files")
    return on_field


# ---- 执法人员: two, each with name, 执法证号 and contact
async def ask_officers(ctx: Context) -> None:
    case = await case_of(ctx)
    officers = case.officers or []
    names = f"（{officer_names(case)}）" if officers else ""
    options = ([(texts.CASE_KEEP, "keep")] if len(officers) >= ctx.campaign.typical_case.officers else [])
    options += [(texts.CASE_REDO, "redo")] if officers else []
    ask(ctx, texts.CASE_ASK_OFFICERS.format(n=len(officers), names=names), options)


def on_officers(after):
    async def on_field(ctx: Context, a: Answer) -> None:
        case = await case_of(ctx)
        need = ctx.campaign.typical_case.officers
        have = [dict(o) for o in case.officers or []]
        if a.kind == "option" and a.value == "redo":
            repo(ctx).update(case, member_id(ctx), officers=[])
            await ask_officers(ctx)
            return
        if a.kind == "text" and a.value not in DONE_WORDS:
            have = _add_officers(ctx, case, have, a.value, need)
        if len(have) < need:
            names = f"（{'、'.join(o['name'] for o in have)}）" if have else ""
            raise BadInput(texts.CASE_OFFICER_ONE.format(n=len(have), names=names, need=need - len(have)))
        ctx.reply(texts.CASE_OFFICER_SAVED.format(names=officer_names(case)))
        await after(ctx, "officers")
    return on_field


def _add_officers(ctx: Context, case: TypicalCase, have: list[dict], text: str, need: int) -> list[dict]:
    """Keep every valid officer in the message; refuse the rest, each with its own reason."""
    base = have if len(have) < need else []
    errors = []
    for line in checks.officer_lines(text):
        try:
            officer = checks.parse_officer(line)
        except BadInput as bad:
            errors.append(str(bad))
            continue
        same = next((o for o in base if o["badge_no"] == officer["badge_no"]), None)
        if same is not None:
            errors.append(texts.CASE_OFFICER_DUPLICATE.format(badge_no=officer["badge_no"], name=same["name"]))
        elif len(base) >= need:
            errors.append(texts.CASE_OFFICER_TOO_MANY.format(names="、".join(o["name"] for o in base)))
        else:
            base.append(officer)
    repo(ctx).update(case, member_id(ctx), officers=base)
    if errors:
        raise BadInput("\n".join(errors))
    return base


# ---- what is still missing before the case can be finished
async def missing(ctx: Context, case: TypicalCase) -> list[str]:
    out = []
    for field in TEXT_FIELDS:
        try:
            await validate_text(ctx, field, getattr(case, field) or "")
        except BadInput:
            out.append(field)
    rules = ctx.campaign.typical_case
    if not rules.keywords["min"] <= len(case.keywords or []) <= rules.keywords["max"]:
        out.insert(1, "keywords")
    if not await repo(ctx).files(case.id):
        out.append("files")
    if len(case.officers or []) != rules.officers:
        out.append("officers")
    return sorted(out, key=FIELDS.index)
