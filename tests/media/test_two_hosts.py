"""Two server processes on two hosts: no shared disk (each its own MEDIA_DIR), one PostgreSQL, one
Redis, one object store. What one receives, the other has."""

from __future__ import annotations

import pytest

from bot.messages import Document
from storage.models import Evidence, Inspection
from tests.conftest import DEFAULT_NOW
from tests.conversations.test_inspection import begin
from tests.documents.drive import docx_image_hashes, rows
from tests.harness import Harness


@pytest.fixture
async def hosts(pg_url, redis_store, tmp_path, s3):
    a = await Harness.start(pg_url, redis_store, tmp_path / "host-a", DEFAULT_NOW, **s3)
    b = await Harness.start(pg_url, redis_store, tmp_path / "host-b", DEFAULT_NOW, **s3)
    yield a, b
    for h in (a, b):
        await h.app.core.media.close()
        await h.close()


def files_under(path) -> list[str]:
    return sorted(p.name for p in path.rglob("*") if p.is_file()) if path.exists() else []


async def test_a_photo_received_by_one_host_is_in_the_checklist_the_other_exports(hosts, images, tmp_path):
    a, b = hosts
    await a.register()
    b.user = a.user
    await begin(a)
    assert "照片已保存到 1.1" in await a.say(f"/photo {images['plan']} 2023年度培训计划")
    assert "1.1：符合" in await a.say("符合")
    assert "共 1 张" in await a.say(f"/photo {images['sheet']}")
    evidence = await rows(a, Evidence)
    assert len(evidence) == 2
    # no host keeps the evidence on its own disk
    assert not any(e.sha256 in name for e in evidence for h in ("host-a", "host-b")
                   for name in files_under(tmp_path / h))

    assert "已暂停" in await a.say("暂停")
    [insp] = await rows(b, Inspection)
    reply = await b.say(f"导出 {insp.id}")  # the other host makes the checklist
    assert "检查表" in reply
    [doc] = [m for _, m in b.console.sent if isinstance(m, Document)]
    assert doc.path.startswith("s3://")  # a reference every host can read, not a path on host B
    out = tmp_path / "checklist.docx"
    out.write_bytes(await a.app.core.media.read_ref(doc.path))  # read (and so deliverable) on host A
    assert docx_image_hashes(out) == [e.sha256 for e in evidence]
    assert files_under(tmp_path / "host-a" / "media" / ".scratch") == []  # scratch space is left clean


async def test_a_reply_queued_on_one_host_is_delivered_by_the_other(hosts, images):
    """The outbox row of a document made on host A is sent by host B (A went away before sending):
    B reads the document from the object store."""
    a, b = hosts
    await a.register()
    b.user = a.user
    await begin(a)
    await a.say(f"/photo {images['plan']}")
    await a.say("暂停")
    [insp] = await rows(a, Inspection)
    a.console.serves = lambda chat_id: False  # host A's terminal is gone: its replies stay queued
    await a.say(f"导出 {insp.id}")
    assert not any(isinstance(m, Document) for _, m in b.console.sent)
    assert await b.app.core.deliver() >= 1
    [doc] = [m for _, m in b.console.sent if isinstance(m, Document)]
    data = await b.app.core.media.read_ref(doc.path)
    assert data[:2] == b"PK" and len(data) > 1000
