"""A whole inspection over Telegram, by long polling and by webhook, on both backends: the real
python-telegram-bot client talks to the fake Bot API; buttons are pressed, photos sent."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from storage.models import Answer, Certificate, Evidence, Finding, Inspection
from tests.telegram.driver import TgUser
from tests.telegram.fake_api import FakeBotAPI

# The figure the README gives: messages the bot sends in the whole inspection of
# test_whole_inspection_with_buttons_and_photos, for 36 things the inspector does there (19 button
# presses, 12 typed answers, 4 photos, a location).
MESSAGES_FOR_A_WHOLE_INSPECTION = 39


async def records(app, model):
    repos = app.core.repos()
    try:
        return list((await repos.session.scalars(select(model).order_by(model.id))).all())
    finally:
        await repos.session.close()


async def begin(user: TgUser, name: str = "泽州县巴公煤业有限公司") -> str:
    assert "被检查单位名称" in await user.say("开始检查")
    assert "新建这个单位" in await user.say(name)
    assert "属于哪个行业" in await user.press(f"新建：{name}")
    reply = await user.press("煤矿")
    assert "已建立检查" in reply and "同行检查人员" in reply
    assert "检查日期" in await user.say("王五")
    assert "定位" in await user.say("2023年5月10日")
    reply = await user.location(35.50, 112.84)
    assert "定位已保存" in reply and "1.1" in reply
    return reply


async def test_whole_inspection_with_buttons_and_photos(tg_app, fake_api: FakeBotAPI, inspector: TgUser, images):
    await begin(inspector)
    # a photo (Telegram sends several sizes: the largest is stored), then a button press
    assert "照片已保存到 1.1（共 1 张）" in await inspector.photo(images["plan"], "2023年度培训计划")
    question = inspector.question()
    reply = await inspector.press("符合")
    assert "1.2" in reply and "1.1：符合" not in reply  # the pressed question shows the choice itself
    pressed = fake_api.sent[question.message_id]
    assert pressed.reply_markup is None and pressed.text.endswith("✅ 已选：符合")
    assert "请写明发现的问题" in await inspector.press("不符合")
    assert "共 1 张" in await inspector.photo(images["sheet"])
    reply = await inspector.say("年度再教育缺 3 人，考勤表有代签")
    assert "问题已记录" in reply and "1.3" in reply
    assert "1.3：不适用" in (reply := await inspector.say("3"))  # typing the number works as well
    assert "2.1" in reply
    # item 二 with the certificate register
    assert "证书登记" in await inspector.press("符合")
    assert "人员姓名" in await inspector.press("登记一人")
    assert "岗位" in await inspector.say("李四")
    assert "证件类型" in await inspector.press("特种作业人员")
    assert "证件编号" in await inspector.press("特种作业操作证")
    assert "有效期" in await inspector.say("T14052519800101")
    assert "全国查询平台" in await inspector.say("2023-01-31")
    assert "证件照片" in await inspector.press("已查到")
    assert "共 1 张" in await inspector.photo(images["cert"])
    reply = await inspector.say("完成")
    assert "已于 2023-01-31 过期" in reply and "是否确认为问题" in reply
    assert "已登记 1 人" in await inspector.press("确认是问题")
    assert "2.2" in await inspector.press("登记完成")
    assert "2.3" in await inspector.press("符合")
    assert "可补充说明" in await inspector.press("不符合")
    assert "3.1" in await inspector.press("无需补充")
    for _ in ("3.1", "3.2", "3.3"):
        reply = await inspector.press("符合")
    assert "汇总" in reply and "问题 2 项" in reply
    # signatures and submit
    assert "负责人" in await inspector.press("提交")
    assert "签字的纸质检查表" in await inspector.say("赵总")
    assert "签字页已保存" in await inspector.document(images["form"], "image/jpeg")  # an image sent as a file
    reply = await inspector.say("完成")
    assert "确认提交" in reply and "赵总" in reply
    assert "已提交" in await inspector.press("确认提交")

    [insp] = await records(tg_app, Inspection)
    assert insp.status == "submitted" and insp.responsible_person == "赵总"
    assert (insp.latitude, insp.longitude) == (35.50, 112.84)
    answers = {a.requirement_id: a.verdict for a in await records(tg_app, Answer)}
    assert answers == {"1.1": "pass", "1.2": "fail", "1.3": "na", "2.1": "pass", "2.2": "pass", "2.3": "fail",
                       "3.1": "pass", "3.2": "pass", "3.3": "pass"}
    evidence = await records(tg_app, Evidence)
    assert [(e.requirement_id, e.caption) for e in evidence] == [
        ("1.1", "2023年度培训计划"), ("1.2", ""), ("cert", ""), ("signature", "")]
    originals = [images[n].read_bytes() for n in ("plan", "sheet", "cert", "form")]
    assert [e.sha256 for e in evidence] == [hashlib.sha256(b).hexdigest() for b in originals]  # not thumbnails
    [cert] = await records(tg_app, Certificate)
    assert (cert.person_name, cert.cert_number) == ("李四", "T14052519800101")
    assert len([f for f in await records(tg_app, Finding) if f.confirmed]) == 2
    # every press was answered (the client's spinner stops) and nothing went to another chat
    answered = [c["callback_query_id"] for c in fake_api.calls_of("answerCallbackQuery")]
    assert len(answered) == len(set(answered)) == inspector.presses == 19
    assert {s.chat_id for s in fake_api.sent_after(0)} == {inspector.chat_id}
    # A quiet chat: one message per thing the inspector did (a press, a typed answer, a photo), the
    # question asked next in it; a pressed question is edited to show the choice. The extra ones:
    # the location keyboard taken away, and the filled checklist sent as a file at the end.
    sent = fake_api.sent_after(0, inspector.chat_id)
    actions = inspector.actions
    assert len(sent) <= actions + 3, (len(sent), actions)  # + the location keyboard, the form to sign, the checklist
    assert len(sent) == MESSAGES_FOR_A_WHOLE_INSPECTION, (len(sent), actions)  # the figure in the README


async def test_a_pressed_question_keeps_its_buttons_until_answered_and_old_ones_go(fake_api, inspector, images):
    await begin(inspector)
    verdict = inspector.question()
    await inspector.photo(images["plan"])  # a photo does not change the question: its buttons stay
    assert fake_api.sent[verdict.message_id].reply_markup is not None
    await inspector.say("符合")  # typed: the next question's buttons replace the old ones
    assert fake_api.sent[verdict.message_id].reply_markup is None
    assert "1.2" in inspector.question().text
