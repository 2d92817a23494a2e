"""Bad input of every kind gets a short, specific reply and the same question again; nothing already
answered is lost and nothing wrong is stored."""

from __future__ import annotations

from bot import texts
from bot.messages import Incoming, Kind, Media, PressResult
from storage.models import Answer, Evidence, Inspection, OutboxMessage
from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from tests.conversations.test_inspection import begin, records
from tests.harness import Harness


async def test_wrong_words_choices_dates_and_files_are_refused_and_asked_again(bot, images):
    await bot.register()
    assert "没听懂“/frobnicate”" in await bot.say("/frobnicate")
    assert "没听懂" in await bot.say("随便说点什么")
    await bot.say("开始检查")
    await bot.say("泽州县巴公煤业有限公司")
    reply = await bot.say("9")
    assert "没有这个选项。请回复“新建：泽州县巴公煤业有限公司”" in reply and "1 到 1" not in reply
    assert "新建" in reply.splitlines()[-1]  # the question again
    await bot.say("1")
    assert "请从选项中选择" in (reply := await bot.say("石油")) and "煤矿" in reply
    await bot.say("煤矿")
    await bot.say("无")
    for bad in ("2023-13-45", "明年", "2023年5月"):
        reply = await bot.say(bad)
        assert "日期格式不对" in reply and "检查日期" in reply
    assert "这一步还不能存证" in await bot.say(f"/photo {images['plan']}")  # no checklist step to keep it with
    await bot.say("20230510")
    await bot.say("跳过")  # no location
    await bot.say("符合")  # 1.1
    reply = await bot.say("大概吧")
    assert "请从选项中选择" in reply and "1.2" in reply
    assert "没有这个选项" in await bot.say("4")
    assert "不是图片，未保存" in await bot.say(f"/photo {images['fake']}")
    reply = await bot.say("/file " + str(images["fake"]))
    assert "不是图片" in reply and "1.2" in reply
    reply = await bot.say("不符合")
    assert "请写明发现的问题" in reply
    assert "消息太长" in await bot.say("问" * 2001)

    [insp] = await records(bot, Inspection)
    assert insp.inspection_date.isoformat() == "2023-05-10"
    assert {a.requirement_id: a.verdict for a in await records(bot, Answer)} == {"1.1": "pass", "1.2": "fail"}
    assert await records(bot, Evidence) == []  # neither the misplaced photo nor the fake one


async def test_oversized_photo_is_refused_with_the_limit(tmp_path, images):
    bot = await Harness.start(f"sqlite+aiosqlite:///{tmp_path}/inspector.db", MemoryStateStore(), tmp_path,
                              DEFAULT_NOW, max_photo_bytes=1024 * 1024)
    try:
        await bot.register()
        await begin(bot)
        from PIL import Image
        import os

        big = tmp_path / "big.png"
        Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(big)  # ~3 MB of noise
        reply = await bot.say(f"/photo {big}")
        assert "照片太大（超过 1 MB），未保存" in reply and "1.1" in reply
        assert "共 1 张" in await bot.say(f"/photo {images['plan']}")
        assert len(await records(bot, Evidence)) == 1
    finally:
        await bot.close()


async def test_forged_and_stale_buttons_answer_nothing(bot):
    await bot.register()
    await begin(bot)
    old = bot.last_choices()  # the 1.1 verdict buttons
    start = len(bot.console.sent)
    await bot.say("/button 1")  # a real press: 1.1 符合, settled (taken) before anything else is said
    assert bot.console.sent[start][1] == PressResult("", "", accepted=True, label="符合")
    base = dict(channel="console", user_id=bot.user, chat_id=bot.user)
    # The same button again (a replayed or late tap) and forged ones: the pop-up alone, nothing
    # asked again (the question on screen is still the one to answer).
    reply = await bot.push(Incoming(**base, kind=Kind.CHOICE, data=old.options[1].data, msg_id="replay-1"))
    assert reply == texts.PRESS_STALE
    reply = await bot.push(Incoming(**base, kind=Kind.CHOICE, data="deadbeef:0", msg_id="forged-1"))
    assert reply == texts.PRESS_STALE
    reply = await bot.push(Incoming(**base, kind=Kind.CHOICE, data=bot.last_choices().options[0].data[:8] + ":99",
                                    msg_id="forged-2"))
    assert reply == texts.PRESS_STALE
    assert {a.requirement_id: a.verdict for a in await records(bot, Answer)} == {"1.1": "pass"}


async def test_a_press_taken_and_then_refused_is_shown_as_not_taken(bot):
    """提交 pressed with a requirement still open: the press matched the question, but the answer is
    refused; the press is settled as not taken, the reason and the question follow."""
    await bot.register()
    await begin(bot)
    reply = await bot.say("跳过")  # 1.1 left open
    for _ in range(12):  # the rest answered, the register closed without anyone
        if "汇总" in reply:
            break
        reply = await bot.say("登记完成" if "证书登记" in reply else "符合")
    assert "待完成：1.1 已跳过" in reply
    start = len(bot.console.sent)
    reply = await bot.say("/button 1")  # 提交
    sent = [m for _, m in bot.console.sent[start:]]
    assert sent[0] == PressResult("", "", accepted=False, popup=texts.PRESS_NOT_TAKEN)
    assert not any(isinstance(m, PressResult) for m in sent[1:])  # settled once
    assert "还有 1 项未完成（1.1）" in reply and "汇总" in reply  # the reason, and the question again


async def test_a_press_whose_handling_fails_is_settled_as_not_taken(bot, monkeypatch):
    await bot.register()
    await begin(bot)

    async def broken(ctx):
        ctx.reply("never sent")
        raise RuntimeError("handler bug")
    monkeypatch.setattr(bot.app.core, "handler", broken)
    start = len(bot.console.sent)
    reply = await bot.say("/button 1")
    sent = [m for _, m in bot.console.sent[start:]]
    assert sent[0] == PressResult("", "", accepted=False, popup=texts.PRESS_NOT_TAKEN)
    assert texts.NOT_PROCESSED in reply and "never sent" not in reply
    assert await records(bot, Answer) == []


async def test_a_press_outside_any_question_and_a_strangers_press_are_settled(bot):
    await bot.register()
    base = dict(channel="console", user_id=bot.user, chat_id=bot.user)
    start = len(bot.console.sent)
    assert await bot.push(Incoming(**base, kind=Kind.CHOICE, data="deadbeef:0", msg_id="idle-1")) == texts.PRESS_STALE
    stranger = dict(channel="console", user_id="stranger", chat_id="stranger")
    reply = await bot.push(Incoming(**stranger, kind=Kind.CHOICE, data="deadbeef:0", msg_id="stranger-1"))
    assert reply.startswith(texts.PRESS_NOT_TAKEN) and "还不是本系统的登记用户" in reply
    assert [type(m).__name__ for _, m in bot.console.sent[start:]] == ["PressResult", "PressResult", "Text"]


async def test_unregistered_user_is_refused_and_admins_told_once(bot):
    await bot.register("admin1", "赵管理", "市局", "admin")

    async def link(repos):
        admin = await repos.org.member_by_identity("console", "admin1")
        await repos.org.link_identity(admin, "telegram", "tg-admin")
        await repos.commit()
    await bot.query(link)
    stranger = dict(channel="console", user_id="stranger", chat_id="stranger", display_name="陌生人")
    for n in range(2):
        reply = await bot.push(Incoming(**stranger, kind=Kind.TEXT, text="开始检查", msg_id=f"s-{n}"))
        assert "还不是本系统的登记用户" in reply and "赵管理" in reply
    told = await records(bot, OutboxMessage, chat_id="tg-admin")  # queued for the admin's phone, once
    assert len(told) == 1 and "stranger" in str(told[0].payload) and "陌生人" in str(told[0].payload)
    assert await records(bot, Inspection) == []


async def test_photo_with_no_media_and_unsupported_kinds_get_replies(bot):
    await bot.register()
    base = dict(channel="console", user_id=bot.user, chat_id=bot.user)
    reply = await bot.push(Incoming(**base, kind=Kind.UNSUPPORTED, msg_id="u-1"))
    assert "暂不支持" in reply
    reply = await bot.push(Incoming(**base, kind=Kind.PHOTO, media=Media(ref="nowhere"), msg_id="p-1"))
    assert "照片" in reply  # outside any inspection: told where photos go
