"""Enforcement after the checklist, through the console: finding → order → reminder → follow-up →
closed or escalated; a returned inspection amended with a reason and approved; all in the audit log."""

from __future__ import annotations

from datetime import date

from bot.enforcement_jobs import send_order_reminders
from storage.models import AuditLog, Inspection, RectificationOrder
from storage.models_enforcement import FollowUp, InspectionReview
from tests.conversations.test_inspection import begin, records


async def submit_with_findings(bot, images) -> int:
    """An inspection with two findings (1.2 and 3.1), submitted on 2023-05-10."""
    await begin(bot)
    await bot.say("符合")
    await bot.say("不符合")
    await bot.say("考勤表有代签")
    await bot.say("符合")
    await bot.say("符合")
    await bot.say("登记完成")
    await bot.say("符合")
    await bot.say("符合")
    await bot.say("不符合")
    await bot.say("一人一档缺考试试卷")
    await bot.say("符合")
    reply = await bot.say("符合")
    assert "问题 2 项" in reply
    await bot.say("提交")
    await bot.say("赵总")
    await bot.say(f"/photo {images['form']}")
    await bot.say("完成")
    assert "已提交" in await bot.say("确认提交")
    return (await records(bot, Inspection))[-1].id


def sent_to(bot, user: str, start: int) -> str:
    from bot.adapters.console import render

    return "\n".join(render(m) for chat, m in bot.console.sent[start:] if chat == user)


async def test_finding_order_reminder_followup_closed_and_escalated(bot, images):
    await bot.register()
    iid = await submit_with_findings(bot, images)

    reply = await bot.say(f"整改 {iid}")
    assert "下达整改 1/2" in reply and "考勤表有代签" in reply and "第九十七条第（三）项" in reply
    assert "日期格式不对" in await bot.say("下个月")
    assert "期限要晚于检查日期" in await bot.say("2023-05-01")
    assert "是否同时罚款" in await bot.say("15天")
    reply = await bot.say("不罚款")
    assert "期限 2023-05-25" in reply and "责任人 赵总" in reply and "下达整改 2/2" in reply
    await bot.say("2023-05-20")
    assert "没看懂罚款信息" in await bot.say("罚款 很多")
    reply = await bot.say("罚款 20000 晋应急罚〔2023〕12号")
    assert "罚款 20000 元（晋应急罚〔2023〕12号）" in reply and "整改单已全部下达（2 份）" in reply
    assert "没有待下达整改" in await bot.say(f"整改 {iid}")
    reply = await bot.say("整改单")
    assert "未结整改单（2 份）" in reply and "2023-05-20" in reply

    orders = await records(bot, RectificationOrder)
    assert [(o.legal_basis, o.due_date.isoformat(), o.penalty_amount, o.status) for o in orders] == [
        ("aqf97-3", "2023-05-25", None, "open"), ("aqf97-4", "2023-05-20", 20000, "open")]

    # Reminders: three days before the first due date, then overdue; each once, even when run again.
    start = len(bot.console.sent)
    assert await send_order_reminders(bot.app, date(2023, 5, 18)) == 1
    assert "将于 2023-05-20 到期" in sent_to(bot, "insp1", start)
    assert await send_order_reminders(bot.app, date(2023, 5, 18)) == 0
    assert await send_order_reminders(bot.app, date(2023, 5, 22)) == 2  # #2 overdue, #1 due soon
    reminders = sent_to(bot, "insp1", start)
    assert "已于 2023-05-20 到期未复查" in reminders and "将于 2023-05-25 到期" in reminders

    # The follow-up visit on 2023-05-22: #1 rectified (with a photo), #2 not rectified and overdue.
    bot.advance(days=12)
    reply = await bot.say(f"复查 {iid}")
    assert "复查 1/2" in reply and "考勤表有代签" in reply
    assert "复查照片已保存（共 1 张）" in await bot.say(f"/photo {images['sheet']}")
    assert "复查情况" in await bot.say("已整改")
    reply = await bot.say("新考勤表已规范签到")
    assert f"整改单 #{orders[0].id} 已整改，已销号" in reply and "复查 2/2" in reply and "已逾期 2 天" in reply
    await bot.say("未整改")
    reply = await bot.say("仍未补齐试卷")
    assert "逾期未改正，依法升级" in reply and "停产停业" in reply
    assert "销号 1 份，升级 1 份" in reply
    assert "没有未结的整改单" in await bot.say("整改单")

    orders = await records(bot, RectificationOrder)
    assert [o.status for o in orders] == ["rectified", "escalated"]
    assert "停产停业" in orders[1].measure
    followups = [(f.order_id, f.result, f.photos) for f in await records(bot, FollowUp)]
    assert followups == [(orders[0].id, "rectified", 1), (orders[1].id, "not_rectified", 0)]
    audit = [(a.entity, a.entity_id, a.field, a.old, a.new) for a in await records(bot, AuditLog, entity="order")]
    assert ("order", orders[0].id, "status", "open", "rectified") in audit
    assert ("order", orders[1].id, "status", "open", "escalated") in audit


async def test_returned_inspection_is_amended_with_a_reason_and_approved(bot, images):
    await bot.register("sup1", "王监督", "泽州县", "supervisor")
    await bot.register("other", "孙检查", "阳城县", "inspector")
    await bot.register()
    iid = await submit_with_findings(bot, images)

    assert "只有本局的监督人员" in await bot.say("待审核")
    reply = await bot.say("待审核", user="sup1")
    assert "待审核检查（1 份）" in reply and f"#{iid}" in reply
    reply = await bot.say(f"审核 {iid}", user="sup1")
    assert "汇总" in reply and "问题 2 项" in reply and "通过，或退回修改" in reply
    assert "退回原因" in await bot.say("退回", user="sup1")
    start = len(bot.console.sent)
    assert "已退回" in await bot.say("1.1 的培训计划照片不清楚，请核实", user="sup1")
    told = sent_to(bot, "insp1", start)
    assert "被 王监督 退回" in told and f"修正 {iid}" in told
    assert "没有待审核" in await bot.say("待审核", user="sup1")  # returned: with the inspector now

    await bot.say(f"修正 {iid}")
    await bot.say("按审核意见核实培训计划")
    await bot.say("修改 1.1")
    await bot.say("不适用")
    start = len(bot.console.sent)
    assert "修正已完成" in await bot.say("完成修正")
    assert "已按退回意见修正" in sent_to(bot, "sup1", start)

    reply = await bot.say(f"审核 {iid}", user="sup1")
    assert "1.1 不适用" in reply
    start = len(bot.console.sent)
    assert "审核通过" in await bot.say("通过", user="sup1")
    assert "已由 王监督 审核通过" in sent_to(bot, "insp1", start)
    assert "已审核：已通过" in await bot.say(f"审核 {iid}", user="sup1")

    [review] = await records(bot, InspectionReview)
    assert review.status == "approved"
    trail = [(a.field, a.old, a.new) for a in await records(bot, AuditLog, entity="inspection", entity_id=iid)
             if a.field in ("review", "amendment")]
    assert trail == [("review", "pending", "returned"), ("amendment", None, "opened"),
                     ("amendment", "opened", "closed"), ("review", "returned", "resubmitted"),
                     ("review", "resubmitted", "approved")]
    # Outside the supervisor's county: not theirs to see.
    assert "只有本局的监督人员" in await bot.say(f"审核 {iid}", user="other")
