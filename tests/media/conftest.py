"""The evidence-store backends: the MEDIA_DIR directory, and S3-compatible object storage served by
a local emulator this test run starts (moto's server, from the dev extra, on 127.0.0.1 and a
random port: no public endpoint). Without the emulator the S3 half is skipped with the reason;
under CI (CI=true) it fails instead, as PostgreSQL and Redis do."""

from __future__ import annotations

import logging
import socket
import uuid

import pytest

from tests.conftest import IN_CI

ACCESS_KEY, SECRET_KEY = "inspector-test", "inspector-test-secret-key"


def _unavailable(exc: BaseException) -> None:
    reason = f"S3 emulator not available ({exc!r}); install the dev extra: pip install -e '.[dev]'"
    if IN_CI:
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    """http://127.0.0.1:PORT of a moto S3 server running for the whole test session."""
    try:
        from moto.server import ThreadedMotoServer

        import bot.media_s3  # noqa: F401 - the client the store uses must be installed too
    except ImportError as exc:
        _unavailable(exc)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_settings(endpoint: str, bucket: str, prefix: str = "jincheng") -> dict:
    """Settings overrides for a bot whose evidence is in `bucket` of the emulator."""
    return dict(media_url=f"s3://{bucket}/{prefix}", media_s3_endpoint=endpoint, media_s3_path_style=True,
                media_s3_access_key=ACCESS_KEY, media_s3_secret_key=SECRET_KEY)


def s3_store(endpoint: str, bucket: str, prefix: str = "jincheng"):
    from bot.media_s3 import S3Store

    return S3Store(bucket, prefix, endpoint_url=endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                   path_style=True)


async def create_bucket(endpoint: str, bucket: str) -> None:
    store = s3_store(endpoint, bucket)
    try:
        await (await store.client()).create_bucket(Bucket=bucket)
    finally:
        await store.close()


@pytest.fixture
async def bucket(s3_endpoint) -> str:
    """A fresh, empty bucket of the emulator."""
    name = f"ib-{uuid.uuid4().hex[:12]}"
    await create_bucket(s3_endpoint, name)
    return name


@pytest.fixture
async def s3(s3_endpoint, bucket) -> dict:
    """Settings overrides for a bot on a fresh bucket."""
    return s3_settings(s3_endpoint, bucket)


@pytest.fixture(params=["local", "s3"])
def backend_store(request, tmp_path):
    """Every contract test runs on the directory and on object storage."""
    from bot.media_store import LocalStore

    if request.param == "local":
        return LocalStore(tmp_path / "store")
    return s3_store(request.getfixturevalue("s3_endpoint"), request.getfixturevalue("bucket"))


@pytest.fixture
async def objects(backend_store):
    yield backend_store
    await backend_store.close()


def dead_endpoint() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
