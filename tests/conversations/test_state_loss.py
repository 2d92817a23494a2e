"""The conversation position is only a cache: lose it in the middle of item 二 and the inspection goes
on where it was, every earlier answer intact."""

from __future__ import annotations

from storage.models import Answer, Certificate
from storage.state import MemoryStateStore
from tests.conftest import DEFAULT_NOW
from tests.conversations.test_inspection import begin, records
from tests.harness import Harness


async def _into_item_two(bot, images) -> None:
    await bot.register()
    await begin(bot)
    await bot.say(f"/photo {images['plan']}")
    for answer in ("符合", "不适用", "符合"):  # 1.1 .. 1.3
        await bot.say(answer)
    await bot.say("符合")  # 2.1
    await bot.say("登记一人")
    await bot.say("李四")
    assert "证件类型" in await bot.say("特种作业人员")  # the register is half done


async def _check_continues(bot, images) -> None:
    # The next thing the inspector sends: the bot rebuilds its position from the database first.
    reply = await bot.say("特种作业操作证")
    assert "已从记录中恢复检查" in reply and "之前的回答都在" in reply
    assert "证件类型" in reply  # the open step of the half-registered certificate, asked again
    assert "证件编号" in await bot.say("特种作业操作证")
    await bot.say("T1405")
    await bot.say("2030-01-01")
    await bot.say("已查到")
    await bot.say(f"/photo {images['cert']}")
    assert "已登记 1 人" in await bot.say("完成")
    assert "2.2" in await bot.say("登记完成")
    answers = {a.requirement_id: a.verdict for a in await records(bot, Answer)}
    assert answers == {"1.1": "pass", "1.2": "na", "1.3": "pass", "2.1": "pass"}
    [cert] = await records(bot, Certificate)
    assert (cert.person_name, cert.position, cert.cert_number, cert.stage) == ("李四", "特种作业人员", "T1405", "done")


async def test_new_process_on_the_embedded_default_continues(tmp_path, images):
    url = f"sqlite+aiosqlite:///{tmp_path}/inspector.db"
    first = await Harness.start(url, MemoryStateStore(), tmp_path, DEFAULT_NOW)
    await _into_item_two(first, images)
    await first.app.close()  # the process ends; its in-process state is gone with it

    second = await Harness.start(url, MemoryStateStore(), tmp_path, DEFAULT_NOW)
    second.user = first.user
    try:
        await _check_continues(second, images)
    finally:
        await second.app.close()


async def test_flushed_redis_and_a_new_process_on_the_servers_continues(pg_url, redis_store, tmp_path, images):
    first = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)
    await _into_item_two(first, images)
    await first.close()
    keys = [k async for k in redis_store.redis.scan_iter(match=f"{redis_store.prefix}:*")]
    assert keys, "the cursor should have been in Redis"
    await redis_store.redis.delete(*keys)  # as FLUSHDB would, for this test's keys only

    second = await Harness.start(pg_url, redis_store, tmp_path, DEFAULT_NOW)  # a fresh process
    second.user = first.user
    try:
        await _check_continues(second, images)
    finally:
        await second.close()
