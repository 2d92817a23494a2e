"""One storage suite for SQLite and PostgreSQL: the same migrations, the same repository behaviour."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect as sa_inspect

from bot.app import sync_bureaus
from bot.campaign import load_campaign
from bot.config import BUNDLED_CAMPAIGN
from storage import db
from storage.repositories import Repos


@pytest.fixture
async def repos(db_url):
    engine = db.create_engine(db_url)
    await db.upgrade(engine)
    sessions = db.sessionmaker(engine)
    await sync_bureaus(Repos(sessions()), load_campaign(BUNDLED_CAMPAIGN))
    r = Repos(sessions())
    yield r
    await r.session.close()
    await engine.dispose()


async def test_migrations_create_every_table(db_url):
    engine = db.create_engine(db_url)
    await db.upgrade(engine)
    await db.upgrade(engine)  # idempotent
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(sa_inspect(c).get_table_names()))
    await engine.dispose()
    assert {"bureaus", "members", "identities", "enterprises", "inspections", "inspection_inspectors",
            "answers", "evidence", "certificates", "findings", "group_bindings", "audit_log", "inbox",
            "outbox", "access_requests"} <= tables


async def test_bureaus_come_from_the_campaign(repos):
    names = [b.short_name for b in await repos.org.bureaus()]
    assert names == ["市局", "城区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县"]
    assert (await repos.org.bureau("泽州县")).name == "泽州县应急管理局"
    assert (await repos.org.bureau("泽州县应急管理局")).short_name == "泽州县"


async def test_identity_is_per_channel(repos):
    bureau = await repos.org.bureau("高平市")
    a = await repos.org.add_member("甲", bureau, "inspector")
    b = await repos.org.add_member("乙", bureau, "supervisor")
    await repos.org.link_identity(a, "wecom", "42")
    await repos.org.link_identity(b, "telegram", "42")
    await repos.commit()
    assert (await repos.org.member_by_identity("wecom", "42")).name == "甲"
    assert (await repos.org.member_by_identity("telegram", "42")).name == "乙"
    assert await repos.org.member_by_identity("console", "42") is None


async def _inspection(repos):
    bureau = await repos.org.bureau("泽州县")
    member = await repos.org.add_member("张检查", bureau, "inspector")
    ent = await repos.enterprises.create("泽州县某煤业有限公司", "煤矿", bureau.id, member.id)
    insp = await repos.inspections.create(campaign_id="c", enterprise_id=ent.id, bureau_id=bureau.id,
                                          created_by=member.id, inspection_date=date(2023, 5, 10),
                                          inspectors=[(member.id, member.name), (None, "王五")])
    return member, insp


async def test_answers_are_upserted_and_every_change_audited(repos):
    member, insp = await _inspection(repos)
    await repos.inspections.set_answer(insp, "1.1", member.id, verdict="pass")
    await repos.inspections.set_answer(insp, "1.1", member.id, verdict="fail", note="无培训计划")
    await repos.commit()
    answers = await repos.inspections.answers(insp.id)
    assert list(answers) == ["1.1"]
    assert (answers["1.1"].verdict, answers["1.1"].note) == ("fail", "无培训计划")
    history = [(h.field, h.old, h.new) for h in await repos.audit.history("answer")]
    assert history == [("verdict:1.1", None, "pass"), ("verdict:1.1", "pass", "fail"),
                       ("note:1.1", "", "无培训计划")]
    assert [i.name for i in insp.inspectors] == ["张检查", "王五"]


async def test_enterprise_search_offers_close_names(repos):
    bureau = await repos.org.bureau("阳城县")
    for name in ("阳城县晋阳煤业有限公司", "阳城县华鑫化工有限公司", "阳城县某冶炼厂"):
        await repos.enterprises.create(name, "煤矿", bureau.id, None)
    await repos.commit()
    found = [e.name for e in await repos.enterprises.search(bureau.id, "晋阳")]
    assert found[0] == "阳城县晋阳煤业有限公司"
    similar = [e.name for e in await repos.enterprises.search(bureau.id, "华鑫化工厂")]
    assert "阳城县华鑫化工有限公司" in similar
    other = await repos.org.bureau("沁水县")
    assert await repos.enterprises.search(other.id, "晋阳") == []


async def test_inbox_deduplicates_and_keeps_arrival_order(repos):
    first = await repos.inbox.add("wecom", "m1", "wecom:u:u", {"n": 1})
    again = await repos.inbox.add("wecom", "m1", "wecom:u:u", {"n": 1})
    second = await repos.inbox.add("wecom", "m2", "wecom:u:u", {"n": 2})
    assert first is not None and again is None and second > first
    assert (await repos.inbox.next_pending("wecom:u:u")).payload == {"n": 1}
    await repos.inbox.mark(first, "done")
    await repos.commit()
    assert (await repos.inbox.next_pending("wecom:u:u")).payload == {"n": 2}
    assert await repos.inbox.pending_users() == ["wecom:u:u"]


async def test_outbox_claim_is_exclusive(repos, db_url):
    row = repos.outbox.add("console", "u", {"type": "text", "text": "hi"})
    await repos.commit()
    other = Repos(db.sessionmaker(repos.session.bind)())
    second = repos.outbox.add("console", "u", {"type": "text", "text": "again"})
    await repos.commit()
    assert await repos.outbox.claim_many([row.id]) == {row.id}
    await repos.commit()
    assert await other.outbox.claim_many([row.id, second.id]) == {second.id}  # the first is taken
    await other.commit()
    await other.outbox.mark_sent([second.id])
    await other.commit()
    assert [r.id for r in await other.outbox.pending()] == []
    await other.session.close()
