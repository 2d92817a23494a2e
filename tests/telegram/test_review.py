"""审核 N on a phone in Telegram: the findings with their notes, the certificate register, then the
evidence photos as albums (sendMediaGroup), a requirement each, then the question with buttons."""

from __future__ import annotations

from tests.enforcement.phone_review import FINDING_NOTE, console_harness, submitted_inspection
from tests.telegram.conftest import SUPERVISOR
from tests.telegram.driver import TgUser


async def test_review_sends_notes_register_and_albums_before_the_question(tg_app, fake_api, transport, images):
    iid = await submitted_inspection(console_harness(tg_app), images)
    supervisor = TgUser(fake_api, transport, SUPERVISOR, "督查乙")
    mark = fake_api.mark()
    said = await supervisor.say(f"审核 {iid}")
    assert "发现的问题（2 项）" in said and f"1. 1.2 {FINDING_NOTE}" in said
    assert "证书登记（1 人）" in said and "李四 特种作业人员 特种作业操作证" in said
    sent = fake_api.sent_after(mark, supervisor.chat_id)
    albums = fake_api.calls_of("sendMediaGroup")
    assert len(albums) == 1  # 1.1's two photos; the groups of one photo go as a photo
    first = [s for s in sent if s.album and s.album == s.message_id]
    assert len(first) == 1 and first[0].text.startswith("1.1 ") and "2023年度培训计划" in first[0].text
    photos = [s for s in sent if s.kind == "photo"]
    assert len(photos) == 5 and photos[0].content == images["plan"].read_bytes()
    assert sent[-1].reply_markup and [b for b in sent[-1].labels] == ["通过", "退回"]
    assert sent[-1].message_id > max(p.message_id for p in photos)  # the question last
    assert "已审核通过" in await supervisor.press("通过")
