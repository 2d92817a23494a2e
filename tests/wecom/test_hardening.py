"""The WeCom callback under attack and outage: no secret in the logs or the database while the WeCom
API cannot be reached, a message for another app refused, two menu taps in one second both
answered (and a retried tap still only once)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.models import InboxMessage, OutboxMessage
from tests.logcapture import database_dump, served_logs
from tests.wecom.driver import AES_KEY, TOKEN, xml_message
from tests.wecom.fake_wecom import AGENT_ID, SECRET


async def errors(wecom, model) -> list[str]:
    return [e for e in await wecom.h.query(lambda r: r.session.scalars(select(model.error))) if e]


async def test_no_secret_in_logs_or_database_when_wecom_is_unreachable(wecom):
    await wecom.register()
    adapter = wecom.h.app.core.adapters["wecom"]
    core = wecom.h.app.core
    core.retry_first = core.retry_max = 0  # retried at once (the shortest wait, 0.2 s), not after 5 s

    async def deliver_again() -> None:
        await asyncio.sleep(0.25)
        await core.deliver()
    with served_logs() as logs:
        assert "被检查单位名称" in await wecom.say("开始检查")  # the access token is fetched and used
        issued = sorted(wecom.fake.valid_tokens)
        wecom.fake.stop()  # WeCom is unreachable from now on
        for _ in range(3):
            assert await wecom.say("巴公") == ""  # acknowledged and handled; the reply waits
            await deliver_again()
        assert any("access_token=[redacted]" in e for e in await errors(wecom, OutboxMessage))
        # the token is gone too: fetching a new one fails with the secret in the URL
        adapter.api.client.session.delete(adapter.api.client.access_token_key)
        await deliver_again()
        await deliver_again()
        assert any("corpsecret=[redacted]" in e for e in await errors(wecom, OutboxMessage))

        # A failure while handling a message whose text carries the same URLs is stored redacted too.
        async def failing(ctx):
            raise RuntimeError(f"{wecom.fake.url}gettoken?corpid=x&corpsecret={SECRET} "
                               f"message/send?access_token={issued[0]}")
        handler, wecom.h.app.core.handler = wecom.h.app.core.handler, failing
        try:
            await wecom.say("进度")
        finally:
            wecom.h.app.core.handler = handler
        [failed] = await errors(wecom, InboxMessage)
        assert "corpsecret=[redacted]" in failed and "access_token=[redacted]" in failed
    logged = logs.getvalue()
    assert "delivery of outbox" in logged and "[redacted]" in logged
    stored = await wecom.h.query(database_dump)
    assert issued and SECRET not in stored
    for secret in (SECRET, *issued, TOKEN, AES_KEY):
        assert secret not in logged, secret
        assert secret not in stored, secret


async def test_a_message_for_another_app_is_refused_and_changes_nothing(wecom):
    await wecom.register()
    xml = xml_message("zhangjc", "text", {"Content": "开始检查"}, "9101", 1700000000)
    for other in (xml.replace(f"<AgentID>{AGENT_ID}</AgentID>", "<AgentID>999</AgentID>"),
                  xml.replace(f"<AgentID>{AGENT_ID}</AgentID>", "<AgentID><![CDATA[1000003]]></AgentID>")):
        body, params = wecom.encrypt(other)
        assert (await wecom.post(body, params)).status_code == 403
    # Corp-wide events carry no AgentID: nothing for this app, acknowledged so WeCom stops sending them.
    body, params = wecom.encrypt(xml.replace(f"<AgentID>{AGENT_ID}</AgentID>", ""))
    assert (await wecom.post(body, params)).status_code == 200
    await wecom.settle()
    assert await errors(wecom, InboxMessage) == []
    assert list(await wecom.h.query(lambda r: r.session.scalars(select(InboxMessage.id)))) == []
    assert wecom.fake.calls == []
    # This app's AgentID (what the driver sends) is answered.
    assert "被检查单位名称" in await wecom.send_xml(xml)


async def test_two_menu_taps_in_one_second_are_both_answered(wecom):
    await wecom.register()
    created = 1700000300
    tap = lambda key: xml_message("zhangjc", "event", {"Event": "click", "EventKey": key}, None, created)  # noqa: E731
    assert "可用指令" in await wecom.send_xml(tap("help"))
    assert "被检查单位名称" in await wecom.send_xml(tap("start_inspection"))
    assert await wecom.send_xml(tap("help")) == ""  # WeCom's retry of the first tap: handled once
    assert await wecom.send_xml(tap("start_inspection")) == ""
    keys = list(await wecom.h.query(lambda r: r.session.scalars(select(InboxMessage.dedupe_key))))
    assert sorted(keys) == [f"zhangjc:{created}:click:help", f"zhangjc:{created}:click:start_inspection"]
