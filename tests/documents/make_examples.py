"""Render one example of each document to PNG for the README (needs LibreOffice and poppler-utils):

    .venv/bin/python -m tests.documents.make_examples docs/

The records are made the way users make them, through the console chat: a whole inspection and a
typical case, a second visit reusing a photo, orders (整改) and a follow-up visit (复查), the
supervisor's review, then the checklist and the report as they are asked for."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.documents.pdf import to_pdf
from bot.messages import Document
from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from storage.models import Inspection
from tests.documents.drive import complete_inspection, rows, submit_two_findings
from tests.harness import Harness

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


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


def last_document(bot: Harness) -> Document:
    return [m for _, m in bot.console.sent if isinstance(m, Document)][-1]


def render(docx: str, png: Path, pages: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(Path(docx), Path(tmp) / "doc.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-l", str(pages), str(pdf), f"{tmp}/page"], check=True)
        shots = [Image.open(p) for p in sorted(Path(tmp).glob("page*.png"))]
        sheet = Image.new("RGB", (sum(s.width for s in shots) + 20 * (len(shots) - 1), max(s.height for s in shots)),
                          (200, 200, 200))
        x = 0
        for s in shots:
            sheet.paste(s, (x, 0))
            x += s.width + 20
        sheet.save(png, optimize=True)


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
        await bot.register(name="张检查")
        await complete_inspection(bot, images)

        for line in ["典型案例", "1", "沿用", "安全培训、特种作业人员、持证上岗、煤矿", "沿用", "沿用", "沿用",
                     "特种作业人员证书过期后仍在岗作业，暴露出企业持证台账管理流于形式。类似检查应逐人核对证件有效期，"
                     "并通过全国查询平台核验，不能只看台账。",
                     f"/photo {images['cert']} 特种作业操作证", "完成",
                     "张检查 14050220230017 13800000001", "王五 14050220230018 13800000002", "完成并导出"]:
            await bot.say(line)
        render(last_document(bot).path, out_dir / "example-case.png")

        # a second visit reusing the first one's photo (flagged), orders and a follow-up visit
        signed = paper(tmp / "signed_b.jpg", "检查表签字页", ["检查人员：张检查　王五", "被检查单位负责人：钱总"],
                       (100, 130, 120))
        second = await submit_two_findings(bot, "泽州县金村煤业有限公司", signed, photo=images["plan"], minutes=40)
        [first] = [i.id for i in await rows(bot, Inspection) if i.id != second]
        for line in [f"整改 {first}", "2023-05-20", "罚款 20000 （泽）应急罚〔2023〕12号", "2023-05-18", "不罚款",
                     "2023-06-30", "不罚款", f"整改 {second}", "15天", "不罚款", "2023-06-10", "不罚款"]:
            await bot.say(line)
        bot.advance(days=12)
        for line in [f"复查 {first}", f"/photo {images['sheet']}", "已整改", "已补齐年度再教育，考勤表规范签到",
                     "未整改", "仍未建立持证台账", "未整改", "李四仍未复审换证"]:
            await bot.say(line)
        await bot.say(f"导出 {first}")
        render(last_document(bot).path, out_dir / "example-checklist.png")
        await bot.register("boss", name="周局", role="supervisor")
        for line in [f"审核 {first}", "通过", f"审核 {second}", "退回", "1.1 照片与巴公煤业相同，请补拍"]:
            await bot.say(line)
        bot.advance(days=18)
        await bot.say("报告")
        render(last_document(bot).path, out_dir / "example-report.png", pages=4)
    finally:
        await bot.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
