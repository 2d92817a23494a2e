"""Small things met on a phone (issue 19): a one-option question says what to type (not "1 到 1"),
/photo without a path says how, an empty message is answered, the register counts each person's
photos, a photo at the register menu is kept."""

from __future__ import annotations

from bot import texts
from tests.conversations.test_inspection import begin


async def test_one_option_empty_line_and_photo_usage(bot, images):
    await bot.register()
    assert bot_reply_is(await bot.say(""), texts.EMPTY_OUTSIDE_FLOW)
    assert "用法：/photo 文件路径" in await bot.say("/photo")
    assert "用法：/voice 文件路径" in await bot.say("/voice   ")
    assert "找不到文件：/nowhere.jpg" in await bot.say("/photo /nowhere.jpg")
    await begin(bot)
    reply = await bot.say("")  # inside the checklist: said, and the question again
    assert texts.EMPTY_TEXT in reply and "1.1" in reply
    for word in ("符合", "符合", "符合", "符合", "登记一人", "李四", "特种作业人员", "特种作业操作证", "T14052519800101",
                 "2025-01-31", "已查到"):
        await bot.say(word)
    reply = await bot.say("2")  # the photo step has one option: 完成
    assert "没有这个选项。请回复“完成”。" in reply and "1 到 1" not in reply
    assert "请回复“完成”" in await bot.say("好了")


def bot_reply_is(reply: str, text: str) -> bool:
    return reply.strip() == text


async def test_certificate_photos_are_counted_per_person(bot, images):
    await bot.register()
    await begin(bot)
    for word in ("符合", "符合", "符合", "符合"):
        await bot.say(word)
    assert "照片已保存到 证书登记（共 1 张）" in await bot.say(f"/photo {images['sheet']}")  # the register menu
    for person, photo in (("李四", "cert"), ("王小虎", "plan")):
        for word in ("登记一人", person, "特种作业人员", "特种作业操作证", "T14052519800101", "2025-01-31", "已查到"):
            await bot.say(word)
        assert f"{person} 的证件照片已保存（共 1 张）" in await bot.say(f"/photo {images[photo]}")
        await bot.say("完成")
