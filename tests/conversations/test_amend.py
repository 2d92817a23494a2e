"""A submitted inspection changes only by an amendment with a reason, and the audit log keeps the old value."""

from __future__ import annotations

from storage.models import Answer, AuditLog, Inspection
from tests.conversations.test_inspection import begin, records


async def submit_all_pass(bot, images, name="泽州县巴公煤业有限公司") -> int:
    await begin(bot, name)
    for _ in range(4):  # 1.1 .. 2.1
        reply = await bot.say("符合")
    assert "证书登记" in reply
    await bot.say("登记完成")
    for _ in range(4):  # 2.2 .. 3.3 (2.3 included)
        reply = await bot.say("符合")
    reply = await bot.say("符合")
    assert "汇总" in reply
    await bot.say("提交")
    await bot.say("赵总")
    await bot.say(f"/photo {images['form']}")
    await bot.say("完成")
    assert "已提交" in await bot.say("确认提交")
    [insp] = [i for i in await records(bot, Inspection) if i.enterprise.name == name]
    return insp.id


async def test_amendment_needs_a_reason_and_is_audited(bot, images):
    await bot.register()
    iid = await submit_all_pass(bot, images)
    assert "没有暂停中的检查" in await bot.say("继续")  # a submitted inspection is not a draft to edit
    assert "请写明要修正的检查编号" in await bot.say("修正")
    assert "不能修正" in await bot.say("修正 999")
    assert "修正原因" in await bot.say(f"修正 {iid}")
    reply = await bot.say("复核发现1.2签到表有代签")
    assert "开始修正" in reply and "汇总" in reply
    assert "1.2" in await bot.say("修改 1.2")
    assert "请写明发现的问题" in await bot.say("不符合")
    await bot.say("考勤表有 3 人代签")
    reply = await bot.say("完成修正")
    assert "修正已完成" in reply and "复核发现1.2签到表有代签" in reply

    answers = {a.requirement_id: (a.verdict, a.note) for a in await records(bot, Answer)}
    assert answers["1.2"] == ("fail", "考勤表有 3 人代签")
    [insp] = await records(bot, Inspection)
    assert insp.status == "submitted"
    audit = [(a.field, a.old, a.new, a.reason) for a in await records(bot, AuditLog)
             if a.reason.startswith("修正")]
    assert ("verdict:1.2", "pass", "fail", "修正：复核发现1.2签到表有代签") in audit
    assert ("note:1.2", "", "考勤表有 3 人代签", "修正：复核发现1.2签到表有代签") in audit
    assert ("amendment", "opened", "closed", "修正：复核发现1.2签到表有代签") in audit
    # After the amendment the bot is out of the flow: a stray answer changes nothing.
    assert "没听懂" in await bot.say("符合")


async def test_cancel_while_amending_never_cancels_the_submitted_inspection(bot, images):
    await bot.register()
    iid = await submit_all_pass(bot, images)
    await bot.say(f"修正 {iid}")
    assert "没有改动" in await bot.say("取消")
    await bot.say(f"修正 {iid}")
    await bot.say("补充说明")
    assert "没有改动" in await bot.say("取消")
    [insp] = await records(bot, Inspection)
    assert insp.status == "submitted"
