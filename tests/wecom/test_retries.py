"""WeCom down, then answering its frequency-limit errcode: every reply arrives afterwards, in order,
once each; nothing is marked failed after a few tries any more."""

from __future__ import annotations

import asyncio

import httpx

from bot.http import create_http_app
from tests.harness import outbox, pass_until_sent
from tests.wecom.conftest import start_wecom_bot
from tests.wecom.driver import WeComChat, serve
from tests.wecom.fake_wecom import FakeWeCom


async def test_wecom_down_then_rate_limited_every_reply_arrives_in_order_once(backend, tmp_path, fake: FakeWeCom):
    harness = await start_wecom_bot(backend, tmp_path, fake, wecom_rate_limit_wait_s=0.3,
                                    wecom_cards=False)  # one text message per reply: counted below
    core = harness.app.core
    core.retry_first, core.retry_max = 0.1, 0.5  # the back-off, shortened for the test
    asgi = create_http_app(harness.app.settings, app=harness.app, maintain=False)
    try:
        async with serve(asgi) as base_url, httpx.AsyncClient(timeout=30) as http:
            chat = WeComChat(harness, fake, base_url, http)
            await chat.register()
            fake.down = True  # WeCom unreachable: more than the 5 tries that used to end in "failed"
            start = len(fake.calls)
            for words in ("开始检查", "鸿运煤业", "帮助"):
                await chat.say(words)
            for _ in range(100):  # the maintenance loop, while WeCom stays down
                await core.deliver()
                if (await outbox(harness.app))[0].attempts >= 6:
                    break
                await asyncio.sleep(0.1)
            assert fake.texts_to(chat.user, since=start) == []
            rows = await outbox(harness.app)
            assert rows and all(r.status == "pending" for r in rows) and rows[0].attempts >= 6
            assert all(r.attempts == 0 for r in rows[1:])  # the chat's later replies wait behind the first
            fake.down = False
            fake.limit_next = 3  # then a frequency limit (errcode 45009) for a while
            await pass_until_sent(harness.app)
            said = fake.texts_to(chat.user, since=start)
            # once each, in the order they were made (a question's text starts its message)
            assert len(said) == len(rows)
            assert all(row.payload["text"][:12] in got for got, row in zip(said, rows))
            assert len(fake.refused) >= 3
    finally:
        await harness.close()




async def test_a_digest_to_100_groups_reaches_every_group_through_a_rate_limit(tmp_path, fake: FakeWeCom):
    """The daily digest to 100 bound WeCom group chats while WeCom answers 45009 to a good part of
    the sends: every group gets its digest (text and chart), once, in that order."""
    from datetime import date

    from storage.state import MemoryStateStore
    from bot.digest import post_digests

    backend = (f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore())
    harness = await start_wecom_bot(backend, tmp_path, fake, wecom_rate_limit_wait_s=0.2)
    harness.app.core.retry_first, harness.app.core.retry_max = 0.1, 0.5
    try:
        repos = harness.repos()
        try:
            bureau = await repos.org.bureau("泽州县")
            for n in range(100):
                await repos.org.bind_group(bureau, "wecom", f"grp{n:03d}", title=f"群{n}")
            await repos.commit()
        finally:
            await repos.session.close()
        fake.limit_next = 60
        result = await post_digests(harness.app, date(2023, 5, 10))
        assert len(result.posted) == 100
        await pass_until_sent(harness.app, seconds=120)
        for n in range(100):
            got = [c.body["msgtype"] for c in fake.calls
                   if c.path == "appchat/send" and c.body.get("chatid") == f"grp{n:03d}"]
            assert got == ["text", "image", "text"], (n, got)  # the digest, the chart and its caption
        assert fake.limit_next == 0
    finally:
        await harness.close()
