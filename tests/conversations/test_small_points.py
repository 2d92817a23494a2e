"""Small things an inspector runs into: a button label typed as shown, an over-long name with 开始检查,
继续 at the cancel question, 进度 while the register is open, a verdict word at the note step."""

from __future__ import annotations

from storage.models import Enterprise, Inspection
from tests.conversations.test_inspection import begin, records


async def test_typing_the_new_enterprise_label_as_shown_creates_that_name(bot):
    await bot.register()
    await bot.say("开始检查")
    await bot.say("测试煤业")
    assert "属于哪个行业" in await bot.say("新建：测试煤业")  # full-width colon, as on the button
    await bot.say("煤矿")
    assert [e.name for e in await records(bot, Enterprise)] == ["测试煤业"]


async def test_an_over_long_name_with_start_is_refused_like_a_typed_one(bot):
    await bot.register()
    reply = await bot.say("开始检查 " + "煤" * 280)
    assert "不超过 100" in reply or "100" in reply
    assert await records(bot, Inspection) == [] and await records(bot, Enterprise) == []
    assert "被检查单位名称" in await bot.say("开始检查")  # nothing stuck


async def test_continue_at_the_cancel_question_means_do_not_cancel(bot):
    await bot.register()
    await begin(bot)
    assert "确定取消" in await bot.say("取消")
    reply = await bot.say("继续")
    assert "1.1" in reply
    [insp] = await records(bot, Inspection)
    assert insp.status == "draft"


async def test_progress_does_not_count_the_register_as_a_requirement(bot):
    await bot.register()
    await begin(bot)
    await bot.say("符合")
    await bot.say("符合")
    reply = await bot.say("进度")
    assert "已答 2/9 项，待完成 7 项" in reply and "证书登记尚未完成" in reply


async def test_a_verdict_word_at_the_note_step_is_not_taken_as_the_problem(bot):
    await bot.register()
    await begin(bot)
    assert "请写明发现的问题" in await bot.say("不符合")
    reply = await bot.say("符合")
    assert "这里请写明发现的问题" in reply and "1.1 不符合" in reply
    assert "问题已记录" in await bot.say("培训计划未经审批")


async def test_submit_hands_over_the_form_to_sign_before_asking_for_the_signature(bot, images):
    from docx import Document as Docx

    from tests.documents.drive import documents_sent

    await bot.register()
    await begin(bot)
    for answer in ("符合", "符合", "符合", "符合"):  # 1.1 .. 2.1
        await bot.say(answer)
    await bot.say("登记完成")
    for answer in ("符合", "符合", "符合", "符合", "符合"):  # 2.2 .. 3.3
        await bot.say(answer)
    reply = await bot.say("提交")
    [form] = documents_sent(bot)
    assert "签字版" in form.filename and "负责人" in reply
    text = "\n".join(p.text for p in Docx(form.path).paragraphs)
    assert "泽州县巴公煤业有限公司" in text
