"""What the bot sends through WeCom: the access token (refreshed once, shared), long texts, choices,
images and files, app group chats, group robots and their rate limit."""

from __future__ import annotations

import asyncio
import base64
import time

import pytest
from wechatpy.exceptions import WeChatClientException

from bot.adapters.wecom import make_api, state_prefix
from bot.adapters.wecom_send import WeComRobotAdapter
from bot.config import Settings
from bot.messages import Choices, Document, Image, Option, PressResult, Text
from bot.org_import import OrgFile, import_org
from tests.conftest import REDIS_URL
from tests.wecom.driver import wecom_settings

ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


async def bind(chat, **group) -> None:
    repos = chat.h.repos()
    try:
        await import_org(repos, OrgFile.model_validate({"groups": [{"bureau": "泽州县", **group}]}), "org.yaml")
        await repos.commit()
    finally:
        await repos.session.close()


# ---- the access token
async def test_token_is_refreshed_once_when_it_expires(wecom):
    await wecom.register()
    assert "可用指令" in await wecom.say("帮助")
    assert wecom.fake.token_fetches == 1
    wecom.fake.expire_tokens()
    assert "可用指令" in await wecom.say("帮助")  # one 42001, one new token, the reply sent
    assert wecom.fake.token_fetches == 2 and len(wecom.fake.refused) == 1
    assert "可用指令" in await wecom.say("帮助")
    assert wecom.fake.token_fetches == 2 and len(wecom.fake.refused) == 1
    # A server that keeps answering 42001 gets one refresh per call, not a loop.
    wecom.fake.expire_tokens()
    wecom.fake.hand_out_dead_tokens = True
    api = wecom.h.app.core.adapters["wecom"].api
    with pytest.raises(WeChatClientException) as err:
        await asyncio.to_thread(api.send_message, "zhangjc", {"msgtype": "text", "text": {"content": "x"}})
    assert err.value.errcode == 42001 and wecom.fake.token_fetches == 3


@pytest.mark.parametrize("backend", ["servers"], indirect=True)
async def test_processes_share_the_token_and_one_refreshes_it(wecom):
    settings = wecom.h.app.settings
    assert settings.redis_url
    prefix = state_prefix(wecom.h.app.state)
    workers = [make_api(settings, prefix) for _ in range(4)]  # four server processes
    msg = {"msgtype": "text", "text": {"content": "在"}}
    try:
        await asyncio.gather(*(asyncio.to_thread(w.send_message, "u1", msg) for w in workers))
        assert wecom.fake.token_fetches == 1
        wecom.fake.expire_tokens()
        await asyncio.gather(*(asyncio.to_thread(w.send_message, "u1", msg) for w in workers))
        assert wecom.fake.token_fetches == 2  # not one per worker
        assert len(wecom.fake.sent("message/send")) == 8
    finally:
        for w in workers:
            w.close()


# ---- app messages
async def test_long_text_is_split_between_lines(wecom):
    lines = [f"{i:03d} 泽州县巴公煤业有限公司：年度再教育缺 3 人，考勤表有代签。" for i in range(120)]
    text = "\n".join(lines)
    assert len(text.encode()) > 3 * 2048
    await wecom.h.app.core.send("wecom", "zhangjc", Text(text))
    pieces = wecom.fake.texts_to("zhangjc")
    assert len(pieces) >= 4 and all(len(p.encode()) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text  # nothing lost, no line cut in two


async def test_choices_images_and_files(wecom, images, tmp_path):
    core = wecom.h.app.core
    await core.send("wecom", "zhangjc", Choices("1.1 是否符合？", (Option("符合", "t:0"), Option("不符合", "t:1"))))
    [card] = wecom.fake.cards_to("zhangjc")  # short options: a template card with a button each
    assert card.body["main_title"] == {"title": "1.1 是否符合？"}
    assert [(b["text"], b["key"]) for b in card.body["button_list"]] == [("符合", "t:0"), ("不符合", "t:1")]
    await core.send("wecom", "zhangjc", Image(str(images["plan"]), caption="培训计划"))
    report = tmp_path / "report.docx"
    report.write_bytes(b"PK\x03\x04 a document")
    await core.send("wecom", "zhangjc", Document(str(report), "检查记录.docx"))
    uploads = wecom.fake.sent("media/upload")
    assert [(u.query["type"], u.body["filename"]) for u in uploads] == [("image", "plan.jpg"), ("file", "检查记录.docx")]
    assert uploads[0].body["data"] == images["plan"].read_bytes() and uploads[1].body["data"] == report.read_bytes()
    kinds = [(c.body["msgtype"], c.body.get("image", c.body.get("file", {})).get("media_id"))
             for c in wecom.fake.sent("message/send")[1:]]
    assert kinds == [("image", uploads[0].body["media_id"]), ("text", None), ("file", uploads[1].body["media_id"])]


async def test_a_press_result_wecom_refuses_does_not_hold_up_what_follows(wecom):
    """A card update WeCom refuses (a ResponseCode used, or past its 72 hours) leaves the card as it
    was: logged, not retried, and the messages after it go out."""
    core = wecom.h.app.core
    await core.send("wecom", "zhangjc", PressResult("RC-used", "qtask_1", accepted=False, popup="这个按钮已失效"))
    await core.send("wecom", "zhangjc", PressResult("", "", accepted=False, popup="不是卡片的按键"))  # nothing to do
    await core.send("wecom", "zhangjc", Text("后面的消息"))
    assert wecom.fake.card_updates_refused == 1
    assert wecom.fake.texts_to("zhangjc") == ["后面的消息"]


async def test_app_group_chat_gets_appchat_messages(wecom, images):
    await bind(wecom, wecom_chat="wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA", title="泽州县回头看工作群")
    core = wecom.h.app.core
    await core.send("wecom", "wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA", Text("今日汇总：检查 3 家"))
    await core.send("wecom", "wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA", Image(str(images["plan"])))
    await core.adapters["wecom"].send_markdown("wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA", "**今日汇总**")
    sent = wecom.fake.sent("appchat/send")
    assert [c.body["chatid"] for c in sent] == ["wrOgQhDgAAcwMTB7YmDkbeBsgT_KAAAA"] * 3
    assert [c.body["msgtype"] for c in sent] == ["text", "image", "markdown"]
    assert wecom.fake.sent("message/send") == []  # nothing went to a person of that id


# ---- group robots
async def test_robot_posts_text_markdown_image_and_file(wecom, images, tmp_path):
    await bind(wecom, wecom_robot=ROBOT_KEY)
    core = wecom.h.app.core
    await core.send("wecom_robot", ROBOT_KEY, Text("今日汇总"))
    await core.send("wecom_robot", ROBOT_KEY, Image(str(images["cert"])))
    sheet = tmp_path / "汇总.xlsx"
    sheet.write_bytes(b"PK\x03\x04 a sheet")
    await core.send("wecom_robot", ROBOT_KEY, Document(str(sheet), "汇总.xlsx"))
    await core.adapters["wecom_robot"].send_markdown(ROBOT_KEY, "# 今日汇总\n> 检查 3 家")
    sent = wecom.fake.sent("webhook/send")
    assert all(c.query["key"] == ROBOT_KEY and "access_token" not in c.query for c in sent)
    assert [c.body["msgtype"] for c in sent] == ["text", "image", "file", "markdown"]
    assert sent[0].body["text"]["content"] == "今日汇总"
    assert base64.b64decode(sent[1].body["image"]["base64"]) == images["cert"].read_bytes()  # md5 checked by the fake
    [upload] = wecom.fake.sent("webhook/upload_media")
    assert upload.body["data"] == sheet.read_bytes() and sent[2].body["file"]["media_id"] == upload.body["media_id"]


async def test_robot_rate_limit_is_shared_and_respected(state_store, tmp_path):
    from tests.wecom.fake_wecom import FakeWeCom

    fake = FakeWeCom().start()
    redis_url = REDIS_URL if hasattr(state_store, "redis") else ""
    settings = Settings(_env_file=None, **wecom_settings(fake, redis_url=redis_url))
    window = 3  # WeCom's window is 60 s; the same counting over 3 s keeps the test short
    robots = [WeComRobotAdapter(make_api(settings), state_store, window=window) for _ in range(2)]  # two processes
    assert (robots[0].rate, WeComRobotAdapter(None, state_store).window) == (20, 60)  # the production limit
    try:
        while time.time() % window > 0.3:  # start at the beginning of a window
            await asyncio.sleep(0.05)

        async def post(robot, n):
            for i in range(n):
                await robot.send(ROBOT_KEY, Text(f"消息 {i}"))

        await asyncio.gather(post(robots[0], 13), post(robots[1], 12))
        times = [c.at for c in fake.sent("webhook/send")]
        assert len(times) == 25
        buckets: dict[int, int] = {}
        for t in times:
            buckets[int(t // window)] = buckets.get(int(t // window), 0) + 1
        assert sorted(buckets.values(), reverse=True) == [20, 5]  # the 21st waited for the next window
    finally:
        for robot in robots:
            robot.api.close()
        fake.stop()
