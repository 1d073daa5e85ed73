"""Batch resolution executed by Splink 5, on DuckDB (one machine) or Spark (a cluster).

The same decisions as the built-in `Resolver`, run where one machine's memory is not enough:
our prepared mentions become a table (`splink_table`), our comparison levels SQL
(`splink_levels`), our trained model Splink's m and u (`splink_settings`). Then:

1. Splink blocks on our blocking keys and predicts every blocked pair;
2. the hard rules run as SQL on the predicted levels (`splink_rules`), so a pair that may
   never link (two valid CURPs, a sex or birth-date conflict, a pair with nothing that
   identifies) never reaches the clustering;
3. Splink's connected components cluster the remaining links at the threshold;
4. our anti-chaining guard re-clusters, on the driver, only the components with more than
   two members, the only ones where connected components can chain: their links strongest
   first, merging groups that agree as groups (`clustering.cluster_links`). Cross pairs
   Splink did not predict are scored by our Python scorer with the same model.

Output is a `Resolution` like the built-in engine's: ``record_id, person_id, match_score``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from .blocking import BlockIndex
from .clustering import cluster_links
from .frequencies import TermFrequencies
from .mention import PersonMention
from .model import MatchModel, default_model
from .resolver import Resolution, ResolveSettings
from .scorer import Scorer, cannot_link, probability_of
from .splink_rules import allowed_link_sql
from .splink_settings import splink_settings
from .splink_table import mention_table
from .training import train

__all__ = ["SplinkEngine", "SplinkResolver", "sample_model"]

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]

TRAINING_SAMPLE = 50_000


class SplinkEngine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


def sample_model(
    mentions: Sequence[PersonMention], settings: ResolveSettings, limit: int = TRAINING_SAMPLE
) -> MatchModel:
    """Our trainer on (a random sample of at most ``limit``) mentions.

    A sample holds fewer of each person's other records than the whole file, by the sample
    fraction: the trained match rate is scaled back up so the prior fits the whole file.
    """
    n = len(mentions)
    if n > limit:
        picked = np.sort(np.random.default_rng(0).choice(n, limit, replace=False))
        sample: Sequence[PersonMention] = [mentions[i] for i in picked.tolist()]
    else:
        sample = mentions
    index = BlockIndex(settings.max_block)
    index.extend(sample)
    base = default_model()
    model = train(sample, index.pairs(), base)
    if model is base or len(sample) == n:
        return model
    return model.with_probabilities(
        matches_per_record=model.matches_per_record * n / len(sample), sample=len(sample)
    )


def _noop(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class SplinkResolver:
    """Resolves a batch on Splink; ``model`` None trains ours on a sample first."""

    engine: SplinkEngine = SplinkEngine.DUCKDB
    model: MatchModel | None = None
    settings: ResolveSettings = field(default_factory=ResolveSettings)
    spark_master: str = "local[2]"
    work_dir: Path | None = None

    def resolve(self, mentions: Sequence[PersonMention], progress: Progress = _noop) -> Resolution:
        n = len(mentions)
        model = self.model or (
            sample_model(mentions, self.settings) if self.settings.train else default_model()
        )
        progress("trained", 1, 1)
        frequencies = TermFrequencies(mentions)
        scorer = Scorer(model, frequencies, n)
        if n < 2:
            return _resolution(mentions, list(range(n)), [0.0] * n, model, scorer)
        with tempfile.TemporaryDirectory(dir=self.work_dir, prefix="resolve-") as scratch:
            linker = self._linker(mentions, model, Path(scratch))
            progress("prepared", n, n)
            found = _predict_and_cluster(linker, self.settings.clustering.link_weight, n)
        progress("predicted", n, n)
        components, edges, weights, anywhere = found
        oldest = _guarded(mentions, components, edges, weights, scorer, self.settings)
        progress("clustered", n, n)
        scores = _scores(oldest, edges, weights, anywhere)
        return _resolution(mentions, oldest, scores, model, scorer, edges, weights)

    def _linker(self, mentions: Sequence[PersonMention], model: MatchModel, scratch: Path) -> Any:
        from splink import Linker

        table = mention_table(mentions, self.settings.max_block)
        settings = splink_settings(model, len(mentions))
        if self.engine is SplinkEngine.SPARK:
            from .spark_session import spark_api

            db_api = spark_api(self.spark_master, scratch)
        else:
            from splink import DuckDBAPI

            # A database file, not memory: DuckDB spills what does not fit to disk beside it.
            db_api = DuckDBAPI(connection=str(scratch / "splink.duckdb"))
        return Linker(db_api.register(table), settings, log_level=logging.WARNING)


Found = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _predict_and_cluster(linker: Any, link_weight: float, n: int) -> Found:
    """Splink's predictions, our hard rules in SQL, Splink's connected components.

    Returns each mention's component (as a position), the allowed links at or above the
    threshold with their weights, and each mention's strongest weight to anyone.
    """
    predictions = linker.inference.predict()
    edges_table = linker.misc.query_sql(
        "SELECT unique_id_l, unique_id_r, match_weight, match_probability"
        f" FROM {predictions.physical_name}"
        f" WHERE match_weight >= {link_weight!r} AND {allowed_link_sql()}",
        output_type="splink_df",
    )
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        edges_table, threshold_match_weight=link_weight
    )
    cluster_rows = linker.misc.query_sql(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name}", output_type="pandas"
    )
    components = np.arange(n)
    ids = cluster_rows["unique_id"].to_numpy(dtype=np.int64)
    # Splink names a cluster after one of its members' ids: the position of a member.
    components[ids] = cluster_rows["cluster_id"].astype("int64").to_numpy()
    edge_rows = edges_table.as_pandas_dataframe()
    edges = edge_rows[["unique_id_l", "unique_id_r"]].to_numpy(dtype=np.int64).reshape(-1, 2)
    weights = edge_rows["match_weight"].to_numpy(dtype=np.float64)
    best = linker.misc.query_sql(
        "SELECT id, max(match_weight) AS best FROM ("
        f" SELECT unique_id_l AS id, match_weight FROM {predictions.physical_name}"
        f" UNION ALL SELECT unique_id_r AS id, match_weight FROM {predictions.physical_name}"
        ") GROUP BY id",
        output_type="pandas",
    )
    anywhere = np.full(n, -np.inf)
    anywhere[best["id"].to_numpy(dtype=np.int64)] = best["best"].to_numpy(dtype=np.float64)
    return components, edges, weights, anywhere


def _guarded(
    mentions: Sequence[PersonMention],
    components: np.ndarray,
    edges: np.ndarray,
    weights: np.ndarray,
    scorer: Scorer,
    settings: ResolveSettings,
) -> list[int]:
    """Each mention's cluster as the position of its oldest member, after the guard."""
    orders = [m.order for m in mentions]
    sizes = np.bincount(components, minlength=len(mentions))
    chained = sizes[components[edges[:, 0]]] > 2 if len(edges) else np.zeros(0, bool)
    known = {
        (i, j): (w, False)
        for (i, j), w in zip(edges[chained].tolist(), weights[chained].tolist(), strict=True)
    }

    def weigh(i: int, j: int) -> tuple[float, bool]:
        key = (i, j) if i < j else (j, i)
        found = known.get(key)
        if found is None:
            weight, levels = scorer.weight(mentions[key[0]], mentions[key[1]])
            found = known[key] = (weight, cannot_link(levels))
        return found

    links = zip(
        weights[chained].tolist(),
        edges[chained, 0].tolist(),
        edges[chained, 1].tolist(),
        strict=True,
    )
    guarded = cluster_links(orders, links, weigh, settings=settings.clustering)
    oldest: dict[int, int] = {}
    for position, component in enumerate(components.tolist()):
        if sizes[component] <= 2:
            current = oldest.get(component)
            if current is None or orders[position] < orders[current]:
                oldest[component] = position
    return [guarded[p] if sizes[c] > 2 else oldest[c] for p, c in enumerate(components.tolist())]


def _scores(
    oldest: list[int], edges: np.ndarray, weights: np.ndarray, anywhere: np.ndarray
) -> list[float]:
    """As the built-in engine: the strongest link inside the cluster, else to anyone."""
    cluster = np.asarray(oldest)
    inside = np.full(len(oldest), -np.inf)
    if len(edges):
        same = cluster[edges[:, 0]] == cluster[edges[:, 1]]
        for side in (edges[:, 0], edges[:, 1]):
            np.maximum.at(inside, side[same], weights[same])
    sizes = np.bincount(cluster, minlength=len(oldest))
    best = np.where(sizes[cluster] > 1, inside, anywhere)
    return [0.0 if not np.isfinite(w) else round(probability_of(float(w)), 6) for w in best]


def _resolution(
    mentions: Sequence[PersonMention],
    oldest: list[int],
    scores: list[float],
    model: MatchModel,
    scorer: Scorer,
    edges: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> Resolution:
    return Resolution(
        mentions,
        [mentions[k].record_id for k in oldest],
        scores,
        model,
        edges if edges is not None else np.empty((0, 2), dtype=np.int64),
        weights if weights is not None else np.empty(0),
        scorer,
    )
