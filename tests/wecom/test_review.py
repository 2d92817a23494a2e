"""审核 N on a phone in WeCom: the findings with their notes, the certificate register and the
evidence photos (as image messages, after a line saying what they are) come before the question."""

from __future__ import annotations

from tests.enforcement.phone_review import FINDING_NOTE, console_harness, submitted_inspection


async def test_review_sends_notes_register_and_photos_before_the_question(wecom, images):
    iid = await submitted_inspection(console_harness(wecom.h.app), images)
    await wecom.register("wangfang", "王芳", "泽州县", "supervisor")
    start = len(wecom.fake.calls)
    said = await wecom.say(f"审核 {iid}")
    assert "发现的问题（2 项）" in said and f"1. 1.2 {FINDING_NOTE}" in said
    assert "2. 2.3 李四的特种作业操作证已于 2023-01-31 过期" in said
    assert "证书登记（1 人）" in said and "李四 特种作业人员 特种作业操作证 T14052519800101" in said
    assert "证件照片 1 张" in said
    sent = [c for c in wecom.fake.calls[start:] if c.path == "message/send"]
    kinds = [c.body["msgtype"] for c in sent]
    assert kinds.count("image") == 5  # 1.1 ×2, 1.2, the certificate, the signed form
    # each group is announced, then its images; the question (a card: 通过 / 退回) comes last
    assert kinds[-1] == "template_card" and wecom.card("wangfang").labels == ["通过", "退回"]
    captions = [c.body["text"]["content"] for c in sent if c.body["msgtype"] == "text"]
    assert any(t.startswith("1.1 ") and "照片 2 张" in t and "2023年度培训计划" in t for t in captions)
    uploads = {c.body["media_id"]: c.body["data"] for c in wecom.fake.sent("media/upload")}
    shown = [uploads[c.body["image"]["media_id"]] for c in sent if c.body["msgtype"] == "image"]
    assert shown[:2] == [images["plan"].read_bytes(), images["sheet"].read_bytes()]
    assert "已审核通过" in await wecom.tap("通过", user="wangfang")
