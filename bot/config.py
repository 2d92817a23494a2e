"""Settings, read from the environment or `.env` with the prefix INSPECTOR_BOT_.

With nothing set the bot runs on the embedded default: SQLite and media under ./data,
in-process state, the bundled 2023 campaign, no external channels.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_CAMPAIGN = Path(__file__).parent / "campaigns" / "jincheng_2023_huitoukan.yaml"
WECOM_PUBLIC_API = "https://qyapi.weixin.qq.com/cgi-bin/"
TELEGRAM_PUBLIC_API = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INSPECTOR_BOT_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./data/inspector.db"
    redis_url: str = ""
    media_dir: Path = Path("./data/media")
    # Evidence in S3-compatible object storage (s3://bucket/prefix); empty: the MEDIA_DIR directory.
    # With object storage MEDIA_DIR keeps only this host's scratch files (bot/media.py).
    media_url: str = ""
    media_s3_endpoint: str = ""  # http://minio:9000, https://s3.oss-cn-beijing.aliyuncs.com ...; empty: AWS
    media_s3_region: str = "us-east-1"
    media_s3_access_key: str = ""  # empty: botocore's chain (AWS_ACCESS_KEY_ID ...)
    media_s3_secret_key: str = ""
    media_s3_path_style: bool = False  # bucket in the path (MinIO); else in the host name (OSS, COS, OBS)
    # Generated documents (checklists, cases, reports, digest charts) are removed after this many
    # days; 0 keeps them.
    document_retention_days: int = Field(default=7, ge=0)
    campaign_file: Path = BUNDLED_CAMPAIGN
    timezone: str = "Asia/Shanghai"
    digest_time: time = time(18, 0)

    wecom_corp_id: str = ""
    wecom_agent_id: str = ""
    wecom_secret: str = ""
    wecom_token: str = ""
    wecom_aes_key: str = ""
    wecom_api_base: str = WECOM_PUBLIC_API
    # Choices as template cards with buttons; false: numbered text (政务微信 clients without cards).
    wecom_cards: bool = True

    telegram_token: str = ""
    telegram_api_base: str = ""
    telegram_webhook_secret: str = ""
    telegram_webhook_url: str = ""  # https://HOST/telegram/webhook, registered when `serve` starts

    # Input limits.
    max_photo_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_photo_pixels: int = Field(default=40_000_000, gt=0)
    max_voice_bytes: int = Field(default=5 * 1024 * 1024, gt=0)  # voice messages kept as evidence
    max_video_bytes: int = Field(default=20 * 1024 * 1024, gt=0)  # videos (Telegram hands bots 20 MB at most)
    max_text_chars: int = Field(default=2000, gt=0)
    max_request_bytes: int = Field(default=256 * 1024, gt=0)
    # Worker processes for image work (decoding, hashing, the reuse check, OCR); 0: one fewer than
    # the cores, at least 1, at most 4 (bot/image_work.py).
    image_workers: int = Field(default=0, ge=0, le=32)
    # How long a WeCom or Telegram-webhook message waits for the ones its user sent before it
    # (they may reach another server process a little later); 0 turns the wait off.
    order_window_ms: int = Field(default=300, ge=0, le=5000)
    # Users whose messages one process handles at a time: the rest of the event loop stays with
    # the acknowledgements (bench/wecom_ack.py), and a backlog is worked through in the background.
    handling_slots: int = Field(default=4, ge=1, le=256)
    # Delivery: a reply the platform does not take is tried again (5 s doubling to 10 min, or as
    # long as the platform asks); after this many hours unsent it is marked failed and reported.
    delivery_give_up_hours: float = Field(default=24.0, gt=0)
    wecom_rate_limit_wait_s: float = Field(default=60.0, gt=0)  # after WeCom's 45009 / 45033 ...

    @field_validator("media_url")
    @classmethod
    def _object_store_url(cls, value: str) -> str:
        if value.strip():
            from bot.media_store import parse_s3_url

            parse_s3_url(value)
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def model_post_init(self, __context) -> None:
        super().model_post_init(__context)
        # The redactor blanks these wherever they would be written: logs, error columns, replies.
        from bot.redact import remember_settings

        remember_settings(self)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def wecom_enabled(self) -> bool:
        return bool(self.wecom_corp_id and self.wecom_secret)

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)
