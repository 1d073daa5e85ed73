"""Clustering: strongest links first, groups must agree, no transitive chaining."""

from __future__ import annotations

from plataforma.resolve.clustering import ClusterSettings, cluster_links

# A father (0), an undated record of his name (1), his son (2): 0-1 and 1-2 look alike,
# 0-2 contradict each other strongly.
WEIGHTS = {(0, 1): 12.0, (1, 2): 11.0, (0, 2): -20.0}


def _weigh(i: int, j: int) -> tuple[float, bool]:
    return WEIGHTS.get((min(i, j), max(i, j)), -5.0), False


def test_a_chain_does_not_merge_people_who_contradict() -> None:
    links = [(12.0, 0, 1), (11.0, 1, 2)]
    clusters = cluster_links([0, 1, 2], links, _weigh)
    assert clusters[2] != clusters[0]
    # The undated record links to both almost equally: ambiguous, so it stays alone.
    assert clusters[1] not in (clusters[0], clusters[2])


def test_a_clear_winner_takes_the_bridging_record() -> None:
    clusters = cluster_links([0, 1, 2], [(20.0, 0, 1), (11.0, 1, 2)], _weigh)
    assert clusters[0] == clusters[1] != clusters[2]


def test_plain_connected_components_would_have_chained() -> None:
    lenient = ClusterSettings(veto_weight=-100.0, mean_weight=-100.0)
    clusters = cluster_links([0, 1, 2], [(12.0, 0, 1), (11.0, 1, 2)], _weigh, settings=lenient)
    assert len(set(clusters)) == 1


def test_hard_conflicts_are_never_merged() -> None:
    def conflicting(i: int, j: int) -> tuple[float, bool]:
        return 15.0, {i, j} == {0, 2}

    clusters = cluster_links([0, 1, 2], [(15.0, 0, 1), (15.0, 1, 2)], conflicting)
    assert clusters[0] != clusters[2]


def test_judgements() -> None:
    not_same = cluster_links([0, 1], [(30.0, 0, 1)], lambda i, j: (30.0, False), not_same=[(0, 1)])
    assert not_same[0] != not_same[1]
    same = cluster_links([0, 1], [], lambda i, j: (-30.0, False), same=[(1, 0)])
    assert same[0] == same[1]


def test_weak_links_do_not_merge_and_cluster_is_named_by_its_oldest_member() -> None:
    clusters = cluster_links([5, 3, 9], [(2.0, 0, 1), (20.0, 1, 2)], lambda i, j: (20.0, False))
    assert clusters == [0, 1, 1]  # 0 stays alone (weight 2 is below 0.9); 1 is older than 2
