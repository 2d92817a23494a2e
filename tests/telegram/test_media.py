"""Files in (documents that are or are not images) and out (long texts, photos, exports)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import texts
from bot.messages import Choices, Document, Image, Option, Text, UnsupportedOutgoing
from storage.models import Evidence
from tests.telegram.conftest import GROUP, INSPECTOR
from tests.telegram.driver import TgUser, adapter_of
from tests.telegram.fake_api import FakeBotAPI
from tests.telegram.test_inspection import begin


async def evidence(app) -> list[Evidence]:
    repos = app.core.repos()
    try:
        return list((await repos.session.scalars(select(Evidence))).all())
    finally:
        await repos.session.close()


async def test_a_document_that_is_not_an_image_is_refused_with_a_reply(tg_app, fake_api: FakeBotAPI,
                                                                      inspector: TgUser, images, tmp_path):
    report = tmp_path / "检查报告.pdf"
    report.write_bytes(b"%PDF-1.4 a report")
    assert texts.PHOTO_OUTSIDE_FLOW in await inspector.document(report, "application/pdf")
    await begin(inspector)
    reply = await inspector.document(report, "application/pdf")
    assert texts.FILE_NOT_IMAGE in reply and "1.1" in reply  # refused, and the question asked again
    # claims to be a JPEG but is not: downloaded, checked, refused
    reply = await inspector.document(images["fake"], "image/jpeg")
    assert texts.FILE_NOT_IMAGE in reply
    assert await evidence(tg_app) == []
    # a real picture sent as a file is evidence like a photo
    assert "照片已保存到 1.1（共 1 张）" in await inspector.document(images["plan"], "image/jpeg", "培训计划原图")
    [stored] = await evidence(tg_app)
    assert stored.caption == "培训计划原图" and stored.media_type == "image/jpeg"


async def test_stickers_and_other_messages_get_a_polite_reply(tg_app, fake_api: FakeBotAPI, inspector: TgUser):
    update = fake_api.message_update(INSPECTOR, "张检查", sticker={
        "file_id": "S1", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512,
        "is_animated": False, "is_video": False})
    mark = fake_api.mark()
    await inspector.transport.deliver(update)
    assert [s.text for s in fake_api.sent_after(mark)] == [texts.NOT_SUPPORTED]


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
async def test_outgoing_texts_photos_and_documents(backend, tg_app, fake_api: FakeBotAPI, images, tmp_path):
    chat = str(INSPECTOR)
    long_text = "\n".join(f"第 {i} 行：" + "检" * 60 for i in range(150))  # about 9,900 characters
    await tg_app.core.send("telegram", chat, Text(long_text))
    parts = [s.text for s in fake_api.sent_after(0)]
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == long_text  # cut at line ends: nothing lost, no line broken

    mark = fake_api.mark()
    export = tmp_path / "export.xlsx"
    export.write_bytes(b"PK\x03\x04 spreadsheet bytes")
    await tg_app.core.send("telegram", str(GROUP), Document(str(export), "泽州县检查汇总.xlsx", "5 月汇总"))
    await tg_app.core.send("telegram", chat, Image(str(images["plan"]), "培训计划"))
    doc, photo = fake_api.sent_after(mark)
    assert (doc.kind, doc.chat_id, doc.filename, doc.content, doc.text) == (
        "document", GROUP, "泽州县检查汇总.xlsx", export.read_bytes(), "5 月汇总")
    assert (photo.kind, photo.content, photo.text) == ("photo", images["plan"].read_bytes(), "培训计划")

    # options whose data cannot ride on a button (over 64 bytes) are offered numbered, to be typed
    mark = fake_api.mark()
    await tg_app.core.send("telegram", chat, Choices("选哪个？", (Option("甲", "a" * 65), Option("乙", "b"))))
    [question] = fake_api.sent_after(mark)
    assert question.reply_markup is None and question.text == "选哪个？\n1. 甲\n2. 乙"

    with pytest.raises(UnsupportedOutgoing):
        await adapter_of(tg_app).send(chat, object())  # type: ignore[arg-type]
