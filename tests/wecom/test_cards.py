"""Choices as WeCom template cards: a whole inspection answered by taps (template_card_event
callbacks), each tapped card updated to show the choice; a tap on an old card refused and the card
marked void; a retried callback and a second tap ignored; the same inspection typed, with cards off."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from bot.adapters.wecom import to_incoming
from bot.adapters.wecom_cards import MAX_BUTTONS, fits
from bot.http import create_http_app
from bot.messages import Choices, Kind, Option
from storage.models import Answer, Certificate, Evidence, Finding, Inspection
from tests.wecom.conftest import start_wecom_bot
from tests.wecom.driver import WeComChat, serve, xml_message

ANSWERS = {"1.1": "pass", "1.2": "fail", "1.3": "na", "2.1": "pass", "2.2": "pass", "2.3": "fail",
           "3.1": "pass", "3.2": "pass", "3.3": "pass"}


async def records(chat, model):
    async def q(repos):
        return list((await repos.session.scalars(select(model).order_by(model.id))).all())
    return await chat.h.query(q)


async def answers(chat) -> dict[str, str]:
    return {a.requirement_id: a.verdict for a in await records(chat, Answer)}


@pytest.fixture
async def wecom_typed(backend, tmp_path, fake):
    """The bot with INSPECTOR_BOT_WECOM_CARDS=false: every choice as numbered text."""
    harness = await start_wecom_bot(backend, tmp_path, fake, wecom_cards=False)
    asgi = create_http_app(harness.app.settings, app=harness.app, maintain=False)
    try:
        async with serve(asgi) as base_url, httpx.AsyncClient(timeout=30) as http:
            yield WeComChat(harness, fake, base_url, http)
    finally:
        for adapter in harness.app.core.adapters.values():
            await adapter.close()
        await harness.close()


async def tapped(chat: WeComChat, label: str) -> str:
    """Tap `label` on the latest card; the card must then show the choice, and nothing else."""
    card = chat.card()
    reply = await chat.tap(label)
    assert card.replaced == f"已选：{label}", (label, card.text)
    return reply


async def begin_by_taps(chat: WeComChat, name: str = "泽州县巴公煤业有限公司") -> None:
    assert "被检查单位名称" in await chat.say("开始检查")
    await chat.say(name)
    assert chat.options()[-1] == f"新建：{name}"  # a long label: numbered text, not a card
    assert "属于哪个行业" in await chat.say(str(len(chat.options())))
    assert chat.card().labels == ["煤矿", "非煤矿山", "危险化学品", "金属冶炼", "其他"]
    assert "同行检查人员" in await tapped(chat, "煤矿")
    assert "检查日期" in await chat.say("王五")
    assert "定位" in await chat.say("2023-05-10")
    assert "1.1" in await chat.location(35.50, 112.84, "泽州县巴公镇")


async def test_a_whole_inspection_answered_by_taps(wecom, images):
    await wecom.register()
    await begin_by_taps(wecom)
    card = wecom.card()
    assert card.labels == ["符合", "不符合", "不适用"] and "1.1" in card.text and "回复序号" not in card.text
    assert "照片已保存到 1.1" in await wecom.photo(images["plan"])
    assert "1.2" in await tapped(wecom, "符合")
    assert "请写明发现的问题" in await tapped(wecom, "不符合")
    assert "1.3" in await wecom.say("年度再教育缺 3 人，考勤表有代签")
    assert "2.1" in await tapped(wecom, "不适用")
    assert "证书登记" in await tapped(wecom, "符合")
    assert "人员姓名" in await tapped(wecom, "登记一人")
    assert "岗位" in await wecom.say("李四")
    assert "证件类型" in await tapped(wecom, "特种作业人员")
    assert "特种作业操作证" in wecom.options()  # an option too long for a button: numbered text
    assert "证件编号" in await wecom.say("特种作业操作证")
    assert "有效期" in await wecom.say("T14052519800101")
    assert "全国查询平台" in await wecom.say("2023-01-31")  # a card with free text: typing works
    assert "证件照片" in await tapped(wecom, "已查到")
    assert "共 1 张" in await wecom.photo(images["cert"])
    assert "是否确认为问题" in await tapped(wecom, "完成")
    assert "已登记 1 人" in await tapped(wecom, "确认是问题")
    assert "2.2" in await tapped(wecom, "登记完成")
    assert "2.3" in await tapped(wecom, "符合")
    assert "可补充说明" in await tapped(wecom, "不符合")
    assert "3.1" in await tapped(wecom, "无需补充")
    for _ in ("3.1", "3.2", "3.3"):
        reply = await tapped(wecom, "符合")
    assert "汇总" in reply
    assert "负责人" in await tapped(wecom, "提交")
    assert "签字的纸质检查表" in await wecom.say("赵总")
    assert "签字页已保存" in await wecom.photo(images["form"])
    assert "确认提交" in await tapped(wecom, "完成")
    assert "已提交" in await tapped(wecom, "确认提交")

    [insp] = await records(wecom, Inspection)
    assert insp.status == "submitted" and insp.responsible_person == "赵总"
    assert await answers(wecom) == ANSWERS
    assert [e.requirement_id for e in await records(wecom, Evidence)] == ["1.1", "cert", "signature"]
    [cert] = await records(wecom, Certificate)
    assert (cert.person_name, cert.stage) == ("李四", "done")
    assert len([f for f in await records(wecom, Finding) if f.confirmed]) == 2
    # Every tap was settled with its own callback's ResponseCode, once; nothing refused.
    updates = wecom.fake.sent("message/update_template_card")
    assert len(updates) == 20 and wecom.fake.card_updates_refused == 0
    assert all(u.body["userids"] == ["zhangjc"] and u.body["agentid"] == 1000002 for u in updates)
    codes = [u.body["response_code"] for u in updates]
    assert len(set(codes)) == len(codes)
    # The cards as sent: button_interaction, a TaskId of its own each, the option data as keys.
    cards = [c.body["template_card"] for c in wecom.fake.sent() if c.body["msgtype"] == "template_card"]
    assert len({c["task_id"] for c in cards}) == len(cards) >= 20
    assert all(c["card_type"] == "button_interaction" and len(c["main_title"]["title"]) <= 36 for c in cards)
    assert all(b["key"].count(":") == 1 and len(b["text"]) <= 10 for c in cards for b in c["button_list"])


async def test_a_tap_on_an_old_card_is_refused_and_the_card_says_so(wecom):
    await wecom.register()
    await begin_by_taps(wecom)
    old = wecom.card()
    assert "1.2" in await wecom.say("符合")  # 1.1 answered by typing; 1.2 comes as a new card
    start = len(wecom.fake.calls)
    assert await wecom.tap("不符合", card=old) == ""  # nothing is said in the chat
    assert [c.path for c in wecom.fake.calls[start:]] == ["message/update_template_card"]
    assert old.replaced == "已失效，未记录"
    assert await answers(wecom) == {"1.1": "pass"}  # not changed to 不符合
    assert "1.3" in await tapped(wecom, "不适用")  # the card on screen still takes its taps
    assert await answers(wecom) == {"1.1": "pass", "1.2": "na"}


async def test_a_retried_callback_and_a_second_tap_are_ignored(wecom):
    await wecom.register()
    await begin_by_taps(wecom)
    card = wecom.card()
    assert "1.2" in await tapped(wecom, "不适用")
    start = len(wecom.fake.calls)
    # WeCom sends the same callback again (no answer in time): stored once, handled once.
    body, params = wecom.encrypt(wecom.last_tap)
    assert (await wecom.post(body, params)).status_code == 200
    await wecom.settle()
    # The member taps the same card again before its update reached the phone: a new callback
    # (new time, new ResponseCode). Refused, and the card keeps showing the choice taken.
    assert await wecom.tap("不符合", card=card) == ""
    assert wecom.fake.calls[start:] == []  # no message, no card update
    assert card.replaced == "已选：不适用" and card.updates == ["已选：不适用"]
    assert await answers(wecom) == {"1.1": "na"}
    assert "请写明发现的问题" in await tapped(wecom, "不符合")  # 1.2's own card works
    assert await answers(wecom) == {"1.1": "na", "1.2": "fail"}


async def test_the_same_inspection_typed_with_cards_off(wecom_typed, images):
    chat = wecom_typed
    await chat.register()
    shown = {"question": ""}  # the latest question with options (numbered lines)

    async def say(text: str) -> str:
        reply = await chat.say(text)
        if "回复序号或选项文字" in reply:
            shown["question"] = reply
        return reply

    async def choose(label: str) -> str:
        """Type the number `label` has in the latest question."""
        chat.last_reply = shown["question"]
        return await say(str(chat.options().index(label) + 1))

    assert "被检查单位名称" in await say("开始检查")
    await say("泽州县巴公煤业有限公司")
    assert "属于哪个行业" in await choose("新建：泽州县巴公煤业有限公司")
    assert "同行检查人员" in await choose("煤矿")
    assert "检查日期" in await say("王五")
    assert "定位" in await say("2023-05-10")
    assert "1.1" in await chat.location(35.50, 112.84)
    shown["question"] = chat.last_reply
    assert "照片已保存到 1.1" in await chat.photo(images["plan"])
    for label, typed in [("符合", None), ("不符合", "年度再教育缺 3 人，考勤表有代签"), ("不适用", None), ("符合", None),
                         ("登记一人", "李四"), ("特种作业人员", None), ("特种作业操作证", "T14052519800101")]:
        await choose(label)
        if typed:
            await say(typed)
    assert "全国查询平台" in await say("2023-01-31")
    await choose("已查到")
    await chat.photo(images["cert"])
    assert "是否确认为问题" in await choose("完成")
    for label in ("确认是问题", "登记完成", "符合", "不符合", "无需补充", "符合", "符合", "符合"):
        await choose(label)
    assert "汇总" in shown["question"]
    await choose("提交")
    await say("赵总")
    await chat.photo(images["form"])
    await choose("完成")
    assert "已提交" in await choose("确认提交")

    assert await answers(chat) == ANSWERS
    [insp] = await records(chat, Inspection)
    assert insp.status == "submitted"
    sent = chat.fake.sent("message/send")
    assert not [c for c in sent if c.body["msgtype"] == "template_card"]
    assert not chat.fake.sent("message/update_template_card")


def test_a_card_tap_becomes_a_press_of_that_option():
    fields = {"Event": "template_card_event", "EventKey": "a1b2c3d4:2", "TaskId": "qa1b2c3d4_0123456789abcdef",
              "CardType": "button_interaction", "ResponseCode": "RESPONSE_CODE_1"}
    msg = to_incoming(xml_message("zhangjc", "event", fields, None, 1700000000))
    assert msg is not None and msg.kind == Kind.CHOICE
    assert (msg.data, msg.press_id, msg.question_id) == ("a1b2c3d4:2", "RESPONSE_CODE_1", "qa1b2c3d4_0123456789abcdef")
    assert (msg.user_id, msg.chat_id) == ("zhangjc", "zhangjc")
    # WeCom's retry repeats it exactly: the same dedupe id; another button of the card is another tap
    again = to_incoming(xml_message("zhangjc", "event", fields, None, 1700000000))
    other = to_incoming(xml_message("zhangjc", "event", {**fields, "EventKey": "a1b2c3d4:0"}, None, 1700000000))
    assert again.msg_id == msg.msg_id != other.msg_id


def test_which_choices_become_cards():
    def choices(*labels: str) -> Choices:
        return Choices("问题", tuple(Option(label, f"t:{i}") for i, label in enumerate(labels)))
    assert fits(choices("符合", "不符合", "不适用"))
    assert fits(choices(*(f"选项{i}" for i in range(MAX_BUTTONS))))
    assert not fits(choices(*(f"选项{i}" for i in range(MAX_BUTTONS + 1))))  # at most 6 buttons
    assert not fits(choices("新建：泽州县巴公煤业有限公司"))  # a button text longer than 10 characters
    assert not fits(choices())
