"""Rewrite the README's performance table from bench/results/*.json.

    python scripts/perf_table.py

Only the headline metrics with a target are listed; every figure is in the JSON files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = [
    (
        "bulk_import",
        "bulk_import_sqlite_records_per_s",
        "≥ 20,000",
        "python bench/bulk_import.py --records 100000 --runs 3",
    ),
    ("bulk_import", "bulk_import_incident_sqlite_records_per_s", "≥ 5,000", "(same)"),
    (
        "bulk_import",
        "bulk_import_postgres_records_per_s",
        "≥ 10,000",
        "(same, with PLATAFORMA_TEST_DATABASE_URL)",
    ),
    (
        "api_writes",
        "api_writes_sqlite_per_s",
        "≥ 300",
        "python bench/api_writes.py --seconds 8 --runs 3",
    ),
    ("api_writes", "api_writes_sqlite_p50_ms", "", "(same)"),
    ("api_writes", "api_writes_sqlite_p99_ms", "", "(same)"),
    (
        "api_writes",
        "api_writes_postgres_per_s",
        "≥ 500",
        "(same, with PLATAFORMA_TEST_DATABASE_URL)",
    ),
    ("api_writes", "api_writes_postgres_p50_ms", "", "(same)"),
    ("api_writes", "api_writes_postgres_p99_ms", "", "(same)"),
    ("lookup", "lookup_p99_ms", "≤ 5", "python bench/lookup.py --records 1000000"),
    ("lookup", "lookup_p50_ms", "", "(same)"),
    ("synth", "synth_1m_records_s", "≤ 120", "python bench/synth.py"),
    (
        "api_reads",
        "api_reads_sqlite_per_s",
        "",
        "python bench/api_reads.py --runs 3 --seconds 8",
    ),
    ("api_reads", "api_reads_sqlite_p99_ms", "", "(same)"),
    ("api_reads", "api_reads_postgres_per_s", "", "(same, with PLATAFORMA_TEST_DATABASE_URL)"),
    ("api_reads", "api_reads_postgres_p99_ms", "", "(same)"),
    (
        "lookup_audited",
        "lookup_audited_1t_p50_ms",
        "",
        "python bench/lookup.py --records 200000 --audited",
    ),
    ("lookup_audited", "lookup_audited_1t_p99_ms", "", "(same)"),
    ("lookup_audited", "lookup_audited_8t_per_s", "", "(same)"),
    (
        "audit_chain",
        "audit_chain_sqlite_per_s",
        "",
        "python bench/audit_chain.py --runs 1 --events 200000 --load 100000",
    ),
    ("audit_chain", "audit_unchained_window_sqlite_s", "a few s", "(same)"),
    ("audit_chain", "audit_chain_postgres_per_s", "", "(same, with PLATAFORMA_TEST_DATABASE_URL)"),
    ("audit_chain", "audit_unchained_window_postgres_s", "a few s", "(same, with PostgreSQL)"),
    ("storage", "bytes_per_record", "", "python bench/storage.py --records 1000000"),
    ("inquiry", "inquiry_p50_ms", "≤ 1 (at 10 M)", "python bench/inquiry.py --records 200000"),
    ("inquiry", "inquiry_p99_ms", "≤ 5 (at 10 M)", "(same)"),
    ("inquiry", "inquiry_buffered_audit_p50_ms", "", "(same)"),
    ("inquiry", "inquiry_http_p99_ms", "≤ 50 at 500/s", "(same)"),
    ("inquiry", "inquiry_http_max_per_s", "≥ 1,000", "(same)"),
    ("notify", "notify_memory_p50_ms", "", "python bench/notify.py --nats nats://127.0.0.1:4222"),
    ("notify", "notify_memory_p99_ms", "≤ 20", "(same)"),
    ("notify", "notify_nats_p50_ms", "", "(same)"),
    ("notify", "notify_nats_p99_ms", "≤ 100", "(same)"),
    ("subscriptions", "subscription_match_p50_ms", "", "python bench/subscriptions.py"),
    ("subscriptions", "subscription_match_p99_ms", "", "(same)"),
    ("subscriptions", "subscription_handler_p99_ms", "", "(same)"),
    ("exchanges", "confirmation_request_p50_ms", "", "python bench/exchanges.py"),
    ("exchanges", "message_all_agencies_p50_ms", "", "(same)"),
    (
        "inquiry",
        "inquiry_server_rss_mb",
        "report (at 10 M)",
        "python bench/inquiry.py --records 200000",
    ),
    (
        "objects",
        "objects_ocr_recall",
        "",
        "python bench/objects.py --vehicles 100000 --fleet 5000000",
    ),
    ("objects", "objects_false_possible_rate_national", "", "(same)"),
    ("objects", "objects_inquiry_buffered_audit_p50_ms", "", "(same)"),
    ("resolve", "resolve_f1", "≥ 0.95, above Splink", "python bench/resolve.py"),
    ("resolve", "resolve_precision", "≥ 0.97", "(same)"),
    ("resolve", "resolve_recall", "", "(same)"),
    ("resolve", "resolve_hard_f1", "≥ 0.92, above Splink", "(same)"),
    ("resolve", "resolve_hard_precision", "≥ 0.97", "(same)"),
    ("resolve", "resolve_febrl4_f1", "≥ 0.99", "(same)"),
    ("resolve", "resolve_batch_records_per_s", "≥ 5,000, ≥ Splink", "(same)"),
    ("resolve", "resolve_link_p99_ms", "≤ 20 (1 M persons)", "(same)"),
    (
        "resolve_engines",
        "resolve_splink_duckdb_20k_records_per_s",
        "",
        "python bench/resolve_engines.py --no-spark",
    ),
    ("resolve_engines", "resolve_splink_duckdb_20k_f1", "", "(same)"),
    ("resolve_realtime", "resolve_commit_to_linked_p99_ms", "", "python bench/resolve_realtime.py"),
    ("resolve_realtime", "resolve_index_load_s", "", "(same)"),
    ("trends", "trends_detection_rate", "≥ 90 %", "python bench/trends.py"),
    ("trends", "trends_median_delay_periods", "0", "(same)"),
    ("trends", "trends_false_alarms_per_100_series_months", "≤ 1", "(same)"),
    ("trends", "trends_alarms_all_series_s", "≤ 300", "(same)"),
    ("trends", "trends_reader_rows_per_s", "", "(same)"),
    ("trends_live", "trends_incremental_update_ms", "≤ 1", "python bench/trends_live.py"),
    ("trends_live", "trends_recompute_10m_s", "≤ 10", "(same)"),
    (
        "trends_dashboard",
        "trends_dashboard_first_render_ms",
        "≤ 1,000 (at 10 M)",
        "python bench/trends_dashboard.py --incidents 150000 --loads 5",
    ),
    ("hotspots", "hotspots_places_clean_per_million_s", "", "python bench/hotspots.py"),
    ("hotspots", "hotspots_gistar_national_month_s", "", "(same)"),
]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{text} {unit}"


def table() -> str:
    lines = ["| metric | ours | baseline | target | command |", "|---|---|---|---|---|"]
    for bench, name, target, command in ROWS:
        path = ROOT / "bench" / "results" / f"{bench}.json"
        if not path.exists():
            continue
        metric = json.loads(path.read_text())["metrics"].get(name)
        if metric is None:
            continue
        baseline = _number(metric.get("baseline"), metric["unit"])
        if metric.get("baseline_name"):
            baseline += f" ({metric['baseline_name']})"
        ours = _number(metric["value"], metric["unit"])
        lines.append(f"| `{name}` | {ours} | {baseline} | {target} | `{command}` |")
    return "\n".join(lines)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(
        r"<!-- perf-table -->.*?<!-- /perf-table -->",
        f"<!-- perf-table -->\n{table()}\n<!-- /perf-table -->",
        text,
        flags=re.S,
    )
    readme.write_text(new)
    print(table())


if __name__ == "__main__":
    main()
