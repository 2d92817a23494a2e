"""Render the example pages under docs/ from one realistic data set (needs LibreOffice and
poppler-utils; fonts: fonts-noto-cjk, fonts-arphic-gkai00mp — see docs/documents.md):

    .venv/bin/python -m tests.documents.make_examples docs/

The data set: the progress data set of tests/progress/dataset.py (three bureaus, an enterprise both
泽州县 and 市局 inspected, visits before and after the period, another industry, orders, a fine, a
typical case), then, through the console chat as users make them, a whole inspection with photos and
a certificate register, a typical case from it with its 执法文书, a second visit with two findings,
orders (one with a fine) and a follow-up visit, the supervisor's review, and the clerk filling in
the report before its final export on 2023-06-09. Written: example-checklist.png (every page),
example-case.png, example-report.png (every page of the final report), example-report-city.png (its
first pages)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import update

from bot.documents.pdf import to_pdf
from bot.messages import Document
from storage.models import Inspection, Member
from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from tests.documents.drive import complete_inspection, rows, submit_two_findings
from tests.harness import Harness
from tests.progress import dataset

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DPI = 100  # a page is 827 × 1169 pixels: the body text (16 pt) about 22 pixels high


def paper(path: Path, title: str, lines: list[str], tint: tuple[int, int, int]) -> Path:
    """A photographed paper: a page with a title and lines of text, on a coloured desk."""
    img = Image.new("RGB", (800, 600), tint)
    draw = ImageDraw.Draw(img)
    draw.rectangle((120, 40, 680, 570), fill=(250, 250, 245), outline=(60, 60, 60))
    big = ImageFont.truetype(FONT, 34) if Path(FONT).exists() else ImageFont.load_default()
    small = ImageFont.truetype(FONT, 22) if Path(FONT).exists() else ImageFont.load_default()
    draw.text((400, 90), title, font=big, fill=(20, 20, 20), anchor="mm")
    for i, line in enumerate(lines):
        draw.text((160, 160 + i * 44), line, font=small, fill=(40, 40, 40))
    img.save(path, "JPEG", quality=85)
    return path


def decision_pdf(path: Path) -> Path:
    """A one-page 行政处罚决定书 as a PDF (what an inspector would send as a file)."""
    page = Image.new("RGB", (1240, 1754), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    big = ImageFont.truetype(FONT, 52) if Path(FONT).exists() else ImageFont.load_default()
    small = ImageFont.truetype(FONT, 30) if Path(FONT).exists() else ImageFont.load_default()
    draw.text((620, 200), "泽州县应急管理局", font=big, fill=(200, 0, 0), anchor="mm")
    draw.text((620, 300), "行政处罚决定书", font=big, fill=(0, 0, 0), anchor="mm")
    draw.text((620, 380), "（泽）应急罚〔2023〕12号", font=small, fill=(0, 0, 0), anchor="mm")
    body = ["当事人：泽州县巴公煤业有限公司", "违法事实：特种作业人员李四所持特种作业操作证", "已于2023年1月31日过期，仍在岗作业。",
            "处罚依据：《中华人民共和国安全生产法》第九十七条", "第（七）项。", "处罚决定：罚款人民币贰万元整。"]
    for i, line in enumerate(body):
        draw.text((160, 520 + i * 70), line, font=small, fill=(0, 0, 0))
    page.save(path, "PDF", resolution=150)
    return path


async def stamp(bot: Harness) -> None:
    """The chat's records carry the wall clock; date them as the harness clock had them: photos of a
    visit on its day, follow-up photos on the day of the follow-up."""
    from datetime import datetime, time, timedelta, timezone

    from storage.models import Evidence
    from tests.documents.drive import stamp_records

    await stamp_records(bot)

    async def q(repos):
        for e in await rows(bot, Evidence):
            insp = await repos.inspections.get(e.inspection_id)
            day = bot.now.date() if e.requirement_id.startswith("fu") else insp.inspection_date
            when = datetime.combine(day, time(9, 40), tzinfo=bot.now.tzinfo) + timedelta(minutes=3 * e.id)
            await repos.session.execute(update(Evidence).where(Evidence.id == e.id).values(
                created_at=when.astimezone(timezone.utc)))
        await repos.commit()
    await bot.query(q)


def last_document(bot: Harness) -> Document:
    return [m for _, m in bot.console.sent if isinstance(m, Document)][-1]


def render(docx: str, png: Path, pages: int | None = None, columns: int = 2) -> int:
    """The document's pages side by side, `columns` to a row; returns how many pages it has.
    With KEEP_DOCX=DIR in the environment the .docx is also copied there."""
    if os.environ.get("KEEP_DOCX"):
        shutil.copyfile(docx, Path(os.environ["KEEP_DOCX"]) / (png.stem + ".docx"))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(Path(docx), Path(tmp) / "doc.pdf")
        cmd = ["pdftoppm", "-png", "-r", str(DPI)] + (["-l", str(pages)] if pages else []) + [str(pdf), f"{tmp}/page"]
        subprocess.run(cmd, check=True)
        shots = [Image.open(p) for p in sorted(Path(tmp).glob("page*.png"))]
        w, h, gap = shots[0].width, max(s.height for s in shots), 16
        cols = min(columns, len(shots))
        lines = (len(shots) + cols - 1) // cols
        sheet = Image.new("RGB", (cols * w + (cols - 1) * gap, lines * h + (lines - 1) * gap), (190, 190, 190))
        for n, s in enumerate(shots):
            sheet.paste(s, ((n % cols) * (w + gap), (n // cols) * (h + gap)))
        sheet.save(png, optimize=True)
        return len(shots)


async def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ib-examples-"))
    images = {
        "plan": paper(tmp / "plan.jpg", "2023年度安全培训计划", ["一、培训对象：全体从业人员", "二、学时：不少于72学时",
                                                          "三、内容：七新培训、复工复产"], (150, 120, 90)),
        "sheet": paper(tmp / "sheet.jpg", "培训考勤签到表", ["张三　　李四", "王五　　（代签）", "赵六　　（缺）"], (90, 110, 140)),
        "cert": paper(tmp / "cert.jpg", "特种作业操作证", ["姓名：李四", "证号：T14052519800101", "有效期至：2023-01-31"],
                      (120, 140, 100)),
        "form": paper(tmp / "form.jpg", "检查表签字页", ["检查人员：张检查　王五", "被检查单位负责人：赵总"], (140, 100, 110)),
    }
    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp}/inspector.db", MemoryStateStore(), tmp, DEFAULT_NOW)
    try:
        await dataset.build(bot)

        async def phones(repos):
            for name, phone, badge in (("张检查", "13835601234", "14050220230017"),
                                       ("王督查", "0356-3021234", "14050220230009")):
                await repos.session.execute(update(Member).where(Member.name == name).values(phone=phone,
                                                                                            badge_no=badge))
            await repos.commit()
        await bot.query(phones)

        await bot.register("zz1", name="张检查")  # the data set's inspector, now in the chat
        await complete_inspection(bot, images)
        first = max(i.id for i in await rows(bot, Inspection) if i.enterprise.name == "泽州县巴公煤业有限公司")
        for line in [f"整改 {first}", "2023-05-20", "罚款 20000 （泽）应急罚〔2023〕12号", "2023-05-18", "不罚款",
                     "2023-06-30", "不罚款"]:
            await bot.say(line)
        for line in [f"典型案例 {first}", "沿用", "安全培训、特种作业人员、持证上岗、煤矿", "沿用", "沿用", "沿用",
                     "特种作业人员证书过期后仍在岗作业，暴露出企业持证台账管理流于形式。类似检查应逐人核对证件有效期，"
                     "并通过全国查询平台核验，不能只看台账。",
                     f"/photo {images['cert']} 李四的特种作业操作证（已过期）",
                     f"/file {decision_pdf(tmp / 'decision.pdf')} 行政处罚决定书", "完成",
                     "张检查 14050220230017 13835601234", "王五 14050220230018 13800000002", "完成并导出"]:
            await bot.say(line)
        render(last_document(bot).path, out_dir / "example-case.png", columns=3)

        # a second visit reusing the first one's photo (flagged), orders and a follow-up visit
        signed = paper(tmp / "signed_b.jpg", "检查表签字页", ["检查人员：张检查　王五", "被检查单位负责人：钱总"],
                       (100, 130, 120))
        second = await submit_two_findings(bot, "泽州县金村煤业有限公司", signed, photo=images["plan"], minutes=40)
        for line in [f"整改 {second}", "15天", "不罚款", "2023-06-10", "不罚款"]:
            await bot.say(line)
        bot.advance(days=12)
        for line in [f"复查 {first}", f"/photo {images['sheet']}", "已整改", "已补齐年度再教育，考勤表规范签到",
                     "未整改", "仍未建立持证台账", "未整改", "李四仍未复审换证"]:
            await bot.say(line)
        await stamp(bot)
        await bot.say(f"导出 {first}")
        render(last_document(bot).path, out_dir / "example-checklist.png", columns=3)
        await bot.register("zzsup", name="王督查", role="supervisor")
        for line in [f"审核 {first}", "通过", f"审核 {second}", "退回", "1.1 照片与巴公煤业相同，请补拍"]:
            await bot.say(line)

        # 2023-06-09: the clerk fills in what the records cannot know, then exports the final report
        bot.advance(days=18)
        for line in ["报告", "报告 文号 泽应急〔2023〕36号", "报告 签发人 王建国",
                     "报告 修改 分管领导 副局长李建军",
                     "报告 修改 原因 辖区内高危行业企业停产整顿5家，可检查企业不足，已于6月起对复产企业补充检查",
                     "报告 修改 曝光情况 巴公煤业特种作业人员证书过期上岗一案于6月2日在局门户网站和“泽州应急”公众号通报",
                     "报告 修改 长效机制", "将“回头看”发现的问题纳入年度执法计划，对三项岗位人员持证情况每季度抽查；"
                     "督促企业建立一人一档电子台账，与全国查询平台定期比对。",
                     "报告 定稿"]:
            await bot.say(line)
        render(last_document(bot).path, out_dir / "example-report.png", columns=3)
        await bot.register("city", name="赵局长", bureau="市局", role="supervisor")
        await bot.say("报告")
        render(last_document(bot).path, out_dir / "example-report-city.png", pages=3, columns=3)
    finally:
        await bot.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
