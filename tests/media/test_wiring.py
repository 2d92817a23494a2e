"""How the evidence store is chosen and kept: the settings, the S3 client in one module, the secret
never written down, generated documents removed after the retention period (evidence never)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.media import evidence_store
from bot.messages import Document
from bot.redact import redact, remember_settings
from bot.scheduler import background_jobs, remove_old_documents
from storage.models import Evidence, Inspection
from tests.conversations.test_inspection import begin
from tests.documents.drive import rows

ROOT = Path(__file__).parents[2]


def test_only_the_s3_module_imports_the_s3_client():
    pattern = re.compile(r"^\s*(from|import)\s+(aiobotocore|botocore|boto3|aiohttp)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for pkg in ("bot", "handlers", "conversations", "storage")
                 for p in (ROOT / pkg).rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == ["bot/media_s3.py"]


def test_settings_choose_the_backend(tmp_path):
    local = evidence_store(Settings(media_dir=tmp_path, _env_file=None))
    assert local.kind == "local" and local.root == tmp_path
    s3 = evidence_store(Settings(media_dir=tmp_path, media_url="s3://evidence/jincheng/2023", _env_file=None,
                                 media_s3_endpoint="http://127.0.0.1:9", media_s3_path_style=True))
    assert s3.kind == "s3" and s3.root == tmp_path  # MEDIA_DIR: this host's scratch space
    assert s3.ref("ab/cd/x.jpg") == "s3://evidence/jincheng/2023/ab/cd/x.jpg"
    for bad in ("evidence/jincheng", "http://minio:9000/evidence", "s3://", "s3://b/../x"):
        with pytest.raises(ValidationError):
            Settings(media_url=bad, _env_file=None)


def test_the_secret_key_is_never_written_down():
    remember_settings(Settings(media_url="s3://evidence", media_s3_secret_key="wJalrXUtnFEMI-K7MDENG-bPxRfiCY",
                               _env_file=None))
    assert "wJalrXUtnFEMI" not in redact("signing with wJalrXUtnFEMI-K7MDENG-bPxRfiCY failed")


async def test_old_documents_are_removed_evidence_stays(embedded_bot, images):
    bot = embedded_bot
    assert len(background_jobs(bot.app)) == 2  # the daily jobs and the document cleanup
    await bot.register()
    await begin(bot)
    await bot.say(f"/photo {images['plan']}")
    await bot.say("暂停")
    [insp] = await rows(bot, Inspection)
    await bot.say(f"导出 {insp.id}")
    [doc] = [m for _, m in bot.console.sent if isinstance(m, Document)]
    assert Path(doc.path).is_file() and "/documents/" in doc.path  # the embedded default: a file under MEDIA_DIR

    now = datetime.now(timezone.utc)
    assert await remove_old_documents(bot.app, now) == 0  # a fresh document is kept
    assert await remove_old_documents(bot.app, now + timedelta(days=7, minutes=1)) == 1
    assert not Path(doc.path).exists()
    [evidence] = await rows(bot, Evidence)
    assert await bot.app.core.media.read(f"{evidence.sha256[:2]}/{evidence.sha256[2:4]}/{evidence.sha256}.jpg")
    assert "检查表" in await bot.say(f"导出 {insp.id}")  # asked again, made again

    bot.app.settings.document_retention_days = 0  # 0 keeps them
    assert await remove_old_documents(bot.app, now + timedelta(days=365)) == 0
    assert len(background_jobs(bot.app)) == 1
