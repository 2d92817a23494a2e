"""Driving the bot the way people do, for the documents tests: a whole inspection through the chat,
and reading back what was sent and stored."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docx import Document as open_docx
from sqlalchemy import select

from bot.messages import Document
from storage.models import Inspection

ENTERPRISE = "泽州县巴公煤业有限公司"


async def complete_inspection(bot, images, name: str = ENTERPRISE, industry: str = "煤矿",
                              co: str = "王五") -> str:
    """A whole inspection with two failures, a certificate finding, photos and a signed page.
    Returns everything the bot said at the submit."""
    await bot.say("开始检查")
    await bot.say(name)
    options = bot.last_choices().options
    if options[0].label.startswith(name):
        await bot.say("1")
    else:
        await bot.say(str(len(options)))
        await bot.say(industry)
    await bot.say(co)
    await bot.say("2023年5月10日")
    await bot.say("/location 35.50 112.84")
    assert "照片已保存到 1.1" in await bot.say(f"/photo {images['plan']} 2023年度培训计划")
    await bot.say("符合")  # 1.1
    await bot.say("不符合")  # 1.2
    await bot.say(f"/photo {images['sheet']} 考勤表")
    await bot.say("年度再教育缺 3 人，考勤表有代签")
    await bot.say("不适用")  # 1.3
    await bot.say("符合")  # 2.1 -> certificate register
    for line in ("登记一人", "李四", "特种作业人员", "特种作业操作证", "T14052519800101", "2023-01-31", "已查到"):
        await bot.say(line)
    await bot.say(f"/photo {images['cert']}")
    await bot.say("完成")
    assert "已确认" in await bot.say("确认是问题")
    await bot.say("登记完成")
    await bot.say("符合")  # 2.2
    await bot.say("不符合")  # 2.3
    await bot.say("李四特种作业操作证过期仍上岗")
    for _ in range(3):  # 3.1 .. 3.3
        reply = await bot.say("符合")
    assert "汇总" in reply
    await bot.say("提交")
    await bot.say("赵总")
    await bot.say(f"/photo {images['form']}")
    await bot.say("完成")
    return await bot.say("确认提交")


def documents_sent(bot, user: str | None = None) -> list[Document]:
    user = user or bot.user
    return [m for chat, m in bot.console.sent if chat == user and isinstance(m, Document)]


async def rows(bot, model, **where) -> list:
    async def q(repos):
        stmt = select(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return list((await repos.session.scalars(stmt.order_by(model.id))).all())
    return await bot.query(q)


def docx_text(path: str | Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def docx_image_hashes(path: str | Path) -> list[str]:
    """sha256 of every picture shown in the document, in order of appearance."""
    doc = open_docx(str(path))
    out = []
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        out.append(hashlib.sha256(doc.part.related_parts[rid].blob).hexdigest())
    return out


async def finish_case_from_first_inspection(bot, images) -> str:
    """A typical case from the member's inspection, pre-filled values kept. Returns the last reply."""
    assert "空白开始" in await bot.say("典型案例")
    for line in ["1", "沿用", "沿用", "沿用", "沿用", "沿用",
                 "证书过期仍在岗，暴露出持证台账流于形式，检查应逐人核对证件。",
                 f"/photo {images['cert']} 证件", "完成",
                 "张检查 14050220230017 13800000001", "王五 14050220230018 13800000002"]:
        await bot.say(line)
    return await bot.say("完成并导出")


async def submit_two_findings(bot, name: str, signed: Path, *, photo: Path | None = None,
                              industry: str = "煤矿", minutes: int = 0) -> int:
    """An inspection with two findings (1.2 考勤表有代签, 3.1 一人一档缺考试试卷), `photo` sent at 1.1,
    begun `minutes` before it is answered (0: all at once, which the integrity check calls too fast;
    answers carry the wall-clock time, so the start is moved back as the integrity tests do), signed
    with `signed`. Returns its id."""
    from tests.conversations.test_inspection import begin
    from tests.integrity.test_chat import backdate_start

    await begin(bot, name, industry)
    if photo is not None:
        assert "照片已保存到 1.1" in await bot.say(f"/photo {photo}")
    if minutes:
        [insp] = [i for i in await rows(bot, Inspection) if i.enterprise.name == name and i.status == "draft"]
        await backdate_start(bot, insp.id, minutes)
    for line in ("符合", "不符合", "考勤表有代签", "符合", "符合", "登记完成", "符合", "符合", "不符合",
                 "一人一档缺考试试卷", "符合"):
        await bot.say(line)
    assert "问题 2 项" in await bot.say("符合")
    for line in ("提交", "赵总", f"/photo {signed}", "完成"):
        await bot.say(line)
    assert "已提交" in await bot.say("确认提交")
    [insp] = [i for i in await rows(bot, Inspection) if i.enterprise.name == name]
    return insp.id


def docx_table(path: str | Path, header: list[str]) -> list[list[str]]:
    """The rows under the first table whose header row is exactly `header`."""
    for table in open_docx(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows and rows[0] == header:
            return rows[1:]
    raise AssertionError(f"no table with header {header}")


async def stamp_records(bot) -> None:
    """Date what the chat recorded by the harness clock. The repositories stamp the wall clock while
    the conversation runs on the harness's (2023), so a document "as of" a 2023 day made by a process
    on the wall clock would see none of it (bot.counting.AsOf)."""
    from sqlalchemy import update

    from storage.models import IntegrityFlag, RectificationOrder, TypicalCase
    from storage.models_enforcement import FollowUp, InspectionReview

    moment = bot.now

    async def q(repos):
        s = repos.session
        await s.execute(update(Inspection).where(Inspection.submitted_at.is_not(None)).values(submitted_at=moment))
        await s.execute(update(RectificationOrder).values(created_at=moment))
        await s.execute(update(RectificationOrder).where(RectificationOrder.closed_at.is_not(None)).values(
            closed_at=moment))
        await s.execute(update(TypicalCase).where(TypicalCase.finished_at.is_not(None)).values(finished_at=moment))
        await s.execute(update(InspectionReview).values(decided_at=moment))
        await s.execute(update(IntegrityFlag).values(created_at=moment))
        await s.execute(update(FollowUp).values(created_at=moment))
        await repos.commit()
    await bot.query(q)
