"""A quieter, more telling Telegram: plain button labels, a greeting by name and role with help for
that role, command menus per role and scope, a share-location button at the location step, and a
group help that lists only what reaches a bot in privacy mode."""

from __future__ import annotations

from bot.adapters.telegram_menu import set_command_menus
from tests.telegram.conftest import ADMIN, GROUP, INSPECTOR, SUPERVISOR
from tests.telegram.driver import TgUser, adapter_of
from tests.telegram.fake_api import FakeBotAPI


async def test_start_greets_by_name_and_role_with_that_roles_help(tg_app, fake_api: FakeBotAPI, transport):
    inspector = TgUser(fake_api, transport, INSPECTOR, "张检查")
    said = await inspector.say("/start")
    assert said.startswith("您好，张检查（泽州县检查人员）")
    assert "开始检查（/inspect）" in said and "待审核" not in said and "/bind" not in said
    supervisor = TgUser(fake_api, transport, SUPERVISOR, "督查乙")
    said = await supervisor.say("/start")
    assert said.startswith("您好，督查乙（泽州县督查负责人）") and "待审核（/pending）" in said and "/bind" not in said
    admin = TgUser(fake_api, transport, ADMIN, "管理员甲")
    said = await admin.say("/start")
    assert said.startswith("您好，管理员甲（市局管理员）") and "待审核" in said and "/bind" in said
    # 帮助 gives the same help for the role, without the greeting
    assert "待审核" not in await inspector.say("帮助")


async def test_group_help_lists_only_commands(tg_app, fake_api: FakeBotAPI, transport):
    in_group = TgUser(fake_api, transport, SUPERVISOR, "督查乙", chat_id=GROUP)
    said = await in_group.say("/help@inspector_test_bot")
    lines = [line for line in said.splitlines() if line.startswith("•")]
    assert lines and all(line.startswith("• /") for line in lines)  # privacy mode: words never arrive


async def test_command_menus_per_role_and_scope(tg_app, fake_api: FakeBotAPI):
    assert await set_command_menus(adapter_of(tg_app)) == 4
    private = [c for c, _ in fake_api.menus["all_private_chats"]]
    assert private[0] == "inspect" and "review" not in private
    assert [c for c, _ in fake_api.menus["all_group_chats"]] == ["progress", "city", "bind", "help"]
    for overseer in (SUPERVISOR, ADMIN):  # their own chats: the review commands too
        assert {"pending", "review"} <= {c for c, _ in fake_api.menus[f"chat:{overseer}"]}
    assert f"chat:{INSPECTOR}" not in fake_api.menus
    assert all(description for menu in fake_api.menus.values() for _, description in menu)


async def test_buttons_are_plain_labels_and_location_has_a_share_button(tg_app, fake_api: FakeBotAPI, transport):
    user = TgUser(fake_api, transport, INSPECTOR, "张检查")
    await user.say("开始检查")
    await user.say("泽州县巴公煤业有限公司")
    await user.press("新建：泽州县巴公煤业有限公司")
    assert user.question().labels == ["煤矿", "非煤矿山", "危险化学品", "金属冶炼", "其他"]  # no "1. "
    await user.press("煤矿")
    await user.say("王五")
    mark = fake_api.mark()
    assert "定位" in await user.say("2023-05-10")
    [asked] = fake_api.sent_after(mark, user.chat_id)
    keyboard = asked.reply_markup["keyboard"]
    assert keyboard[0][0]["request_location"] is True and keyboard[1][0]["text"] == "跳过"
    assert asked.reply_markup["one_time_keyboard"] is True
    mark = fake_api.mark()
    assert "1.1" in await user.location(35.50, 112.84)
    closed, question = fake_api.sent_after(mark, user.chat_id)
    assert closed.reply_markup == {"remove_keyboard": True} and "定位已保存" in closed.text
    assert question.labels == ["符合", "不符合", "不适用"]


async def test_menus_are_skipped_when_telegram_cannot_be_reached(tg_app, fake_api: FakeBotAPI):
    adapter = adapter_of(tg_app)
    fake_api.stop()  # a start while Telegram is unreachable must not stop the bot
    assert await set_command_menus(adapter) == 0
