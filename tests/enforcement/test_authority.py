"""Review and authority, through the console on both backends: an approved inspection amended
afterwards goes back to review and its reviewer is told; nobody approves or closes a flag on an
inspection they took part in; a group is bound only to the binder's own bureau (the city bureau's
admins: any); 我的检查 shows a returned inspection as returned, with the reason."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from bot.messages import Incoming, Kind
from storage.models import AuditLog, Bureau, GroupBinding, Inspection, IntegrityFlag, Member
from storage.models_enforcement import InspectionReview
from tests.conversations.test_amend import submit_all_pass
from tests.conversations.test_inspection import begin, records
from tests.enforcement.test_orders_review import sent_to


async def submit_as(bot, user: str, images, name: str, co: str = "王五") -> int:
    """`user` submits an all-pass inspection of `name` with `co` as the companion."""
    bot.user = user
    await begin(bot, name, co=co)
    for _ in range(4):
        await bot.say("符合")
    await bot.say("登记完成")
    for _ in range(5):
        reply = await bot.say("符合")
    assert "汇总" in reply
    await bot.say("提交")
    await bot.say("赵总")
    await bot.say(f"/photo {images['form']}")
    await bot.say("完成")
    assert "已提交" in await bot.say("确认提交")
    [insp] = [i for i in await records(bot, Inspection) if i.enterprise.name == name]
    return insp.id


async def review_of(bot, iid: int) -> InspectionReview | None:
    rows = await records(bot, InspectionReview, inspection_id=iid)
    return rows[0] if rows else None


async def approve(bot, iid: int, user: str) -> None:
    assert "通过，或退回修改" in await bot.say(f"审核 {iid}", user=user)
    assert "审核通过" in await bot.say("通过", user=user)


async def set_active(bot, user_name: str, active: bool) -> None:
    async def q(repos):
        [member] = await repos.org.members_named(user_name)
        repos.org.update_member(member, active=active)
        await repos.commit()
    await bot.query(q)


async def test_amending_an_approved_inspection_returns_it_to_review_and_tells_the_reviewer(bot, images):
    await bot.register("sup1", "王监督", "泽州县", "supervisor")
    await bot.register("sup2", "刘监督", "泽州县", "supervisor")
    await bot.register("city", "赵局长", "市局", "supervisor")
    await bot.register()
    iid = await submit_all_pass(bot, images)
    await approve(bot, iid, "sup1")
    assert f"#{iid} 泽州县巴公煤业有限公司 2023-05-10 已审核通过" in await bot.say("我的检查")

    # An amendment that changes nothing leaves the approval alone.
    await bot.say(f"修正 {iid}")
    await bot.say("核对一遍")
    assert "没有改动" in await bot.say("完成修正")
    assert (await review_of(bot, iid)).status == "approved"

    # A real change: back to 待审核, the amender is told so, and the approving reviewer is told why.
    await bot.say(f"修正 {iid}")
    await bot.say("复核发现1.2签到表有代签")
    await bot.say("修改 1.2")
    await bot.say("不符合")
    await bot.say("考勤表有 3 人代签")
    start = len(bot.console.sent)
    reply = await bot.say("完成修正")
    assert "修正已完成" in reply and "已回到待审核" in reply
    told = sent_to(bot, "sup1", start)
    assert f"已审核通过的检查 #{iid}" in told and "被 张检查 修正（原因：复核发现1.2签到表有代签）" in told
    assert f"审核 {iid}" in told
    assert sent_to(bot, "sup2", start) == "" and sent_to(bot, "city", start) == ""  # the reviewer was reachable

    assert (await review_of(bot, iid)).status == "resubmitted"
    assert "已修正待复审" in await bot.say("我的检查")
    reply = await bot.say("待审核", user="sup1")
    assert "待审核检查（1 份）" in reply and f"#{iid}" in reply
    assert "1.2 不符合" in await bot.say(f"审核 {iid}", user="sup1")
    assert "审核通过" in await bot.say("通过", user="sup1")
    assert (await review_of(bot, iid)).status == "approved"

    # The approving reviewer has left: the bureau's other reviewers are told instead.
    await set_active(bot, "王监督", False)
    await bot.say(f"修正 {iid}")
    await bot.say("补充1.3说明")
    await bot.say("修改 1.3")
    await bot.say("不适用")
    start = len(bot.console.sent)
    assert "已回到待审核" in await bot.say("完成修正")
    assert sent_to(bot, "sup1", start) == ""
    assert f"已审核通过的检查 #{iid}" in sent_to(bot, "sup2", start)
    assert sent_to(bot, "city", start) == ""  # another bureau's reviewers only when asked

    trail = [(a.field, a.old, a.new) for a in await records(bot, AuditLog, entity="inspection", entity_id=iid)
             if a.field == "review"]
    assert trail == [("review", "pending", "approved"), ("review", "approved", "resubmitted"),
                     ("review", "resubmitted", "approved"), ("review", "approved", "resubmitted")]


async def test_nobody_approves_an_inspection_they_took_part_in(bot, images):
    await bot.register("sup1", "王监督", "泽州县", "supervisor")
    await bot.register("sup2", "刘监督", "泽州县", "supervisor")
    await bot.register("insp1", "张检查", "泽州县", "inspector")
    # One the supervisor made themselves, one where an inspector listed them as a companion.
    own = await submit_as(bot, "sup1", images, "泽州县甲煤业有限公司")
    listed = await submit_as(bot, "insp1", images, "泽州县乙煤业有限公司", co="王监督")
    [insp] = await records(bot, Inspection, id=listed)
    [_creator, companion] = insp.inspectors
    [sup1] = await records(bot, Member, name="王监督")
    assert companion.member_id == sup1.id

    for iid in (own, listed):
        reply = await bot.say(f"审核 {iid}", user="sup1")
        assert f"检查 #{iid} 是您参与的检查，不能由您审核" in reply and "通过，或退回修改" not in reply
        assert "没听懂" in await bot.say("通过", user="sup1")  # no review was opened
        assert await review_of(bot, iid) is None
    await approve(bot, own, "sup2")
    await approve(bot, listed, "sup2")
    assert [(await review_of(bot, i)).reviewer_id for i in (own, listed)] == [
        (await records(bot, Member, name="刘监督"))[0].id] * 2


async def test_nobody_closes_a_flag_on_an_inspection_they_took_part_in(bot, images):
    await bot.register("sup1", "王监督", "泽州县", "supervisor")
    await bot.register("sup2", "刘监督", "泽州县", "supervisor")
    await bot.register("zz1", "张检查", "泽州县", "inspector")
    await bot.register("zz2", "李检查", "泽州县", "inspector")
    bot.user = "zz1"
    await begin(bot, "泽州县甲煤业有限公司")
    await bot.say(f"/photo {images['plan']}")
    await bot.say("暂停")
    bot.user = "zz2"  # the same photo at another enterprise, the supervisor along as a companion
    await begin(bot, "泽州县乙煤业有限公司", co="王监督")
    assert "⚠️" in await bot.say(f"/photo {images['plan']}")
    await bot.say("暂停")
    [flag] = await records(bot, IntegrityFlag)

    reply = await bot.say(f"核实 {flag.id} 同一份计划", user="sup1")
    assert f"需关注 F{flag.id} 出自您参与的检查 #{flag.inspection_id}，不能由您核实" in reply
    [flag] = await records(bot, IntegrityFlag)
    assert not flag.resolved
    assert f"需关注 F{flag.id} 已核实关闭" in await bot.say(f"核实 F{flag.id} 同一份计划", user="sup2")
    [flag] = await records(bot, IntegrityFlag)
    assert flag.resolved


def group(user: str, chat: str, text: str) -> Incoming:
    return Incoming(channel="console", user_id=user, chat_id=chat, kind=Kind.TEXT, text=text,
                    msg_id=uuid.uuid4().hex, is_group=True)


async def bound(bot) -> list[tuple[str, str]]:
    async def q(repos):
        rows = await repos.session.execute(
            select(GroupBinding.chat_id, Bureau.short_name).join(Bureau)
            .order_by(GroupBinding.id))
        return [tuple(r) for r in rows.all()]
    return await bot.query(q)


async def test_a_group_is_bound_to_the_binders_own_bureau_unless_city(bot):
    await bot.register("zzadmin", "周管理", "泽州县", "admin")
    await bot.register("cityadmin", "吴管理", "市局", "admin")
    reply = await bot.push(group("zzadmin", "grp-1", "绑定 城区"))
    assert "只能把群聊绑定到本局（泽州县应急管理局），不能绑定城区应急管理局" in reply
    assert await bound(bot) == []
    assert "本群已绑定到泽州县应急管理局" in await bot.push(group("zzadmin", "grp-1", "绑定 泽州县"))
    assert "本群已绑定到城区应急管理局" in await bot.push(group("cityadmin", "grp-2", "绑定 城区"))
    assert "只能把群聊绑定到本局" in await bot.push(group("zzadmin", "grp-3", "绑定 市局"))
    assert await bound(bot) == [("grp-1", "泽州县"), ("grp-2", "城区")]


async def test_my_inspections_show_a_returned_inspection_with_the_reason(bot, images):
    await bot.register("sup1", "王监督", "泽州县", "supervisor")
    await bot.register()
    iid = await submit_all_pass(bot, images)
    assert f"#{iid} 泽州县巴公煤业有限公司 2023-05-10 已提交" in await bot.say("我的检查")
    await bot.say(f"审核 {iid}", user="sup1")
    await bot.say("退回", user="sup1")
    await bot.say("签字页照片不清楚，请重拍", user="sup1")
    reply = await bot.say("我的检查")
    assert f"#{iid} 泽州县巴公煤业有限公司 2023-05-10 已退回：签字页照片不清楚，请重拍（回复“修正 {iid}”" in reply
    assert "已提交" not in reply
