"""Certificate OCR (bot/ocr.py, the `ocr` extra) in the certificate register: a photo's number is read
and offered, accepting it records it, a typed number that differs from the photo is flagged.

The OCR tests are few on purpose (each read costs 1–4 s of CPU) and run on the embedded backend only
(the flags are the same rows on PostgreSQL, tested in test_chat.py). Without the extra they are
skipped with the reason printed; under CI (CI=true) they fail instead, since CI installs it."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from bot import ocr, texts
from storage.models import Certificate, Evidence, IntegrityFlag
from tests.conftest import IN_CI
from tests.conversations.test_inspection import begin, records
from tests.integrity.corpus import CARD, font, framing, jpeg, photograph

A, B = "泽州县甲煤业有限公司", "泽州县乙化工有限公司"
LI_SI = {"name": "李四", "number": "140525198001010011", "kind": "电工作业", "item": "低压电工作业",
         "valid": "2026-01-31"}
WANG_WU = {"name": "王五", "number": "14052519850615203X", "kind": "焊接与热切割作业",
           "item": "熔化焊接与热切割作业", "valid": "2027-06-30"}


@pytest.fixture
def ocr_on() -> None:
    if not ocr.available():
        reason = "certificate OCR not installed (the 'ocr' extra: pip install -e '.[ocr]')"
        if IN_CI:
            pytest.fail(f"CI: {reason}", pytrace=False)
        pytest.skip(reason)


def card(person: dict) -> Image.Image:
    """A 特种作业操作证 card with these fields (the corpus's layout: labels left, values right)."""
    img = Image.new("RGB", CARD, (236, 242, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((8, 8, CARD[0] - 8, CARD[1] - 8), outline=(30, 60, 140), width=4)
    draw.text((CARD[0] // 2, 50), "中华人民共和国特种作业操作证", font=font(30), fill=(30, 60, 140), anchor="mm")
    draw.rectangle((40, 110, 190, 300), fill=(120, 150, 200))
    rows = [("姓    名", person["name"]), ("性    别", "男"), ("证    号", person["number"]),
            ("作业类别", person["kind"]), ("准操项目", person["item"]), ("初领日期", "2014-03-02"),
            ("有效期限", person["valid"])]
    for i, (label, value) in enumerate(rows):
        draw.text((230, 110 + i * 50), label, font=font(22), fill=(60, 60, 60))
        draw.text((370, 110 + i * 50), value, font=font(24), fill=(0, 0, 0))
    draw.ellipse((640, 330, 800, 490), outline=(200, 30, 30), width=5)
    draw.text((720, 410), "应急管理局", font=font(20), fill=(200, 30, 30), anchor="mm")
    return img


def card_photo(tmp_path, person: dict, seed: str) -> str:
    """The card photographed by hand (tilt, keystone, light, noise), as a JPEG a phone would send."""
    path = tmp_path / f"card-{seed}.jpg"
    path.write_bytes(jpeg(photograph(card(person), framing(seed)), 80))
    return f"/photo {path}"


async def to_number_step(bot, person: str = "李四") -> None:
    for _ in range(4):  # 1.1 - 2.1
        await bot.say("符合")
    await bot.say("登记一人")
    await bot.say(person)
    await bot.say("特种作业人员")
    assert "证件编号" in await bot.say("特种作业操作证")


# ---- reading what a card says (no engine: the recognised boxes as the engine gives them)
def test_fields_are_read_beside_their_labels():
    def box(text, left, top, width=120, height=28):
        return ocr.Box(text, left, left + width, top, top + height)

    boxes = [box("中华人民共和国特种作业操作证", 200, 35, 400), box("姓名", 230, 110, 60), box("李四", 370, 111),
             box("证号", 230, 210, 60), box("140525198001010011", 370, 209, 260), box("作业类别", 230, 260),
             box("电工作业", 370, 261), box("准操项目", 230, 310), box("低压电工作业", 370, 311),
             box("初领日期", 230, 360), box("2014-03-02", 370, 361), box("有效期限", 230, 410),
             box("2020-01-31至2026-01-31", 370, 409, 300), box("应急管理局", 650, 400)]
    read = ocr.parse(boxes)
    assert (read.number, read.name, read.kind, read.item, read.valid_until) == (
        "140525198001010011", "李四", "电工作业", "低压电工作业", "2026-01-31")
    # label and value in one box; no number label read at all: the ID-like token is taken
    assert ocr.parse([box("证书编号：T1405 2519 8001 0100 11", 10, 10, 400)]).number == "T140525198001010011"
    assert ocr.parse([box("1405251980010100 1X", 10, 10, 300), box("2014-03-02", 10, 60)]).number == "14052519800101001X"
    assert ocr.parse([box("有效期限", 10, 10), box("2014-03-02", 10, 60)]).number == ""  # a date is no number
    assert ocr.same_number("t1405-2519 8001", "T140525198001")
    # upside down: each value left of its label on the row; turned by 90°: below it in the column
    flipped = [box("李四", 100, 400), box("姓名", 300, 401, 60), box("2026-01-31", 100, 100, 160), box("有效期限", 300, 100)]
    assert (ocr.parse(flipped).name, ocr.parse(flipped).valid_until) == ("李四", "2026-01-31")
    turned = [box("姓名", 400, 100, 28, 60), box("李四", 401, 200, 28, 60), box("证号", 350, 100, 28, 60),
              box("140525198001010011", 351, 200, 28, 260)]
    assert (ocr.parse(turned).name, ocr.parse(turned).number) == ("李四", "140525198001010011")


# ---- without the extra
async def test_without_ocr_the_number_is_typed_and_a_photo_is_only_kept(embedded_bot, images, monkeypatch):
    bot = embedded_bot
    monkeypatch.setattr(ocr, "available", lambda: False)
    assert "off" in ocr.status_line() and "[ocr]" in ocr.status_line()
    await bot.register()
    await begin(bot, A)
    await to_number_step(bot)
    reply = await bot.say(f"/photo {images['cert']}")
    assert "李四 的证件照片已保存（共 1 张）" in reply and texts.ASK_CERT_NUMBER in reply and "识别" not in reply
    assert "有效期" in await bot.say("T14052519800101")
    [cert] = await records(bot, Certificate)
    [ev] = await records(bot, Evidence)
    assert (cert.cert_number, ev.certificate_id) == ("T14052519800101", cert.id)


# ---- with it (each test reads two or three photos)
async def test_number_read_from_a_photo_is_offered_and_accepted(embedded_bot, tmp_path, ocr_on):
    bot = embedded_bot
    await bot.register()
    await begin(bot, A)
    await to_number_step(bot)
    reply = await bot.say(card_photo(tmp_path, LI_SI, "li-1"))
    assert "李四 的证件照片已保存（共 1 张）" in reply
    assert f"编号 {LI_SI['number']}" in reply and "姓名 李四" in reply and "有效期至 2026-01-31" in reply
    assert [o.label for o in bot.last_choices().options] == [f"采用 {LI_SI['number']}"]
    reply = await bot.say("/button 1")  # accepted with one press
    assert "有效期" in reply and "⚠️" not in reply
    assert [o.label for o in bot.last_choices().options] == ["采用 2026-01-31", texts.NO_EXPIRY]
    assert "全国查询平台" in await bot.say("/button 1")
    assert "证件照片" in await bot.say("已查到")
    reply = await bot.say(card_photo(tmp_path, LI_SI, "li-2"))  # another shot of the same card
    assert f"✓ 照片上的编号与登记的 {LI_SI['number']} 一致" in reply
    [cert] = await records(bot, Certificate)
    assert (cert.cert_number, cert.expiry_date.isoformat()) == (LI_SI["number"], "2026-01-31")
    assert await records(bot, IntegrityFlag) == []


async def test_typed_number_unlike_the_photo_is_flagged(embedded_bot, tmp_path, ocr_on):
    bot = embedded_bot
    await bot.register()
    await begin(bot, A)
    await to_number_step(bot)
    assert LI_SI["number"] in await bot.say(card_photo(tmp_path, LI_SI, "li-1"))
    reply = await bot.say("140525198001010099")  # typed instead of accepting, and not what the card says
    assert f"⚠️ 登记的编号 140525198001010099 与证件照片上识别出的 {LI_SI['number']} 不一致" in reply
    assert "有效期" in reply
    [flag] = await records(bot, IntegrityFlag)
    [ev] = await records(bot, Evidence)
    [cert] = await records(bot, Certificate)
    assert (flag.kind, flag.evidence_id, flag.certificate_id, cert.cert_number) == (
        "cert_number_photo", ev.id, cert.id, "140525198001010099")
    assert "李四" in flag.reason and LI_SI["number"] in flag.reason


async def test_photo_at_the_photo_step_checks_the_number_and_one_number_for_two_people(embedded_bot, tmp_path,
                                                                                        ocr_on):
    bot = embedded_bot
    await bot.register("li", name="李检查")
    await begin(bot, A)
    await to_number_step(bot)
    for word in (LI_SI["number"], "2026-01-31", "已查到"):
        await bot.say(word)
    reply = await bot.say(card_photo(tmp_path, WANG_WU, "wang-1"))  # somebody else's card
    assert f"⚠️ 登记的编号 {LI_SI['number']} 与证件照片上识别出的 {WANG_WU['number']} 不一致" in reply
    assert "照片上的姓名是王五，登记的是李四" in reply
    [flag] = await records(bot, IntegrityFlag)
    assert flag.kind == "cert_number_photo"
    await bot.say("暂停")

    # at another enterprise, 赵六's number accepted from a photo of 李四's card
    await bot.register("wang", name="王检查")
    await begin(bot, B, industry="危险化学品")
    await to_number_step(bot, "赵六")
    assert "照片上的姓名是李四，登记的是赵六" in await bot.say(card_photo(tmp_path, LI_SI, "li-3"))
    reply = await bot.say("/button 1")
    assert f"⚠️ 编号 {LI_SI['number']} 已登记为李四的证书" in reply
    assert [f.kind for f in await records(bot, IntegrityFlag)] == ["cert_number_photo", "cert_number_reused"]
