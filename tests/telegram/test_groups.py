"""Group chats: an admin binds a group to a bureau; nothing private is handled or sent there."""

from __future__ import annotations

from sqlalchemy import select

from bot import texts
from storage.models import Bureau, Evidence, GroupBinding
from tests.telegram.conftest import ADMIN, GROUP, INSPECTOR, SUPERVISOR
from tests.telegram.driver import TgUser
from tests.telegram.fake_api import FakeBotAPI


async def bindings(app) -> list[tuple[str, str, str]]:
    repos = app.core.repos()
    try:
        rows = await repos.session.execute(
            select(GroupBinding.channel, GroupBinding.chat_id, Bureau.name).join(Bureau).order_by(GroupBinding.id))
        return [tuple(r) for r in rows.all()]
    finally:
        await repos.session.close()


async def test_an_admin_binds_a_group_and_others_are_refused(tg_app, fake_api: FakeBotAPI, transport):
    inspector = TgUser(fake_api, transport, INSPECTOR, "张检查", chat_id=GROUP)
    supervisor = TgUser(fake_api, transport, SUPERVISOR, "督查乙", chat_id=GROUP)
    admin = TgUser(fake_api, transport, ADMIN, "管理员甲", chat_id=GROUP)

    assert texts.GROUP_BIND_ADMIN_ONLY in await inspector.say("/bind 泽州县")
    assert texts.GROUP_BIND_ADMIN_ONLY in await supervisor.say("/bind@inspector_test_bot 泽州县")
    assert await bindings(tg_app) == []

    assert texts.GROUP_BIND_USAGE in await admin.say("/bind")
    reply = await admin.say("/bind 火星县")
    assert "没有找到“火星县”" in reply and "泽州县" in reply
    assert await bindings(tg_app) == []

    reply = await admin.say("/bind@inspector_test_bot 泽州县")
    assert "本群已绑定到泽州县应急管理局" in reply
    assert await bindings(tg_app) == [("telegram", str(GROUP), "泽州县应急管理局")]
    assert "本群已绑定到陵川县应急管理局" in await admin.say("/bind 陵川县")  # rebinding moves it
    assert await bindings(tg_app) == [("telegram", str(GROUP), "陵川县应急管理局")]
    # every reply went to the group itself
    assert {s.chat_id for s in fake_api.sent_after(0)} == {GROUP}


async def test_private_work_is_not_done_in_a_group(tg_app, fake_api: FakeBotAPI, transport, images):
    in_group = TgUser(fake_api, transport, INSPECTOR, "张检查", chat_id=GROUP)
    assert texts.GROUP_NO_PRIVATE in await in_group.say("开始检查")
    assert texts.GROUP_NO_PRIVATE in await in_group.photo(images["plan"])
    repos = tg_app.core.repos()
    try:
        assert (await repos.session.scalars(select(Evidence))).all() == []
    finally:
        await repos.session.close()
    assert fake_api.calls_of("getFile") == []  # the photo was not even downloaded
    # /bind is a group word: in a private chat it is not understood
    private = TgUser(fake_api, transport, ADMIN, "管理员甲")
    assert "没听懂" in await private.say("/bind 泽州县")
    assert await bindings(tg_app) == []
