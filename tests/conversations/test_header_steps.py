"""The steps between the enterprise and the checklist (companions, date, location) are part of the
record: a position rebuilt from the database (暂停/继续, a restart, a flushed Redis) asks the one
still open instead of skipping to 1.1; companions are names, replaced and cleared as the inspector
says; 上一步 works without history; the register menu keeps its place."""

from __future__ import annotations

from datetime import date

import pytest

from storage.models import Answer, Certificate, Inspection
from storage.state import MemoryStateStore, RedisStateStore
from tests.conversations.test_inspection import begin, records
from tests.harness import Harness

NAME = "泽州县巴公煤业有限公司"


async def start_until(bot, step: str) -> None:
    """开始检查 up to the question of `step`."""
    assert "被检查单位名称" in await bot.say("开始检查")
    await bot.say(NAME)
    await bot.say(str(len(bot.last_choices().options)))  # 新建
    assert "同行检查人员" in await bot.say("煤矿")
    if step == "co_inspectors":
        return
    assert "检查日期" in await bot.say("王五")
    if step == "date":
        return
    assert "定位" in await bot.say("2023年5月8日")


async def lose_cursor(bot: Harness, how: str, tmp_path, next_message: str) -> tuple[Harness, str]:
    """暂停 then 继续 N; or the process restarts (and, on the servers, Redis is flushed) and the
    inspector sends `next_message`. The bot and its reply."""
    if how == "pause":
        assert "已暂停" in await bot.say("暂停")
        [insp] = await records(bot, Inspection)
        return bot, await bot.say(f"继续 {insp.id}")
    state = bot.app.state
    if isinstance(state, RedisStateStore):
        keys = [k async for k in state.redis.scan_iter(match=f"{state.prefix}:*")]
        if keys:
            await state.redis.delete(*keys)
    else:
        state = MemoryStateStore()
    url = str(bot.app.settings.database_url)
    await bot.close()
    again = await Harness.start(url, state, tmp_path, bot.now)
    again.user = bot.user
    reply = await again.say(next_message)
    assert "已从记录中恢复检查" in reply and "没有作为回答保存" in reply
    return again, reply


@pytest.mark.parametrize("how", ["pause", "restart"])
@pytest.mark.parametrize("step", ["co_inspectors", "date", "location"])
async def test_a_rebuilt_position_asks_the_open_step_before_the_checklist(bot, tmp_path, step, how):
    await bot.register()
    await start_until(bot, step)
    bot, reply = await lose_cursor(bot, how, tmp_path, "王五")
    try:
        question = {"co_inspectors": "同行检查人员", "date": "检查日期", "location": "定位"}[step]
        assert question in reply and "1.1" not in reply
        if step == "co_inspectors":
            assert "检查日期" in await bot.say("王五")
        if step in ("co_inspectors", "date"):
            assert "定位" in await bot.say("2023年5月8日")
        assert "1.1" in await bot.say("跳过")
        [insp] = await records(bot, Inspection)
        assert insp.inspection_date == date(2023, 5, 8)  # the date was asked, never silently today's
        assert [i.name for i in insp.inspectors] == ["张检查", "王五"]
        assert insp.steps_done == ["co_inspectors", "date", "location"]
    finally:
        await bot.close()


async def test_back_after_resuming_goes_to_the_step_before(bot):
    await bot.register()
    await begin(bot)
    await bot.say("符合")  # 1.1
    assert "已暂停" in await bot.say("暂停")
    [insp] = await records(bot, Inspection)
    assert "1.2" in await bot.say(f"继续 {insp.id}")
    assert "1.1" in await bot.say("上一步")
    assert "定位" in await bot.say("上一步")
    assert "检查日期" in await bot.say("上一步")
    assert "同行检查人员" in await bot.say("上一步")
    reply = await bot.say("上一步")
    assert "被检查单位名称" in reply  # the enterprise can be chosen again


async def test_back_at_companions_rechooses_the_enterprise_of_the_same_inspection(bot):
    await bot.register()
    await start_until(bot, "co_inspectors")
    assert "被检查单位名称" in await bot.say("上一步")
    await bot.say("晋城福盛钢铁")
    await bot.say(str(len(bot.last_choices().options)))  # 新建
    reply = await bot.say("金属冶炼")
    assert "被检查单位改为：晋城福盛钢铁" in reply and "同行检查人员" in reply
    [insp] = await records(bot, Inspection)  # still one inspection
    assert insp.enterprise.name == "晋城福盛钢铁"


async def test_companions_are_names_replaced_and_cleared(bot):
    await bot.register()
    await start_until(bot, "co_inspectors")
    reply = await bot.say("2023年5月16日")
    assert "检查日期在下一步填写" in reply and "同行检查人员" in reply
    assert "不像姓名" in await bot.say("🙂")
    assert "不像姓名" in await bot.say("王五、13800138000")
    assert "检查人员：张检查、王五、赵六" in await bot.say("王五、赵六")
    assert "同行检查人员" in await bot.say("上一步")
    assert "检查人员：张检查、李四" in await bot.say("李四")  # replaced, not added to
    await bot.say("上一步")
    assert "检查人员：张检查" in await bot.say("无")  # cleared
    [insp] = await records(bot, Inspection)
    assert [i.name for i in insp.inspectors] == ["张检查"]


async def test_date_option_says_today_only_for_today(bot):
    await bot.register()
    await start_until(bot, "date")
    assert bot.last_choices().options[0].label == "2023-05-10（今天）"
    await bot.say("2023-05-09")
    await bot.say("上一步")
    assert bot.last_choices().options[0].label == "保持 2023-05-09"


async def test_the_register_menu_keeps_its_place(bot, images):
    await bot.register()
    await begin(bot)
    for answer in ("符合", "符合", "符合", "符合"):  # 1.1 .. 2.1
        await bot.say(answer)
    assert "2.2" in await bot.say("登记完成")
    assert "证书登记" in await bot.say("上一步")
    for person in ("李四", "赵六"):  # each person registered goes back to the menu
        assert "人员姓名" in await bot.say("登记一人")
        await bot.say(person)
        await bot.say("特种作业人员")
        await bot.say("特种作业操作证")
        await bot.say("T14052519800101" if person == "李四" else "T14052519800102")
        await bot.say("2030-01-01")
        await bot.say("已查到")
        reply = await bot.say("完成")
        assert "证书登记" in reply and "2.2" not in reply
    assert "2.2" in await bot.say("登记完成")
    assert "2.2：不适用" in await bot.say("3")
    answers = {a.requirement_id: a.verdict for a in await records(bot, Answer)}
    assert answers["2.2"] == "na" and len(await records(bot, Certificate)) == 2


async def test_responsible_person_must_be_a_name(bot, images):
    await bot.register()
    await begin(bot)
    await bot.say(f"/photo {images['plan']}")
    for answer in ("符合", "符合", "符合", "符合"):  # 1.1 .. 2.1
        await bot.say(answer)
    await bot.say("登记完成")
    for answer in ("不适用", "不适用", "符合", "符合", "符合"):  # 2.2 .. 3.3
        await bot.say(answer)
    assert "负责人" in await bot.say("提交")
    for bad in ("🙂", "2023年5月16日", "赵总1"):
        assert "请输入一个人的姓名" in await bot.say(bad)
    assert "签字的纸质检查表" in await bot.say("赵大勇")
    [insp] = await records(bot, Inspection)
    assert insp.responsible_person == "赵大勇"


async def test_an_amendment_can_change_and_clear_the_companions(bot, images):
    from tests.documents.drive import complete_inspection

    await bot.register()
    assert "已提交" in await complete_inspection(bot, images, co="王五")
    [insp] = await records(bot, Inspection)
    assert "修正原因" in await bot.say(f"修正 {insp.id}")
    await bot.say("同行人员写错了")
    assert "同行检查人员" in await bot.say("修改 人员") and "王五" in bot.last_choices().text
    reply = await bot.say("无")
    assert "检查人员：张检查" in reply and "汇总" in reply  # back where the amendment was
    assert "修正已完成" in await bot.say("完成修正")
    [insp] = await records(bot, Inspection)
    assert [i.name for i in insp.inspectors] == ["张检查"]
