"""Wiring in one place: build what the settings switch on."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import image_work, ocr, recordings
from bot.campaign import Campaign, load_campaign
from bot.config import Settings
from bot.core import Core
from bot.media import evidence_store
from handlers import handle
from storage import db
from storage.repositories import Repos
from storage.resilient import DatabaseLocks, ResilientStateStore
from storage.state import MemoryStateStore, StateStore, state_store_from_url

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    campaign: Campaign
    engine: AsyncEngine
    state: StateStore
    core: Core
    # Coroutines run when a server starts (e.g. a Telegram webhook registration) and at close.
    on_start: list = field(default_factory=list)
    closers: list = field(default_factory=list)
    # Long-running coroutine functions a server runs beside the channels (schedulers).
    background: list = field(default_factory=list)

    async def close(self) -> None:
        for closer in self.closers:
            await closer()
        for adapter in self.core.adapters.values():
            await adapter.close()
        await self.state.close()
        await self.core.media.close()
        await self.engine.dispose()


async def build_app(settings: Settings, *, clock: Callable[[], datetime] | None = None,
                    state: StateStore | None = None, migrate: bool = True) -> App:
    campaign = load_campaign(settings.campaign_file)
    engine = db.create_engine(settings.database_url)
    if migrate:
        await db.upgrade(engine)
    sessions = db.sessionmaker(engine)
    await sync_bureaus(Repos(sessions()), campaign)
    state = state or state_store_from_url(settings.redis_url)
    if not isinstance(state, (MemoryStateStore, ResilientStateStore)):
        state = ResilientStateStore(state, DatabaseLocks(engine))  # Redis down: keep answering
    media = evidence_store(settings)  # MEDIA_DIR, or object storage with MEDIA_URL
    image_work.configure(settings.image_workers)
    # Said once at startup: on (info), or off (a warning, so even the console chat shows it).
    log.log(logging.INFO if ocr.available() else logging.WARNING, ocr.status_line())
    recordings.configure(settings.max_voice_bytes, settings.max_video_bytes)
    tz = settings.tz

    async def handler(ctx) -> None:
        ctx.max_text = settings.max_text_chars
        await handle(ctx)

    core = Core(sessions=sessions, state=state, campaign=campaign, media=media, handler=handler,
                clock=clock or (lambda: datetime.now(tz)))
    core.order_window = settings.order_window_ms / 1000
    core.set_handling_slots(settings.handling_slots)
    core.give_up_hours = settings.delivery_give_up_hours
    built = App(settings=settings, campaign=campaign, engine=engine, state=state, core=core)
    from bot.scheduler import background_jobs

    built.background.extend(background_jobs(built))
    return built


async def sync_bureaus(repos: Repos, campaign: Campaign) -> None:
    """The campaign's bureaus exist in the database (idempotent)."""
    try:
        for b in campaign.bureaus:
            await repos.org.upsert_bureau(b.name, b.short, b.level)
        await repos.commit()
    finally:
        await repos.session.close()


def add_channel_adapters(app: App) -> None:
    """Register the adapters the settings switch on (console is added by `chat` itself)."""
    settings = app.settings
    if settings.wecom_enabled:
        from bot.adapters.wecom import add_wecom

        add_wecom(app)
    if settings.telegram_enabled:
        from bot.adapters.telegram import add_telegram

        add_telegram(app)
