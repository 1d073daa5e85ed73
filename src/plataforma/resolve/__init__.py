"""Entity resolution of persons: one national identity for each person across records.

The public surface: prepare a `PersonMention` from a row (`prepare_mention`), resolve a
batch with `Resolver`, link records one at a time with `PersonIndex`, pass analysts'
`Judgement`s as data. See docs/resolve.md for how it decides.
"""

from .clustering import ClusterSettings
from .comparisons import COMPARISONS, Comparison
from .index import LinkResult, PersonIndex
from .judgements import Judgement, Verdict
from .mention import INPUT_FIELDS, PersonMention, prepare_mention
from .model import MatchModel, default_model
from .resolver import Resolution, Resolver, ResolveSettings
from .scorer import FieldWeight, PairScore, Scorer

__all__ = [
    "COMPARISONS",
    "INPUT_FIELDS",
    "ClusterSettings",
    "Comparison",
    "FieldWeight",
    "Judgement",
    "LinkResult",
    "MatchModel",
    "PairScore",
    "PersonIndex",
    "PersonMention",
    "Resolution",
    "ResolveSettings",
    "Resolver",
    "Scorer",
    "Verdict",
    "default_model",
    "prepare_mention",
]
