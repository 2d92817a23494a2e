"""One contract for every evidence-store backend (the MEDIA_DIR directory and S3-compatible object
storage): write once under a content address, read back, list, delete, references any process can
resolve; and the EvidenceStore on top of each (photos, generated documents, retention)."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from bot.media import EvidenceStore, MediaRejected, evidence_key
from bot.media_store import ObjectMissing

NOW = datetime.now(timezone.utc)


async def test_put_is_write_once_and_get_reads_it_back(objects):
    assert await objects.put("ab/cd/one.jpg", b"first") is True
    assert await objects.put("ab/cd/one.jpg", b"second") is False  # never overwritten
    assert await objects.get("ab/cd/one.jpg") == b"first"
    info = await objects.stat("ab/cd/one.jpg")
    assert info is not None and info.size == 5 and abs(info.modified - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert await objects.exists("ab/cd/one.jpg") and not await objects.exists("ab/cd/two.jpg")


async def test_a_missing_object_is_missing(objects):
    with pytest.raises(ObjectMissing):
        await objects.get("ab/cd/none.jpg")
    assert await objects.stat("ab/cd/none.jpg") is None
    await objects.delete("ab/cd/none.jpg")  # deleting what is not there is fine


async def test_writers_racing_for_one_key_write_it_once(objects):
    results = await asyncio.gather(*(objects.put("ff/ee/race.bin", bytes([n]) * 1000) for n in range(6)))
    assert results.count(True) == 1
    winner = results.index(True)
    assert await objects.get("ff/ee/race.bin") == bytes([winner]) * 1000


async def test_list_and_delete(objects):
    for key in ("documents/a1/x.docx", "documents/b2/y.xlsx", "digests/c3/z.png", "ab/cd/keep.jpg"):
        await objects.put(key, key.encode())
    listed = [(i.key, i.size) async for i in objects.list("documents/")]
    assert listed == [("documents/a1/x.docx", 19), ("documents/b2/y.xlsx", 19)]
    await objects.delete("documents/a1/x.docx")
    assert [i.key async for i in objects.list("documents/")] == ["documents/b2/y.xlsx"]
    assert await objects.get("ab/cd/keep.jpg") == b"ab/cd/keep.jpg"


async def test_references_name_the_object_and_nothing_else(objects):
    ref = objects.ref("documents/a1/检查表_1.docx")
    assert objects.key_of(ref) == "documents/a1/检查表_1.docx"
    assert objects.key_of("s3://another-bucket/x/documents/a1/y.docx") is None
    assert objects.key_of("/somewhere/else/entirely.docx") is None


@pytest.mark.parametrize("key", ["", "../x.jpg", "/abs.jpg", "a//b.jpg", "a/./b.jpg", "a\\b.jpg"])
async def test_keys_stay_inside_the_store(objects, key):
    with pytest.raises(ValueError):
        await objects.put(key, b"x")


async def test_ping(objects):
    await objects.ping()


# ---- the EvidenceStore on each backend
def store_on(objects, tmp_path) -> EvidenceStore:
    return EvidenceStore(objects, max_bytes=10_000_000, max_pixels=40_000_000, local_dir=tmp_path / "media")


async def test_photos_are_content_addressed(objects, tmp_path, images):
    store = store_on(objects, tmp_path)
    data = images["plan"].read_bytes()
    stored = await store.store_image(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.media_type == "image/jpeg"
    assert stored.key == evidence_key(stored.sha256, stored.media_type) == \
        f"{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}.jpg"
    again = await store.store_image(data)
    assert again.key == stored.key and await store.read(stored.key) == data
    with pytest.raises(MediaRejected):
        await store.store_image(images["fake"].read_bytes())
    assert [i.key async for i in objects.list("")] == [stored.key]  # the refused file left nothing
    async with store.local_files([stored.key, evidence_key("0" * 64, "image/png")]) as files:
        assert list(files) == [stored.key] and files[stored.key].read_bytes() == data


async def test_generated_documents_are_shared_and_expire(objects, tmp_path, images):
    store = store_on(objects, tmp_path)
    photo = await store.store_image(images["plan"].read_bytes())
    async with store.scratch() as tmp:
        (tmp / "检查表.docx").write_bytes(b"PK\x03\x04 docx")
        ref = await store.put_document("检查表.docx", tmp / "检查表.docx")
    assert ref.endswith("/检查表.docx") and objects.key_of(ref).startswith("documents/")
    assert await store.read_ref(ref) == b"PK\x03\x04 docx"
    local = await store.local_file(ref)
    assert local.read_bytes() == b"PK\x03\x04 docx"
    outside = tmp_path / "given.png"  # a file on this disk (a test, a command) is sent as it is
    outside.write_bytes(b"png")
    assert await store.read_ref(str(outside)) == b"png"

    assert await store.remove_generated(NOW - timedelta(days=1)) == 0  # younger than the retention
    assert await store.remove_generated(datetime.now(timezone.utc) + timedelta(minutes=1)) == 1
    assert [i.key async for i in objects.list("documents/")] == []
    assert await store.read(photo.key) == images["plan"].read_bytes()  # evidence is never removed
