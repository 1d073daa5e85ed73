"""Synthetic national data with ground truth, for demos, tests and benchmarks.

``generate(scale, seed)`` yields batches of every record type (agencies at three levels,
persons, vehicles, firearms, IPH incidents with annexes, detentions, warrants, protection
orders, seizures) shaped exactly as the record models accept, plus the ground truth: which
person mentions are the same person (``truth_person``) and the planted anomaly
(``truth_surge``). ``DatasetWriter`` writes them as files; ``load_dataset`` imports them.
"""

from plataforma.synth.files import DatasetWriter
from plataforma.synth.generate import TRUTH_PERSON, TRUTH_SURGE, generate
from plataforma.synth.load import LoadReport, load_dataset
from plataforma.synth.plan import RATIOS, RECORDS_PER_INCIDENT, Plan
from plataforma.synth.surge import surge_site


def expected_records(scale: int) -> int:
    """About how many records ``generate(scale, …)`` yields (for progress bars, benchmarks)."""
    return round(scale * RECORDS_PER_INCIDENT) + 300


__all__ = [
    "RATIOS",
    "RECORDS_PER_INCIDENT",
    "TRUTH_PERSON",
    "TRUTH_SURGE",
    "DatasetWriter",
    "LoadReport",
    "Plan",
    "expected_records",
    "generate",
    "load_dataset",
    "surge_site",
]
