"""The platform's Prometheus counters, in one neutral module every package may import.

Domain code (imports, the audit log) counts what it does here; ``web/metrics.py`` only renders
the registry at ``/metrics``. Keeping the counters out of ``web`` is what lets ``ingest`` and
``security`` count without importing the web layer (DESIGN: no domain → web imports).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("plataforma_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "plataforma_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
IMPORTED = Counter(
    "plataforma_import_records_total", "Records imported", ["record_type", "outcome"]
)
REJECTED = Counter("plataforma_import_rejects_total", "Rows rejected by imports", ["record_type"])
REINDEX_FAILURES = Counter(
    "plataforma_reindex_failures_total", "Stored records a key reindex could not re-validate"
)
AUDIT_APPENDS = Counter("plataforma_audit_appends_total", "Audit events chained")
AUDIT_INSERTED = Counter(
    "plataforma_audit_inserted_total", "Audit events committed by the audit log's own inserts"
)
AUDIT_COMMITS = Counter(
    "plataforma_audit_commits_total",
    "Synced transactions of the audit log's own inserts (inserted / commits = group size)",
)
AUDIT_FAILURES = Counter(
    "plataforma_audit_failures_total",
    "Audit log operations that failed (insert: events kept for retry; chain: nothing linked)",
    ["stage"],
)
AUDIT_CHAIN_REFUSED = Counter(
    "plataforma_audit_chain_refusals_total",
    "Chain runs refused because the database's head is not confirmed by the checkpoint log",
)
AUDIT_PENDING = Gauge(
    "plataforma_audit_pending_events",
    "Audit events held in memory, not yet committed (buffered reads, or kept after a failure)",
)
AUDIT_DEGRADED = Gauge(
    "plataforma_audit_degraded", "1 while the audit log has a problem (see /healthz), else 0"
)
NOTICES = Counter(
    "plataforma_notices_total",
    "Notices delivered by subscriptions, delayed inquiry and deconfliction (redeliveries not"
    " counted)",
    ["kind"],
)

# Real time: the outbox relay, the bus's durable consumers and the periodic jobs.
RELAY_PUBLISHED = Counter(
    "plataforma_relay_published_total", "Outbox events the relay handed to the bus"
)
RELAY_FAILURES = Counter(
    "plataforma_relay_failures_total",
    "Relay passes that failed (the events stay in the outbox for the next attempt)",
    ["reason"],
)
RELAY_LAG = Histogram(
    "plataforma_relay_lag_seconds",
    "From an outbox row's commit time to its publication on the bus",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300),
)
OUTBOX_UNPUBLISHED = Gauge(
    "plataforma_outbox_unpublished", "Outbox events not yet published (at the relay's last sweep)"
)
BUS_HANDLED = Counter(
    "plataforma_bus_events_handled_total", "Record events a durable consumer handled", ["consumer"]
)
BUS_CONSUMER_ERRORS = Counter(
    "plataforma_bus_consumer_errors_total",
    "Record events a durable consumer failed on (delivered again later)",
    ["consumer"],
)
BUS_LISTENER_ERRORS = Counter(
    "plataforma_bus_listener_errors_total",
    "Signals a listener failed on (best effort: the state they announce is in the database)",
)
BUS_DEGRADED = Gauge(
    "plataforma_bus_degraded", "1 while the bus cannot reach its broker (see /healthz), else 0"
)
JOB_RUNS = Counter(
    "plataforma_job_runs_total", "Periodic job runs, by job and outcome", ["job", "outcome"]
)
TRENDS_UPDATE_SECONDS = Histogram(
    "plataforma_trends_update_seconds",
    "Time to bring the live trend counts up to date for one incident event",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
TRENDS_ALARMS = Counter(
    "plataforma_trends_alarms_total",
    "Alarms the trends alarms job raised on the live counts (first seen only), by grain",
    ["grain"],
)
TRENDS_ALARM_SECONDS = Histogram(
    "plataforma_trends_alarm_job_seconds",
    "Time of one run of the trends alarms job over every live series",
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
