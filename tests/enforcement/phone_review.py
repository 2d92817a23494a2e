"""An inspection to review on a phone: done and submitted through the console by an inspector of
泽州县, with two findings (1.2 typed, 2.3 from the certificate register), photos at 1.1 (two, one
with a caption), 1.2, a certificate photo and the signed form."""

from __future__ import annotations

from bot.adapters.console import ConsoleAdapter
from storage.models import Inspection
from tests.conversations.test_inspection import begin, records
from tests.harness import Harness

FINDING_NOTE = "年度再教育缺 3 人，考勤表有代签"


def console_harness(app) -> Harness:
    """A console beside the app's channels, for the inspector."""
    console = ConsoleAdapter(write=lambda _text: None)
    app.core.add_adapter(console)
    return Harness(app, console, [app.core.clock()])


async def submitted_inspection(h: Harness, images) -> int:
    await h.register("insp1", "张检查", "泽州县", "inspector")
    await begin(h)
    await h.say(f"/photo {images['plan']} 2023年度培训计划")
    await h.say(f"/photo {images['sheet']}")
    await h.say("符合")
    await h.say("不符合")
    await h.say(f"/photo {images['form']}")
    await h.say(FINDING_NOTE)
    await h.say("符合")
    await h.say("符合")
    for line in ("登记一人", "李四", "特种作业人员", "特种作业操作证", "T14052519800101", "2023-01-31", "已查到",
                 f"/photo {images['cert']}", "完成", "确认是问题", "登记完成", "符合", "不符合", "无需补充",
                 "符合", "符合", "符合"):
        reply = await h.say(line)
    assert "汇总" in reply and "问题 2 项" in reply, reply
    await h.say("提交")
    await h.say("赵总")
    await h.say(f"/photo {images['form']}")
    await h.say("完成")
    assert "已提交" in await h.say("确认提交")
    return (await records(h, Inspection))[-1].id
