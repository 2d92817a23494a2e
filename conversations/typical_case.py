"""The typical enforcement case conversation (附件2): `典型案例` or `/case [检查编号]`.
Every state in one table; 上一步 / 取消 / 帮助 / 修改 标题 work at any step. The cursor is
{"flow": "case", "cid": case id, "state": ..., "back": [...]}; the draft is in the database after
each answer, so a lost cursor loses nothing: `典型案例` continues the draft. Diagram: typical_case.mmd."""

from __future__ import annotations

import re

from bot import policy, texts
from bot.context import Context
from bot.documents.records import load_record
from bot.documents.service import case_document, case_name, chat_document
from bot.documents.files import file_key
from bot.messages import Document, Kind
from conversations import typical_case_steps as steps
from conversations.flow import Answer, BadInput, State, ask, cursor, not_an_option, refuse_press, resolve
from conversations.parsing import normalize
from conversations.typical_case_prefill import prefill
from storage.models import Inspection, TypicalCase
from storage.repositories.exports import ExportRepo

FLOW = "case"
BACK_WORDS = {"上一步", "返回", "/back"}
CANCEL_WORDS = {"取消", "退出", "/cancel"}
HELP_WORDS = {"帮助", "/help", "?", "？"}
BUSY_WORDS = {"开始检查", "/inspect", "典型案例", "/case"}
EDIT = re.compile(r"^(?:修改|改)\s*(\S+)$")
NEW_WORDS = {"新", "新建", "new"}
SOURCE_CHOICES = 6


async def _after(ctx: Context, field: str) -> None:
    """After a field is saved: back to the summary when editing, else on to the next field."""
    if cursor(ctx).pop("edit", False) or field == steps.FIELDS[-1]:
        await goto(ctx, "review")
    else:
        await goto(ctx, steps.FIELDS[steps.FIELDS.index(field) + 1])


async def ask_source(ctx: Context) -> None:
    names = {i.id: i for i in await _candidates(ctx)}
    options = [(texts.CASE_SOURCE_LINE.format(id=i.id, name=i.enterprise.name, date=i.inspection_date.isoformat(),
                                              n=n), str(i.id))
               for i, n in ((names[iid], cnt) for iid, cnt in cursor(ctx).get("cands", []) if iid in names)]
    ask(ctx, texts.CASE_CHOOSE_SOURCE, options + [(texts.CASE_BLANK, "blank")])


async def on_source(ctx: Context, a: Answer) -> None:
    if a.kind == "text":
        if a.value.lstrip("#").isdigit():
            await start_from_inspection(ctx, int(a.value.lstrip("#")))
            return
        raise BadInput(not_an_option([label for label, _ in cursor(ctx).get("opts", [])], number=False))
    if a.value == "blank":
        await _create(ctx, None)
    else:
        await start_from_inspection(ctx, int(a.value))


async def ask_review(ctx: Context) -> None:
    case = await steps.case_of(ctx)
    files = await steps.repo(ctx).files(case.id)
    values = {"title": case.title, "keywords": "、".join(case.keywords or []), "gist": steps.short(case.gist),
              "facts": steps.short(case.facts), "reasoning": steps.short(case.reasoning),
              "commentary": steps.short(case.commentary), "files": texts.CASE_FILES_COUNT.format(n=len(files)),
              "officers": "、".join(f"{o['name']}（{o['badge_no']}，{o['contact']}）" for o in case.officers or [])}
    body = "\n".join(f"{texts.CASE_FIELD_LABELS[f]}：{values[f] or '—'}" for f in steps.FIELDS)
    ask(ctx, texts.CASE_REVIEW.format(id=case.id, body=body), [(texts.CASE_FINISH, "finish")])


async def on_review(ctx: Context, a: Answer) -> None:
    case = await steps.case_of(ctx)
    missing = await steps.missing(ctx, case)
    if missing:
        raise BadInput(texts.CASE_INCOMPLETE.format(missing="、".join(texts.CASE_FIELD_LABELS[f] for f in missing)))
    await finish(ctx, case)


STATES: dict[str, State] = {
    "source": State(ask_source, on_source, free_text=True),
    **{f: State(steps.asker(f), steps.on_text(f, _after), free_text=True) for f in steps.TEXT_FIELDS},
    "keywords": State(steps.ask_keywords, steps.on_keywords(_after), free_text=True),
    "files": State(steps.ask_files, steps.on_files(_after), free_text=True, photos=True),
    "officers": State(steps.ask_officers, steps.on_officers(_after), free_text=True),
    "review": State(ask_review, on_review),
}


def in_flow(ctx: Context) -> bool:
    return bool(ctx.cursor and ctx.cursor.get("flow") == FLOW)


async def goto(ctx: Context, state: str, remember: bool = True) -> None:
    cur = cursor(ctx)
    if remember and cur.get("state") and cur["state"] != state:
        cur.setdefault("back", []).append(cur["state"])
        del cur["back"][:-30]
    cur["state"] = state
    await STATES[state].ask(ctx)


# ---- ways in
async def start(ctx: Context, arg: str) -> None:
    assert ctx.member is not None
    arg = normalize(arg).lstrip("#")
    if arg.isdigit():
        await start_from_inspection(ctx, int(arg))
        return
    if arg.lower() not in NEW_WORDS:
        drafts = await steps.repo(ctx).drafts_of(ctx.member.id)
        if drafts:
            await resume(ctx, drafts[0])
            return
    ctx.cursor = {"flow": FLOW, "back": []}
    candidates = await _candidates(ctx)
    if not candidates:
        await _create(ctx, None)
        return
    findings = ExportRepo(ctx.repos.session)
    counts = await findings.findings([i.id for i in candidates])
    cursor(ctx)["cands"] = [[i.id, sum(1 for f in counts.get(i.id, []) if f.confirmed)] for i in candidates]
    await goto(ctx, "source", remember=False)


async def _candidates(ctx: Context) -> list[Inspection]:
    """The member's submitted inspections that found something: the usual starting points."""
    assert ctx.member is not None
    rows = [i for i in await ctx.repos.inspections.of_member(ctx.member.id) if i.status == "submitted"]
    found = await ExportRepo(ctx.repos.session).findings([i.id for i in rows])
    return [i for i in rows if any(f.confirmed for f in found.get(i.id, []))][:SOURCE_CHOICES]


async def start_from_inspection(ctx: Context, inspection_id: int) -> None:
    assert ctx.member is not None
    insp = await ctx.repos.inspections.get(inspection_id)
    if insp is None or insp.status == "cancelled" or not policy.may_export(ctx.member, insp):
        ctx.cursor = None
        ctx.reply(texts.CASE_SOURCE_NOT_FOUND.format(id=inspection_id))
        return
    await _create(ctx, insp)


async def _create(ctx: Context, insp: Inspection | None) -> None:
    assert ctx.member is not None
    values: dict = {}
    if insp is not None:
        record = await load_record(ctx.repos, insp)
        ids = {i.member_id for i in insp.inspectors if i.member_id}
        values = prefill(ctx.campaign, record, await ExportRepo(ctx.repos.session).members(ids))
    case = await steps.repo(ctx).create(campaign_id=ctx.campaign.id, bureau_id=ctx.member.bureau_id,
                                        created_by=ctx.member.id, inspection_id=insp.id if insp else None, **values)
    ctx.cursor = {"flow": FLOW, "cid": case.id, "back": []}
    ctx.reply(texts.CASE_STARTED.format(id=case.id))
    if insp is not None:
        ctx.reply(texts.CASE_PREFILLED.format(iid=insp.id, name=insp.enterprise.name))
    await goto(ctx, "title", remember=False)


async def resume(ctx: Context, case: TypicalCase) -> None:
    ctx.cursor = {"flow": FLOW, "cid": case.id, "back": []}
    ctx.reply(texts.CASE_RESUMED.format(id=case.id))
    missing = await steps.missing(ctx, case)
    await goto(ctx, missing[0] if missing else "review", remember=False)


# ---- one message inside the flow
async def handle(ctx: Context) -> None:
    state_name = cursor(ctx)["state"]
    state = STATES[state_name]
    text = normalize(ctx.msg.text) if ctx.msg.kind in (Kind.TEXT, Kind.COMMAND) else ""
    try:
        if text and await _command(ctx, text, state_name):
            return
        if ctx.msg.kind == Kind.FILE and state_name == "files":
            await steps.store_file(ctx)
            return
        await state.on(ctx, resolve(ctx, state))
    except BadInput as bad:
        if refuse_press(ctx, bad):
            return
        ctx.reply(str(bad))
        if in_flow(ctx) and cursor(ctx).get("state") == state_name:
            await state.ask(ctx)


async def _command(ctx: Context, text: str, state_name: str) -> bool:
    word = text.lower()
    cid = cursor(ctx).get("cid")
    if word in BACK_WORDS:
        stack = cursor(ctx).get("back") or []
        if not stack:
            ctx.reply(texts.CASE_NO_BACK)
            await STATES[state_name].ask(ctx)
        else:
            cursor(ctx).pop("edit", None)
            await goto(ctx, stack.pop(), remember=False)
    elif word in HELP_WORDS:
        ctx.reply(texts.CASE_HELP)
        await STATES[state_name].ask(ctx)
    elif word in CANCEL_WORDS:
        ctx.cursor = None
        ctx.reply(texts.CASE_LEFT.format(id=cid) if cid else texts.START_ABANDONED)
    elif word.split(" ")[0] in BUSY_WORDS and cid:
        ctx.reply(texts.CASE_BUSY.format(id=cid))
        await STATES[state_name].ask(ctx)
    elif cid and (m := EDIT.match(text)) and m.group(1) in texts.CASE_FIELD_ALIASES:
        cursor(ctx)["edit"] = True
        await goto(ctx, texts.CASE_FIELD_ALIASES[m.group(1)])
    else:
        return False
    return True


async def finish(ctx: Context, case: TypicalCase) -> None:
    """Finished: counts toward the bureau's quota; the .docx (and any attached PDF / Word) is sent."""
    assert ctx.member is not None
    cases = steps.repo(ctx)
    cases.finish(case, ctx.member.id)
    name = case_name(case)
    unshown: list = []  # 执法文书 the Word file could not show: sent with it

    async def make(out):
        path, missing = await case_document(ctx.repos, ctx.media, case, out)
        unshown.extend(missing)
        return path

    ref = await chat_document(ctx.media, name, make)
    ctx.cursor = None
    count = await cases.finished_count(ctx.campaign.id, case.bureau_id)
    bureau = await ctx.repos.org.bureau_by_id(case.bureau_id)
    quota = ctx.campaign.quota_for(bureau.level if bureau else "county").typical_cases
    ctx.reply(texts.CASE_FINISHED.format(id=case.id, title=case.title, count=count, quota=quota))
    ctx.reply(Document(ref, name, texts.CASE_DOC_CAPTION.format(id=case.id)))
    for f in unshown:
        ctx.reply(Document(ctx.media.ref(file_key(f.sha256, f.media_type)), f.filename))
