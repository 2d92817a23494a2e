"""Whole inspections through the console channel, on both backends, and the records they leave."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Answer, AuditLog, Certificate, Evidence, Finding, Inspection


async def begin(bot, name="泽州县巴公煤业有限公司", industry="煤矿", co="王五"):
    reply = await bot.say("开始检查")
    assert "被检查单位名称" in reply
    reply = await bot.say(name)
    options = bot.last_choices().options
    if options[0].label.startswith(name):  # known already: offered first
        reply = await bot.say("1")
    else:
        assert options[-1].label == f"新建：{name}"
        assert "属于哪个行业" in await bot.say(str(len(options)))
        reply = await bot.say(industry)
    assert "已建立检查" in reply and "同行检查人员" in reply
    reply = await bot.say(co)
    assert "检查日期" in reply
    reply = await bot.say("2023年5月10日")
    assert "定位" in reply
    reply = await bot.say("/location 35.50 112.84")
    assert "定位已保存" in reply and "1.1" in reply
    return reply


async def records(bot, model, **where):
    async def q(repos):
        stmt = select(model)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return list((await repos.session.scalars(stmt.order_by(model.id))).all())
    return await bot.query(q)


async def test_complete_inspection_with_photos_register_and_submit(bot, images):
    await bot.register()
    await begin(bot)
    # item 一: photos arrive at any step, with or without caption, linked to the current requirement
    assert "照片已保存到 1.1（共 1 张）" in await bot.say(f"/photo {images['plan']} 2023年度培训计划")
    assert "1.1：符合" in (reply := await bot.say("符合"))
    assert "1.2" in reply and "考勤签到表" in reply  # the prompt names the evidence the requirement calls for
    assert "请写明发现的问题" in await bot.say("2")
    assert "共 1 张" in await bot.say(f"/photo {images['sheet']}")
    reply = await bot.say("年度再教育缺 3 人，考勤表有代签")
    assert "问题已记录" in reply and "第九十七条第（三）项" in reply and "1.3" in reply
    assert "1.3：不适用" in (reply := await bot.say("不适用"))
    assert "2.1" in reply
    # item 二 with the certificate register
    assert "证书登记" in await bot.say("1")
    assert "人员姓名" in await bot.say("登记一人")
    assert "岗位" in await bot.say("李四")
    assert "证件类型" in await bot.say("特种作业人员")
    assert "证件编号" in await bot.say("特种作业操作证")
    assert "有效期" in await bot.say("T14052519800101")
    assert "全国查询平台" in await bot.say("2023-01-31")
    assert "证件照片" in await bot.say("已查到")
    assert "共 1 张" in await bot.say(f"/photo {images['cert']}")
    reply = await bot.say("完成")
    assert "自动核对发现 1 个问题" in reply and "已于 2023-01-31 过期" in reply and "是否确认为问题" in reply
    reply = await bot.say("确认是问题")
    assert "已确认" in reply and "已登记 1 人" in reply and "李四" in reply
    assert "2.2" in await bot.say("登记完成")
    assert "2.3" in await bot.say("符合")
    # 2.3 fails for the register's finding: one fact, one finding (the note explains it)
    assert "证书登记中已确认" in await bot.say("不符合")
    assert "不重复计数" in await bot.say("李四特种作业操作证过期仍上岗")
    for _ in ("3.1", "3.2", "3.3"):
        reply = await bot.say("符合")
    assert "汇总" in reply and "问题 2 项" in reply and "登记证书 1 人" in reply
    # signatures and submit
    assert "负责人" in await bot.say("提交")
    assert "签字的纸质检查表" in await bot.say("赵总")
    assert "签字页已保存" in await bot.say(f"/photo {images['form']}")
    reply = await bot.say("完成")
    assert "确认提交" in reply and "张检查、王五" in reply and "赵总" in reply
    assert "已提交" in await bot.say("确认提交")

    [insp] = await records(bot, Inspection)
    assert insp.status == "submitted" and insp.submitted_at is not None
    assert insp.responsible_person == "赵总" and insp.inspection_date.isoformat() == "2023-05-10"
    assert (insp.latitude, insp.longitude) == (35.50, 112.84)
    answers = {a.requirement_id: (a.verdict, a.note) for a in await records(bot, Answer)}
    assert answers == {"1.1": ("pass", ""), "1.2": ("fail", "年度再教育缺 3 人，考勤表有代签"),
                       "1.3": ("na", ""), "2.1": ("pass", ""), "2.2": ("pass", ""),
                       "2.3": ("fail", "李四特种作业操作证过期仍上岗"), "3.1": ("pass", ""),
                       "3.2": ("pass", ""), "3.3": ("pass", "")}
    evidence = [(e.requirement_id, e.caption) for e in await records(bot, Evidence)]
    assert evidence == [("1.1", "2023年度培训计划"), ("1.2", ""), ("cert", ""), ("signature", "")]
    [cert] = await records(bot, Certificate)
    assert (cert.person_name, cert.position, cert.cert_type, cert.cert_number, cert.expiry_date.isoformat(),
            cert.platform_confirmed, cert.stage) == ("李四", "特种作业人员", "特种作业操作证", "T14052519800101",
                                                     "2023-01-31", True, "done")
    findings = [(f.requirement_id, f.source, f.legal_basis, f.confirmed) for f in await records(bot, Finding)]
    assert findings == [("1.2", "answer", "aqf97-3", True), ("2.3", "certificate", "aqf97-7", True)]
    audit = await records(bot, AuditLog, entity="inspection", entity_id=insp.id)
    assert ("status", "draft", "submitted") in [(a.field, a.old, a.new) for a in audit]


async def test_back_skip_edit_progress_and_review_blocks_submit(bot):
    await bot.register()
    await begin(bot)
    await bot.say("符合")  # 1.1
    reply = await bot.say("上一步")
    assert "1.1" in reply and "当前：符合" in reply
    await bot.say("不适用")  # revise 1.1
    assert "1.2 已跳过" in (reply := await bot.say("跳过"))
    assert "1.3" in reply
    reply = await bot.say("进度")
    assert "已答 1/9" in reply and "当前：1.3" in reply
    assert "2.3" in await bot.say("修改 2.3")
    reply = await bot.say("符合")  # after an edit: back to the first open step in order
    assert "1.3" in reply
    assert "没有第 4.1 项" in await bot.say("修改 4.1")
    for answer in ("符合", "符合"):  # 1.3, 2.1
        reply = await bot.say(answer)
    assert "证书登记" in reply
    await bot.say("登记完成")  # nobody registered: allowed, noted
    for _ in range(4):  # 2.2, 3.1, 3.2, 3.3
        reply = await bot.say("符合")
    assert "待完成：1.2 已跳过" in reply
    reply = await bot.say("提交")
    assert "还有 1 项未完成（1.2）" in reply and "修改 1.2" in reply
    await bot.say("修改 1.2")
    reply = await bot.say("符合")
    assert "汇总" in reply and "待完成" not in reply

    answers = {a.requirement_id: a.verdict for a in await records(bot, Answer)}
    assert answers["1.1"] == "na" and answers["1.2"] == "pass" and answers["2.3"] == "pass"


async def test_pause_resume_and_cancel(bot):
    await bot.register()
    await begin(bot)
    await bot.say("符合")
    assert "已暂停" in await bot.say("暂停")
    assert "没听懂" in await bot.say("符合")  # no longer in the flow: nothing is answered by mistake
    bot.advance(days=3)
    reply = await bot.say("继续")
    assert "继续检查" in reply and "1.2" in reply
    await bot.say("取消")
    assert "确定取消" in (reply := bot.last_choices().text + "")
    assert "好的，继续检查" in (reply := await bot.say("不取消"))
    assert "1.2" in reply
    await bot.say("取消")
    assert "已取消" in await bot.say("确定取消")
    [insp] = await records(bot, Inspection)
    assert insp.status == "cancelled"
    assert "没有暂停中的检查" in await bot.say("继续")


async def test_several_drafts_each_resumable(bot):
    await bot.register()
    await begin(bot, "泽州县甲煤业公司")
    await bot.say("符合")
    reply = await bot.say("开始检查")
    assert "正在进行一次检查" in reply  # one at a time: pause first
    await bot.say("暂停")
    await begin(bot, "泽州县乙化工公司", industry="危险化学品")
    await bot.say("暂停")
    reply = await bot.say("继续")
    assert "多份未完成" in reply and "泽州县甲煤业公司" in reply and "泽州县乙化工公司" in reply
    first_id = [i.id for i in await records(bot, Inspection)][0]
    reply = await bot.say(f"继续 {first_id}")
    assert "泽州县甲煤业公司" in reply and "1.2" in reply
