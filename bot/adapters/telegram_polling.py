"""Long polling (getUpdates) for `inspector-bot telegram`.

An update is confirmed to Telegram (by asking for the next offset) only after it was committed to
the inbox; one that could not be stored is fetched again. Redeliveries are de-duplicated by the
inbox, so a crash between the commit and the confirmation costs nothing.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram_convert import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates open when there is nothing new
RETRY_DELAYS = (1, 2, 5, 10, 30)


async def poll(adapter: TelegramAdapter, timeout: float = POLL_TIMEOUT, retry_delays=RETRY_DELAYS) -> None:
    """Forever (until cancelled): fetch updates and hand each to the adapter in order.
    Raises InvalidToken when Telegram rejects the token."""
    failures = 0
    adapter.in_order = True  # one poller hands the updates over in update_id order

    async def pause() -> None:
        nonlocal failures
        await asyncio.sleep(retry_delays[min(failures, len(retry_delays) - 1)])
        failures += 1

    while True:  # start: the token is checked and a webhook, if any, removed (getUpdates needs that)
        try:
            bot = await adapter.ready()
            await bot.delete_webhook()
            break
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("Telegram not reachable yet: %r", exc)
            await pause()
    offset: int | None = None
    try:
        while True:
            try:
                updates = await bot.get_updates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
            except Conflict as exc:
                log.error("getUpdates conflict (another poller, or a webhook was set): %s", exc)
                await pause()
                continue
            except NetworkError as exc:
                log.warning("getUpdates failed: %r", exc)
                await pause()
                continue
            failures = 0
            for update in updates:
                try:
                    await adapter.handle_update(update)
                except Exception:  # noqa: BLE001 - not stored: leave it unconfirmed, it comes again
                    log.exception("update %s could not be stored; retrying", update.update_id)
                    await pause()
                    break
                offset = update.update_id + 1
    finally:
        if offset is not None:
            await _confirm(adapter, offset)


async def _confirm(adapter: TelegramAdapter, offset: int) -> None:
    """On the way out, tell Telegram which updates are handled, so a restart does not refetch them."""
    try:
        await asyncio.wait_for(adapter.bot.get_updates(offset=offset, timeout=0, limit=1), 5)
    except (TelegramError, asyncio.TimeoutError, asyncio.CancelledError) as exc:
        log.info("could not confirm offset %s on exit: %r", offset, exc)
