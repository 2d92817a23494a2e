"""Reminders for rectification orders: a few days before the due date and once it has passed, to the
inspector who issued the order. Each reminder is claimed in the database first, so several server
processes (or a rerun the same day) send it once."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from bot import texts
from bot.messages import Text, outgoing_to_json
from conversations.orders import REMIND_DAYS_BEFORE
from storage.repositories.enforcement import EnforcementRepo

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


async def send_order_reminders(app: "App", today: date) -> int:
    """Queue and deliver today's order reminders; how many were sent."""
    repos = app.core.repos()
    queued = 0
    try:
        enforcement = EnforcementRepo(repos.session, repos.audit)
        for order, kind in await enforcement.reminders_due(today, REMIND_DAYS_BEFORE):
            if not await enforcement.claim_reminder(order.id, kind):
                continue
            finding = await repos.inspections.finding(order.finding_id)
            insp = await repos.inspections.get(order.inspection_id)
            template = texts.REMIND_OVERDUE if kind == "overdue" else texts.REMIND_DUE_SOON
            text = template.format(oid=order.id, name=insp.enterprise.name, desc=finding.description,
                                   due=order.due_date.isoformat(), iid=insp.id)
            for identity in await repos.org.identities_of(order.created_by):
                repos.outbox.add(identity.channel, identity.external_id, outgoing_to_json(Text(text)))
            queued += 1
        await repos.commit()
    finally:
        await repos.session.close()
    if queued:
        await app.core.deliver()
    log.info("order reminders: %d queued for %s", queued, today)
    return queued
