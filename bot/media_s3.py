"""S3-compatible object storage for the evidence (MinIO, 阿里云 OSS, 腾讯云 COS, 华为云 OBS, AWS S3)
through aiobotocore. Only this module imports the S3 client; install it with the `s3` extra.

`MEDIA_URL=s3://bucket/prefix`: objects are `prefix/<key>`. Writes are write-once: a HEAD first,
then a PUT with `If-None-Match: *` (a store that does not know the header gets a plain PUT), with
Content-MD5 so the store refuses a body damaged on the way. S3 writes are atomic: an object is
there whole or not at all. The bucket is not created here: it is the operator's (docker compose
creates it for the bundled MinIO).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from typing import AsyncIterator

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from bot.media_store import ObjectInfo, ObjectMissing, ObjectStore, StoreUnavailable, check_key, parse_s3_url

MISSING = {"404", "NoSuchKey", "NotFound"}
EXISTS = {"412", "PreconditionFailed", "409", "ConditionalRequestConflict"}
NOT_SUPPORTED = {"501", "NotImplemented"}


class S3Store(ObjectStore):
    kind = "s3"

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str = "", region: str = "us-east-1",
                 access_key: str = "", secret_key: str = "", path_style: bool = False,
                 connect_timeout: float = 3.0, read_timeout: float = 20.0, attempts: int = 2) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = endpoint_url or None
        self.region = region or "us-east-1"
        self._credentials = {"aws_access_key_id": access_key, "aws_secret_access_key": secret_key} \
            if access_key and secret_key else {}  # else botocore's chain (AWS_ACCESS_KEY_ID ...)
        self._config = AioConfig(
            s3={"addressing_style": "path" if path_style else "virtual"}, signature_version="s3v4",
            connect_timeout=connect_timeout, read_timeout=read_timeout,
            retries={"max_attempts": attempts, "mode": "standard"},
            # Checksums only where the API requires them: OSS, COS and older MinIO reject the
            # newer default ones. Our own Content-MD5 protects every upload.
            request_checksum_calculation="when_required", response_checksum_validation="when_required")
        self._client = None
        self._stack: contextlib.AsyncExitStack | None = None
        self._opening = asyncio.Lock()
        self._conditional = True  # If-None-Match on PUT, until the store says it does not know it

    @classmethod
    def from_url(cls, url: str, **options) -> "S3Store":
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix, **options)

    def __repr__(self) -> str:
        return f"S3Store(s3://{self.bucket}/{self.prefix})"

    def name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def client(self):
        if self._client is None:
            async with self._opening:
                if self._client is None:
                    stack = contextlib.AsyncExitStack()
                    self._client = await stack.enter_async_context(get_session().create_client(
                        "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=self._config,
                        **self._credentials))
                    self._stack = stack
        return self._client

    async def close(self) -> None:
        if self._stack is not None:
            stack, self._stack, self._client = self._stack, None, None
            await stack.aclose()

    # ---- the interface
    async def put(self, key: str, data: bytes) -> bool:
        if await self.stat(key) is not None:
            return False
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        args = dict(Bucket=self.bucket, Key=self.name(key), Body=data, ContentMD5=md5)
        async with self._errors(key):
            client = await self.client()
            try:
                await client.put_object(**args, **({"IfNoneMatch": "*"} if self._conditional else {}))
            except ClientError as exc:
                code = _code(exc)
                if code in EXISTS:
                    return False  # another process wrote it between our HEAD and PUT
                if code not in NOT_SUPPORTED or not self._conditional:
                    raise
                self._conditional = False
                await client.put_object(**args)
        return True

    async def get(self, key: str) -> bytes:
        async with self._errors(key):
            response = await (await self.client()).get_object(Bucket=self.bucket, Key=self.name(key))
            async with response["Body"] as body:
                return await body.read()

    async def stat(self, key: str) -> ObjectInfo | None:
        try:
            async with self._errors(key):
                head = await (await self.client()).head_object(Bucket=self.bucket, Key=self.name(key))
        except ObjectMissing:
            return None
        return ObjectInfo(key, int(head["ContentLength"]), head["LastModified"])

    async def list(self, prefix: str) -> AsyncIterator[ObjectInfo]:
        start = f"{self.prefix}/" if self.prefix else ""
        async with self._errors(prefix):
            pages = (await self.client()).get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start + prefix)
            async for page in pages:
                for obj in page.get("Contents", []):
                    yield ObjectInfo(obj["Key"][len(start):], int(obj["Size"]), obj["LastModified"])

    async def delete(self, key: str) -> None:
        async with self._errors(key):
            await (await self.client()).delete_object(Bucket=self.bucket, Key=self.name(key))

    async def ping(self) -> None:
        async with self._errors(""):
            await (await self.client()).head_bucket(Bucket=self.bucket)

    def ref(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.name(key)}"

    def key_of(self, ref: str) -> str | None:
        head = f"s3://{self.bucket}/" + (f"{self.prefix}/" if self.prefix else "")
        if not ref.startswith(head):
            return None
        try:
            return check_key(ref[len(head):])
        except ValueError:
            return None

    @contextlib.asynccontextmanager
    async def _errors(self, key: str):
        """botocore's failures as the store's: absent, or unavailable (with the reason, never a secret)."""
        try:
            yield
        except ClientError as exc:
            code = _code(exc)
            if code in MISSING and key:
                raise ObjectMissing(key) from None
            raise StoreUnavailable(f"{exc.operation_name}: {code}") from exc
        except (BotoCoreError, aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise StoreUnavailable(type(exc).__name__) from exc


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or exc.response.get("ResponseMetadata", {})
               .get("HTTPStatusCode", ""))
