"""A whole inspection done in the WeCom app, photos included, on both backends: every message is an
encrypted callback, every reply is read back from what the fake WeCom server received."""

from __future__ import annotations

from sqlalchemy import select

from bot.media import evidence_key
from storage.models import Answer, Certificate, Evidence, Finding, Inspection


async def records(chat, model):
    async def q(repos):
        return list((await repos.session.scalars(select(model).order_by(model.id))).all())
    return await chat.h.query(q)


async def begin(chat, name="泽州县巴公煤业有限公司", industry="煤矿", co="王五"):
    assert "被检查单位名称" in await chat.say("开始检查")
    await chat.say(name)
    options = chat.options()
    assert options[-1] == f"新建：{name}" and "回复序号" in chat.last_reply
    assert "属于哪个行业" in await chat.say(str(len(options)))
    reply = await chat.say(industry)
    assert "已建立检查" in reply and "同行检查人员" in reply
    assert "检查日期" in await chat.say(co)
    assert "定位" in await chat.say("2023年5月10日")
    reply = await chat.location(35.50, 112.84, "泽州县巴公镇")
    assert "定位已保存" in reply and "1.1" in reply


async def test_complete_inspection_over_wecom_with_photos(wecom, images):
    await wecom.register()
    await begin(wecom)
    assert "照片已保存到 1.1（共 1 张）" in await wecom.photo(images["plan"])
    assert "1.1：符合" in (reply := await wecom.say("符合"))
    assert "1.2" in reply
    assert "请写明发现的问题" in await wecom.say("2")  # the number of the option, typed
    assert "共 1 张" in await wecom.photo(images["sheet"])
    reply = await wecom.say("年度再教育缺 3 人，考勤表有代签")
    assert "问题已记录" in reply and "1.3" in reply
    assert "2.1" in await wecom.say("不适用")
    assert "证书登记" in await wecom.say("1")
    assert "人员姓名" in await wecom.say("登记一人")
    assert "岗位" in await wecom.say("李四")
    assert "证件类型" in await wecom.say("特种作业人员")
    assert "证件编号" in await wecom.say("特种作业操作证")
    assert "有效期" in await wecom.say("T14052519800101")
    assert "全国查询平台" in await wecom.say("2023-01-31")
    assert "证件照片" in await wecom.say("已查到")
    assert "共 1 张" in await wecom.photo(images["cert"])
    reply = await wecom.say("完成")
    assert "自动核对发现 1 个问题" in reply and "是否确认为问题" in reply
    assert "已确认" in await wecom.say("确认是问题")
    assert "2.2" in await wecom.say("登记完成")
    assert "2.3" in await wecom.say("符合")
    # the register's finding is 2.3's finding: the note explains it, no second one (one fact, one finding)
    assert "证书登记中已确认" in await wecom.say("不符合")
    assert "不重复计数" in await wecom.say("李四特种作业操作证过期仍上岗")
    for _ in ("3.1", "3.2", "3.3"):
        reply = await wecom.say("符合")
    assert "汇总" in reply and "问题 2 项" in reply
    assert "负责人" in await wecom.say("提交")
    assert "签字的纸质检查表" in await wecom.say("赵总")
    assert "签字页已保存" in await wecom.photo(images["form"])
    assert "确认提交" in await wecom.say("完成")
    assert "已提交" in await wecom.say("确认提交")

    [insp] = await records(wecom, Inspection)
    assert insp.status == "submitted" and (insp.latitude, insp.longitude) == (35.50, 112.84)
    answers = {a.requirement_id: a.verdict for a in await records(wecom, Answer)}
    assert answers == {"1.1": "pass", "1.2": "fail", "1.3": "na", "2.1": "pass", "2.2": "pass",
                       "2.3": "fail", "3.1": "pass", "3.2": "pass", "3.3": "pass"}
    # The photos were downloaded by MediaId through the (fake) API into the evidence store.
    evidence = await records(wecom, Evidence)
    assert [e.requirement_id for e in evidence] == ["1.1", "1.2", "cert", "signature"]
    media = wecom.h.app.core.media
    for e, name in zip(evidence, ("plan", "sheet", "cert", "form")):
        assert await media.read(evidence_key(e.sha256, e.media_type)) == images[name].read_bytes()
    assert len(wecom.fake.sent("media/get")) == 4
    [cert] = await records(wecom, Certificate)
    assert cert.person_name == "李四" and cert.stage == "done"
    assert len(await records(wecom, Finding)) == 2
    # Every reply went to the inspector through the app's send API, within WeCom's size limit.
    sent = wecom.fake.sent("message/send")
    assert sent and all(c.body["touser"] == "zhangjc" and c.body["agentid"] == 1000002 for c in sent)
    texts = [c.body["text"]["content"] for c in sent if c.body["msgtype"] == "text"]
    assert all(len(t.encode()) <= 2048 for t in texts)
    # The filled checklist sent on submission arrives as a file: uploaded first, then sent by media_id.
    files = [c.body["file"]["media_id"] for c in sent if c.body["msgtype"] == "file"]
    uploaded = {c.body["media_id"]: c for c in wecom.fake.sent("media/upload")}
    assert files and all(uploaded[m].query["type"] == "file" and uploaded[m].body["data"] for m in files)
