"""Confusion-tolerant plates, VINs and serials: what the extra keys cost and what they find.

Two stores are built from the same synthetic vehicles and firearms (Mexican-style plates:
three letters, three or four digits, sometimes a letter; VINs from ``make_vin``; serials):
one with today's keys (exact + skeleton), one with exact keys only (the baseline: what the
platform did before, and what a user gets from an exact-key index). On each:

* bulk write rate (``prepare`` + ``write_records`` in batches of 5,000, relaxed commits as
  a bulk load makes them) and ``record_keys`` rows per record;
* in-process inquiry latency (``inquiry.inquire``, audited, durable) over a mix of plate
  reads: clean reads of stored plates, OCR-corrupted reads, and plates not in the store;
* recall on OCR-corrupted plate reads of known vehicles: the right vehicle is in the answer
  (as an exact or possible match). The corruptions follow plate-reader confusions: 85 %
  within the classes the skeleton folds (O/0/Q/D, I/1/L, S/5, B/8, Z/2, G/6; one glyph, a
  fifth of them two), 15 % outside them (A/4, T/7, U/V, H/M, E/F, K/X), which no skeleton
  catches and which are counted as misses;
* the false possible-match rate: plates *not* in the store (same generator) that are
  answered with a possible match, i.e. another vehicle shown as "possibly this one"; also
  computed in memory for a national-size fleet (``--fleet``, skeleton counts only);
* the VIN check-digit repair on VINs with one confusable glyph: right, ambiguous, wrong.

    python bench/objects.py [--vehicles 100000] [--inquiries 3000] [--fleet 5000000] [--smoke]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from sqlalchemy import func, select

import plataforma.inquiry.queries as inquiry_queries
import plataforma.model.records.objects as object_models
from plataforma.context import Platform
from plataforma.inquiry import VehicleQuery, inquire
from plataforma.model.records import Firearm, Vehicle
from plataforma.model.records.object_keys import is_possible_key
from plataforma.model.values import make_vin, parse_firearm_serial, parse_plate, parse_vin
from plataforma.model.values.confusable import confusable_alternatives, skeleton
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.prepare import PreparedRecord, prepare
from plataforma.store.tables import record_keys
from plataforma.store.tables import records as records_table
from plataforma.store.writer import write_records

BATCH = 5000
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # Mexican plates avoid I, O, Q and Ñ
# Plate-reader confusions outside the folded classes: not caught, counted as misses.
OTHER_CONFUSIONS = {"A": "4", "4": "A", "T": "7", "7": "T", "U": "V", "V": "U", "H": "M",
                    "M": "H", "E": "F", "F": "E", "K": "X", "X": "K"}  # fmt: skip
CLASS_SHARE, TWO_GLYPH_SHARE = 0.85, 0.2


def make_plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(LETTERS) for _ in range(3))
    digits = f"{rng.randrange(1000):03d}" if rng.random() < 0.5 else f"{rng.randrange(10**4):04d}"
    tail = rng.choice(LETTERS) if rng.random() < 0.6 else ""
    return f"{letters}-{digits}{'-' + tail if tail else ''}"


def corrupt(plate: str, rng: random.Random) -> tuple[str, bool]:
    """An OCR read of ``plate``; True when the corruption stays within the folded classes."""
    glyphs = list(plate)
    if rng.random() < CLASS_SHARE:
        spots = [i for i, g in enumerate(glyphs) if confusable_alternatives(g)]
        if spots:
            count = 2 if rng.random() < TWO_GLYPH_SHARE and len(spots) > 1 else 1
            for i in rng.sample(spots, count):
                glyphs[i] = rng.choice(confusable_alternatives(glyphs[i]))
            return "".join(glyphs), True
    spots = [i for i, g in enumerate(glyphs) if g in OTHER_CONFUSIONS]
    if not spots:
        return plate, True  # nothing a reader confuses: a clean read
    i = rng.choice(spots)
    glyphs[i] = OTHER_CONFUSIONS[glyphs[i]]
    return "".join(glyphs), False


@contextmanager
def exact_keys_only() -> Iterator[None]:
    """The baseline: records indexed and inquiries planned on exact keys only."""

    def only_exact(fn: Callable[..., list[tuple[str, str]]]) -> Callable[..., Any]:
        return lambda value: [k for k in fn(value) if not is_possible_key(k[0])]

    saved = {n: getattr(object_models, n) for n in ("plate_keys", "vin_keys", "serial_keys")}
    saved_probes = inquiry_queries.probes
    for name, fn in saved.items():
        setattr(object_models, name, only_exact(fn))
    inquiry_queries.probes = lambda kind, exact, skel: (saved_probes(kind, exact, skel)[0], [])  # type: ignore[assignment]
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(object_models, name, fn)
        inquiry_queries.probes = saved_probes


def fleet(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    plates: set[str] = set()
    out = []
    while len(out) < n:
        plate = make_plate(rng)
        if plate in plates:
            continue
        plates.add(plate)
        i = len(out)
        if i % 5 == 4:
            out.append(
                {"kind": "firearm", "serial": f"{rng.choice(LETTERS)}{rng.randrange(10**6):06d}"}
            )
        else:
            theft = "robado" if rng.random() < 0.05 else "sin_reporte"
            out.append({"kind": "vehicle", "plate": plate, "vin": make_vin(i), "theft": theft})
    return out


def _batch(objects: list[dict[str, Any]], start: int) -> list[PreparedRecord]:
    items: list[PreparedRecord] = []
    for i, o in enumerate(objects[start : start + BATCH], start):
        if o["kind"] == "vehicle":
            body: Vehicle | Firearm = Vehicle(
                source_ref=f"v{i}", plate=o["plate"], plate_state="14", vin=o["vin"],
                theft_status=o["theft"],
            )  # fmt: skip
        else:
            body = Firearm(source_ref=f"f{i}", serial=o["serial"])
        items.append(prepare(body, "BENCH"))
    return items


def load(stores: list[Store], objects: list[dict[str, Any]]) -> None:
    """Write ``objects`` into every store, batch by batch in turn (so warm-up and machine
    noise fall on both alike): prepare (keys, flags, hash) + write; the rate and key rows."""
    spent = [0.0] * len(stores)
    for start in range(0, len(objects), BATCH):
        order = list(enumerate(stores))
        for n, store in order if start // BATCH % 2 == 0 else order[::-1]:
            # The parsers' caches would hand the second store the first one's work.
            for parse in (parse_plate, parse_vin, parse_firearm_serial):
                parse.cache_clear()
            began = time.perf_counter()
            with exact_keys_only() if store.exact_only else nullcontext():
                items = _batch(objects, start)
            with begin_write(store.platform.engine, synced=False) as conn:
                write_records(conn, items, "bench")
            spent[n] += time.perf_counter() - began
    for n, store in enumerate(stores):
        store.rate = len(objects) / spent[n]
        with store.platform.engine.connect() as conn:
            store.keys = int(
                conn.execute(select(func.count()).select_from(record_keys)).scalar_one()
            )
        store.ids = plate_ids(store.platform)


def plate_mix(objects: list[dict[str, Any]], count: int, seed: int = 3) -> list[dict[str, Any]]:
    """Reads to ask about: a third clean, a third OCR-corrupted, a third of unknown plates."""
    rng = random.Random(seed)
    vehicles = [o for o in objects if o["kind"] == "vehicle"]
    stored = {parse_plate(o["plate"]).match_key for o in vehicles}
    out: list[dict[str, Any]] = []
    while len(out) < count:
        roll = len(out) % 3
        if roll == 2:
            plate = make_plate(rng)
            if parse_plate(plate).match_key in stored:
                continue
            out.append({"read": plate, "truth": None, "kind": "unknown"})
            continue
        truth = rng.choice(vehicles)["plate"]
        if roll == 0:
            out.append({"read": truth, "truth": truth, "kind": "clean"})
        else:
            read, in_classes = corrupt(truth, rng)
            if read == truth:
                continue
            out.append({"read": read, "truth": truth, "kind": "ocr", "in_classes": in_classes})
    return out


def ask(
    platform: Platform, read: dict[str, Any], ids: dict[str, str], counts: Counter[str]
) -> float:
    """One inquiry: its latency in ms; counts found (the right vehicle) and wrong_possible."""
    start = time.perf_counter()
    answer = inquire(platform, LOCAL_ADMIN, VehicleQuery(plate=read["read"]), Purpose.PATROL)
    elapsed = (time.perf_counter() - start) * 1000
    body = answer.to_json()
    found = body["hits"] + body["other_records"]
    right = ids.get(parse_plate(read["truth"]).match_key or "") if read["truth"] else None
    if right is not None and any(r["record_id"] == right for r in found):
        counts[f"found_{read['kind']}"] += 1
    if any(r["record_id"] != right and r["match_quality"] == "confusable" for r in found):
        counts[f"wrong_possible_{read['kind']}"] += 1
    counts[read["kind"]] += 1
    if read["kind"] == "ocr" and read["in_classes"]:
        counts["ocr_in_classes"] += 1
    return elapsed


def plate_ids(platform: Platform) -> dict[str, str]:
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(record_keys.c.value, record_keys.c.record_id).where(
                record_keys.c.kind == "plate"
            )
        )
        return {value: record_id for value, record_id in rows}


@dataclass
class Store:
    platform: Platform
    exact_only: bool
    rate: float = 0.0
    keys: int = 0
    ids: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    durable: list[float] = field(default_factory=list)
    buffered: list[float] = field(default_factory=list)

    def ask(self, read: dict[str, Any], counts: Counter[str], into: list[float]) -> None:
        if self.exact_only:
            with exact_keys_only():
                into.append(ask(self.platform, read, self.ids, counts))
        else:
            into.append(ask(self.platform, read, self.ids, counts))


@contextmanager
def open_store(exact_only: bool) -> Iterator[Store]:
    with temp_dir() as data:
        platform = Platform.open(Settings(data_dir=data))
        platform.audit.start()
        try:
            yield Store(platform, exact_only)
            platform.audit.sync()
        finally:
            platform.close()


def interleaved(stores: list[Store], mix: list[dict[str, Any]]) -> None:
    """Each read asked of every store in turn, so machine noise falls on both alike; then
    again with the audit buffered (the lookup without the group commit's fsync)."""
    scratch: Counter[str] = Counter()
    for read in mix[: max(10, len(mix) // 10)]:  # warm the caches and statement cache
        for store in stores:
            store.ask(read, scratch, [])
    for read in mix:
        for store in stores:
            store.ask(read, store.counts, store.durable)
    for store in stores:
        store.platform.audit.durable = False
    for read in mix:
        for store in stores:
            store.ask(read, scratch, store.buffered)
    for store in stores:
        store.platform.audit.durable = True


def national_false_possible(size: int, probes: int) -> float:
    """Share of unknown plates whose skeleton some other plate of a ``size`` fleet shares."""
    rng = random.Random(11)
    plates = {parse_plate(make_plate(rng)).match_key for _ in range(size)}
    skeletons = Counter(skeleton(p) for p in plates if p)
    hits = asked = 0
    while asked < probes:
        plate = parse_plate(make_plate(rng)).match_key or ""
        if plate in plates:
            continue
        asked += 1
        hits += skeletons[skeleton(plate)] > 0
    return hits / asked


def vin_repairs(count: int) -> Counter[str]:
    rng = random.Random(5)
    out: Counter[str] = Counter()
    for n in range(count):
        vin = make_vin(n + 10**6)
        spots = [i for i, g in enumerate(vin) if confusable_alternatives(g) and i != 8]
        i = rng.choice(spots)
        typed = vin[:i] + rng.choice(confusable_alternatives(vin[i])) + vin[i + 1 :]
        parsed = parse_vin(typed)
        if parsed.valid:
            out["exact" if parsed.match_key == vin else "other_valid"] += 1
        elif parsed.repaired == vin:
            out["right"] += 1
        elif parsed.repaired is None:
            out["ambiguous"] += 1
        else:
            out["wrong"] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=100_000)
    parser.add_argument("--inquiries", type=int, default=3000)
    parser.add_argument("--fleet", type=int, default=5_000_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        args.vehicles, args.inquiries, args.fleet = 3000, 150, 20_000
    objects = fleet(args.vehicles)
    mix = plate_mix(objects, args.inquiries)
    with open_store(False) as ours, open_store(True) as base:
        load([ours, base], objects)
        interleaved([ours, base], mix)
        with ours.platform.engine.connect() as conn:
            records = int(
                conn.execute(select(func.count()).select_from(records_table)).scalar_one()
            )
    c, b = ours.counts, base.counts
    ocr = max(1, c["ocr"])
    in_classes = max(1, c["ocr_in_classes"])
    national = national_false_possible(args.fleet, 2000 if not is_smoke() else 200)
    repairs = vin_repairs(2000 if not is_smoke() else 200)
    baseline = "exact keys only (the index before skeletons), same records and reads"
    metrics = {
        "objects_ocr_recall": metric(
            c["found_ocr"] / ocr, "ratio", b["found_ocr"] / ocr, baseline,
            reads=c["ocr"], within_classes_share=round(c["ocr_in_classes"] / ocr, 3),
        ),
        "objects_ocr_recall_within_classes": metric(
            c["found_ocr"] / in_classes, "ratio", b["found_ocr"] / in_classes, baseline,
        ),
        "objects_clean_read_recall": metric(
            c["found_clean"] / max(1, c["clean"]), "ratio",
            b["found_clean"] / max(1, b["clean"]), baseline,
        ),
        "objects_false_possible_rate": metric(
            c["wrong_possible_unknown"] / max(1, c["unknown"]), "ratio",
            b["wrong_possible_unknown"] / max(1, b["unknown"]), baseline,
            note="unknown plates answered with some other vehicle as a possible match",
            clean_reads_with_a_wrong_possible=round(
                c["wrong_possible_clean"] / max(1, c["clean"]), 4
            ),
            ocr_reads_with_a_wrong_possible=round(c["wrong_possible_ocr"] / ocr, 4),
        ),
        "objects_false_possible_rate_national": metric(
            national, "ratio", 0.0, "exact keys only (never a possible match)",
            fleet=args.fleet, note="in memory: skeleton shared with another plate of the fleet",
        ),
        "objects_inquiry_p50_ms": metric(
            percentile(ours.durable, 50), "ms", percentile(base.durable, 50), baseline
        ),
        "objects_inquiry_p99_ms": metric(
            percentile(ours.durable, 99), "ms", percentile(base.durable, 99), baseline
        ),
        "objects_inquiry_buffered_audit_p50_ms": metric(
            percentile(ours.buffered, 50), "ms", percentile(base.buffered, 50), baseline,
            p99=round(percentile(ours.buffered, 99), 3),
            baseline_p99=round(percentile(base.buffered, 99), 3),
        ),
        "objects_bulk_records_per_s": metric(ours.rate, "records/s", base.rate, baseline),
        "objects_keys_per_record": metric(
            ours.keys / records, "keys/record", base.keys / records, baseline
        ),
        "objects_vin_repair_right_ratio": metric(
            repairs["right"] / max(1, sum(repairs.values())), "ratio", None, None,
            wrong=repairs["wrong"], ambiguous=repairs["ambiguous"],
            read_back_exact=repairs["exact"], other_valid=repairs["other_valid"],
        ),
    }  # fmt: skip
    for entry in metrics.values():
        entry["records"] = records
    write_results("objects", metrics, records=records, inquiries=len(mix))


if __name__ == "__main__":
    main()
