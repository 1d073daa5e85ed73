"""The ``person_index`` consumer: each new or changed person-bearing record is linked on arrival.

Durable and idempotent, as the bus requires: a mention is linked once (the index remembers it,
and its link row is unique), a redelivered event finds every mention linked and writes
nothing, and a failed write leaves the event unacknowledged for another attempt. The record
is read from the store as the platform's own job (``system:person_index``): linking is not a
read by a person, so it shows nobody anything; what a caller later sees of a link passes the
policy then. A purged record's links go with it.
"""

from __future__ import annotations

import logging

from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.security.services import PlatformServices
from plataforma.store import reader
from plataforma.store.engine import begin_write

from .links import delete_record_links
from .national import national_index
from .records import PERSON_BEARING_TYPES

CONSUMER = "person_index"
log = logging.getLogger(__name__)


def handle_event(platform: PlatformServices, event: RecordEvent) -> int:
    """Link the mentions of the event's record; returns how many links were written."""
    if event.record_type not in PERSON_BEARING_TYPES:
        return 0
    if event.event == "purged":
        with begin_write(platform.engine) as conn:
            return -delete_record_links(conn, event.record_id)
    with platform.engine.connect() as conn:
        record = reader.get_record(conn, event.record_id)
    if record is None:
        return 0
    index = national_index(platform.settings, platform.engine)
    outcome = index.link_and_store(record)
    if outcome.reviews:
        log.info("person index: %d pair(s) of %s to review", len(outcome.reviews), record.id)
    return len(outcome.links)


def person_index_consumer(platform: PlatformServices) -> tuple[str, Handler]:
    def handle(event: RecordEvent) -> None:
        handle_event(platform, event)

    return CONSUMER, handle
