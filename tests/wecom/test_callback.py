"""The callback route: WeCom's official sample vectors, forgeries refused with nothing stored,
retries handled once, and what each kind of WeCom message becomes."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest
from sqlalchemy import func, select
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.http import create_http_app
from storage.models import AccessRequest, InboxMessage
from tests.wecom.conftest import start_wecom_bot
from tests.wecom.driver import AES_KEY, TOKEN, serve, xml_message
from tests.wecom.fake_wecom import FakeWeCom

# WeCom's documentation, 加解密方案说明 (the WXBizMsgCrypt samples)
SAMPLE_CORP, SAMPLE_TOKEN, SAMPLE_KEY = "wx5823bf96d3bd56c7", "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
SAMPLE_URL_CHECK = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589", "nonce": "263014780",
    "echostr": unquote("P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D"),
}
SAMPLE_POST = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
               "nonce": "1372623149"}
SAMPLE_BODY = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo"
    "+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSp"
    "GLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izo"
    "un1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZ"
    "S9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
    "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>")


async def count(chat_or_harness, model) -> int:
    h = getattr(chat_or_harness, "h", chat_or_harness)
    return await h.query(lambda repos: repos.session.scalar(select(func.count()).select_from(model)))


async def test_official_sample_vectors_verify_and_decrypt(backend, tmp_path):
    fake = FakeWeCom(corp_id=SAMPLE_CORP).start()
    harness = await start_wecom_bot(backend, tmp_path, fake, wecom_corp_id=SAMPLE_CORP, wecom_agent_id="218",
                                    wecom_token=SAMPLE_TOKEN, wecom_aes_key=SAMPLE_KEY)  # the sample's app
    try:
        asgi = create_http_app(harness.app.settings, app=harness.app, maintain=False)
        async with serve(asgi) as base, httpx.AsyncClient() as http:
            check = await http.get(f"{base}/wecom/callback", params=SAMPLE_URL_CHECK)
            assert (check.status_code, check.text) == (200, "1616140317555161061")
            raw = "&".join(f"{k}={v}" for k, v in SAMPLE_URL_CHECK.items())  # "+" and "/" left unescaped
            check = await http.get(f"{base}/wecom/callback?{raw}")
            assert (check.status_code, check.text) == (200, "1616140317555161061")
            post = await http.post(f"{base}/wecom/callback", params=SAMPLE_POST, content=SAMPLE_BODY.encode())
            assert (post.status_code, post.content) == (200, b"")
            while harness.app.core.busy:
                await harness.app.core.drain()
        # The sample is a text "hello" from user "mycreate", who is not registered here.
        assert await harness.query(lambda r: r.inbox.pending_users()) == []  # processed
        stored = await harness.query(lambda r: r.session.scalar(select(InboxMessage)))
        assert stored.payload["user_id"] == "mycreate" and stored.payload["text"] == "hello"
        assert stored.dedupe_key == "4561255354251345929"
        [reply] = fake.sent("message/send")
        assert reply.body["touser"] == "mycreate" and "不是本系统的登记用户" in reply.body["text"]["content"]
    finally:
        for adapter in harness.app.core.adapters.values():
            await adapter.close()
        await harness.close()
        fake.stop()


async def test_forgeries_are_refused_and_change_nothing(wecom):
    await wecom.register()
    xml = xml_message("zhangjc", "text", {"Content": "开始检查"}, "9001", 1700000000)
    body, params = wecom.encrypt(xml)
    forged = {**params, "msg_signature": "0" * 40}
    assert (await wecom.post(body, forged)).status_code == 403
    assert (await wecom.post(body, {**params, "timestamp": "1"})).status_code == 403  # signed another time
    foreign = WeChatCrypto(TOKEN, AES_KEY, "wwsomeothercorp")  # right key and token, another corp id
    body2, params2 = wecom.encrypt(xml, crypto=foreign)
    assert (await wecom.post(body2, params2)).status_code == 403
    other_key = WeChatCrypto(TOKEN, "A" * 43, "wwfakecorp0001")  # signed correctly, undecryptable here
    body3, params3 = wecom.encrypt(xml, crypto=other_key)
    assert (await wecom.post(body3, params3)).status_code == 403
    assert (await wecom.post(b"not xml at all", params)).status_code == 403
    assert (await wecom.post(b"<xml><Encrypt>short</Encrypt></xml>", params)).status_code == 403
    assert (await wecom.post(body, {})).status_code == 403
    url_check = await wecom.http.get(f"{wecom.base_url}/wecom/callback",
                                     params={**params, "echostr": "Zm9yZ2Vk"})
    assert url_check.status_code == 403
    await wecom.settle()
    assert await count(wecom, InboxMessage) == 0 and await count(wecom, AccessRequest) == 0
    assert wecom.fake.calls == [] and wecom.fake.refused == []
    # The genuine message still goes through.
    assert (await wecom.post(body, params)).status_code == 200
    await wecom.settle()
    assert await count(wecom, InboxMessage) == 1
    assert "被检查单位名称" in "".join(wecom.fake.texts_to("zhangjc"))


async def test_oversized_body_is_refused(wecom):
    body, params = wecom.encrypt(xml_message("zhangjc", "text", {"Content": "x" * 300_000}, "9002", 1700000000))
    assert (await wecom.post(body, params)).status_code == 413
    assert await count(wecom, InboxMessage) == 0


async def test_a_replayed_callback_is_handled_once(wecom):
    await wecom.register()
    body, params = wecom.encrypt(xml_message("zhangjc", "text", {"Content": "开始检查"}, "9003", 1700000000))
    first = [await wecom.post(body, params) for _ in range(3)]  # WeCom's retries, before we answered
    await wecom.settle()
    later = await wecom.post(body, params)  # and a replay long after
    await wecom.settle()
    assert [r.status_code for r in first + [later]] == [200] * 4
    assert wecom.fake.texts_to("zhangjc") == ["请输入被检查单位名称（几个字即可，我来查找）："]
    assert await count(wecom, InboxMessage) == 1
    # Events have no MsgId: their retries repeat sender and CreateTime.
    event = xml_message("zhangjc", "event", {"Event": "enter_agent", "EventKey": ""}, None, 1700000100)
    body, params = wecom.encrypt(event)
    for _ in range(2):
        assert (await wecom.post(body, params)).status_code == 200
        await wecom.settle()
    assert sum("您好，张检查" in t for t in wecom.fake.texts_to("zhangjc")) == 1


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
async def test_each_kind_of_message(wecom):
    await wecom.register()
    await wecom.register("admin1", name="李管理", bureau="晋城市", role="admin")
    wecom.user = "zhangjc"
    assert "您好，张检查（泽州县检查人员）" in await wecom.event("enter_agent")
    assert "被检查单位名称" in await wecom.event("click", "start_inspection")
    assert "取消" in await wecom.say("取消") + wecom.last_reply
    assert "可用指令" in await wecom.event("click", "help")
    assert "语音和视频要在检查中发送" in await wecom.send_xml(  # kept as evidence in an inspection only
        xml_message("zhangjc", "voice", {"MediaId": "V1", "Format": "amr"}, "9010", 1700000200))
    assert "暂不支持这种消息类型" in await wecom.send_xml(
        xml_message("zhangjc", "link", {"Title": "t", "Url": "http://example.org"}, "9011", 1700000201))
    before = len(wecom.fake.calls)
    assert await wecom.event("LOCATION") == ""  # the app's automatic location report: no answer
    assert len(wecom.fake.calls) == before
    # Someone not registered: told whom to ask; the admins are told once.
    assert "李管理" in await wecom.say("你好", user="stranger")
    await wecom.say("在吗", user="stranger")
    notices = wecom.fake.texts_to("admin1")
    assert len(notices) == 1 and "stranger" in notices[0]
