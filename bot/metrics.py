"""Prometheus metrics: messages, latency, errors, queue depth. Served on GET /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST  # noqa: F401  (re-exported for the HTTP route)

REGISTRY = CollectorRegistry(auto_describe=True)

RECEIVED = Counter("inspector_bot_messages_received_total", "Messages stored in the inbox",
                   ["channel"], registry=REGISTRY)
DUPLICATES = Counter("inspector_bot_messages_duplicate_total", "Platform retries recognised as duplicates",
                     ["channel"], registry=REGISTRY)
PROCESSED = Counter("inspector_bot_messages_processed_total", "Messages handled, by outcome",
                    ["channel", "outcome"], registry=REGISTRY)
LATENCY = Histogram("inspector_bot_message_seconds", "From receipt to replies committed",
                    ["channel"], registry=REGISTRY,
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
SENT = Counter("inspector_bot_replies_sent_total", "Outgoing messages delivered, by outcome",
               ["channel", "outcome"], registry=REGISTRY)
GIVEN_UP = Counter("inspector_bot_replies_given_up_total",
                   "Replies still unsent after GIVE_UP_HOURS, marked failed and reported to the admins",
                   ["channel"], registry=REGISTRY)
QUEUE = Gauge("inspector_bot_queue_depth", "Messages waiting: inbox pending, outbox pending",
              ["queue"], registry=REGISTRY)
STATE_DEGRADED = Gauge("inspector_bot_state_store_degraded", "1 while Redis is unreachable", registry=REGISTRY)


def render() -> bytes:
    return generate_latest(REGISTRY)
