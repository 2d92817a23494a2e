"""`inspector-bot media migrate` as an operator runs it: a directory of evidence (an old MEDIA_DIR)
moves into the object store under the same keys, every hash verified; run twice, it moves nothing;
a damaged file is reported and not uploaded; bad arguments exit 2."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.documents.files import store_case_file
from bot.media import EvidenceStore
from bot.media_store import LocalStore
from tests.media.conftest import s3_settings, s3_store

CLI = str(Path(sys.executable).parent / "inspector-bot")


async def run(*args: str, cwd: Path, **settings) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_BOT_")}
    env.update({f"INSPECTOR_BOT_{k.upper()}": str(v) for k, v in settings.items()})
    return await asyncio.to_thread(subprocess.run, [CLI, "media", *args], cwd=cwd, capture_output=True,
                                   text=True, env=env, timeout=120)


async def old_media_dir(root: Path, images) -> list[str]:
    """A MEDIA_DIR as the bot left it: photos, a PDF of a case, a generated document, a leftover
    temporary file. Returns the evidence keys."""
    local = EvidenceStore(LocalStore(root), max_bytes=10_000_000, max_pixels=40_000_000)
    keys = [(await local.store_image(images[name].read_bytes())).key for name in ("plan", "sheet", "cert")]
    keys.append((await store_case_file(local, b"%PDF-1.4 decision of the bureau")).key)
    (root / "documents" / "0123abcd").mkdir(parents=True)
    (root / "documents" / "0123abcd" / "检查表_1.docx").write_bytes(b"PK\x03\x04")
    (root / "ab").mkdir(exist_ok=True)
    (root / "ab" / ".incoming-x1y2").write_bytes(b"half")
    return sorted(keys)


async def test_migrate_moves_and_verifies_then_moves_nothing(tmp_path, images, s3_endpoint, bucket):
    media = tmp_path / "media"
    keys = await old_media_dir(media, images)
    settings = dict(media_dir=media, **s3_settings(s3_endpoint, bucket))

    first = await run("migrate", cwd=tmp_path, **settings)
    assert first.returncode == 0, first.stderr
    assert "新迁移 4 个" in first.stdout and "原已在对象存储 0 个" in first.stdout and "失败 0 个" in first.stdout
    assert "非证据文件未迁移 1 个" in first.stdout  # the generated document stays behind
    store = s3_store(s3_endpoint, bucket)
    try:
        assert sorted([i.key async for i in store.list("")]) == keys  # same keys, nothing else
        for key in keys:
            assert await store.get(key) == (media / key).read_bytes()
            assert hashlib.sha256(await store.get(key)).hexdigest() in key
    finally:
        await store.close()

    second = await run("migrate", cwd=tmp_path, **settings)
    assert second.returncode == 0, second.stderr
    assert "新迁移 0 个" in second.stdout and "原已在对象存储 4 个" in second.stdout

    third = await run("migrate", "--delete-local", cwd=tmp_path, **settings)
    assert third.returncode == 0 and "已删除本地已核对的文件 4 个" in third.stdout
    assert not any((media / key).exists() for key in keys)
    assert (media / "documents" / "0123abcd" / "检查表_1.docx").exists()


async def test_a_damaged_file_is_reported_and_not_uploaded(tmp_path, images, s3_endpoint, bucket):
    media = tmp_path / "media"
    keys = await old_media_dir(media, images)
    (media / keys[0]).write_bytes(b"bit rot")  # no longer what its name says
    proc = await run("migrate", cwd=tmp_path, media_dir=media, **s3_settings(s3_endpoint, bucket))
    assert proc.returncode == 1
    assert f"failed: {keys[0]}: the local file does not match the hash in its name" in proc.stderr
    assert "新迁移 3 个" in proc.stdout and "失败 1 个" in proc.stdout
    store = s3_store(s3_endpoint, bucket)
    try:
        assert not await store.exists(keys[0])
    finally:
        await store.close()


async def test_bad_arguments_and_an_unreachable_store(tmp_path, s3_endpoint):
    no_store = await run("migrate", cwd=tmp_path, media_dir=tmp_path)
    assert no_store.returncode == 2 and "INSPECTOR_BOT_MEDIA_URL is not set" in no_store.stderr
    settings = s3_settings(s3_endpoint, "ib-no-such-bucket")
    missing = await run("migrate", "--from", str(tmp_path / "nowhere"), cwd=tmp_path, **settings)
    assert missing.returncode == 2 and "is not a directory" in missing.stderr
    down = await run("migrate", cwd=tmp_path, media_dir=tmp_path, **settings)
    assert down.returncode == 1 and "unreachable" in down.stderr
    assert "inspector-test-secret-key" not in down.stderr + down.stdout
