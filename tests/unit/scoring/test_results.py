"""The numbers of a scoring round: aggregation, ranking, tie-breaking and the top-3 rule, in tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rkk.scoring import ScoreSet, Topic, aggregate

AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)


def topic(topic_id: int, label: str, local: bool = True) -> Topic:
    """A stored topic with lokale impact unless told otherwise."""
    return Topic(label, "", None, 0, 0, local, topic_id, topic_id)


def sets(rows: list[dict[int, int | None]]) -> list[ScoreSet]:
    """One score set per row (bestuur i), topic id -> score."""
    return [ScoreSet(1, f"Bestuur {i}", "kempen", f"Lid {i}", AT, row) for i, row in enumerate(rows)]


A, B, C, D, E = (topic(1, "Archivering"), topic(2, "Back-ups"), topic(3, "Cloud"), topic(4, "DPO"), topic(5, "E-loket"))


def test_a_topic_counts_its_scorers_mean_median_and_share_high() -> None:
    """Scores 8, 9, 7, 3 and one empty: 4 scored, mean 6.75, median 7.5, 3 of 5 besturen high."""
    results = aggregate([A], sets([{1: 8}, {1: 9}, {1: 7}, {1: 3}, {1: None}]), 0.6)
    [a] = results.topics
    assert (a.scored, a.low, a.middle, a.high) == (4, 1, 0, 3)
    assert (a.mean, a.median, a.share_high) == (6.75, 7.5, 0.6)
    assert results.participants == 5


@pytest.mark.parametrize(
    ("scores", "low", "middle", "high"),
    [
        ([0, 4], 2, 0, 0),
        ([5, 6], 0, 2, 0),
        ([7, 10], 0, 0, 2),
        ([4, 5, 6, 7], 1, 2, 1),
    ],
)
def test_scores_fall_in_low_middle_and_high(scores: list[int], low: int, middle: int, high: int) -> None:
    """Laag is 0-4, midden 5-6, hoog 7-10."""
    [a] = aggregate([A], sets([{1: s} for s in scores]), 0.6).topics
    assert (a.low, a.middle, a.high) == (low, middle, high)


@pytest.mark.parametrize(
    ("high", "participants", "threshold", "qualifies"),
    [
        (3, 5, 0.6, True),  # exactly 0.6: reaches it (no float rounding)
        (2, 5, 0.6, False),
        (2, 3, 0.6, True),
        (5, 9, 0.6, False),
        (1, 1, 0.6, True),
        (7, 10, 0.7, True),
        (6, 10, 0.7, False),
    ],
)
def test_the_threshold_is_reached_exactly(high: int, participants: int, threshold: float, qualifies: bool) -> None:
    """A topic qualifies when high / participating besturen is at least the threshold."""
    rows = [{1: 9} if i < high else {1: 2} for i in range(participants)]
    assert aggregate([A], sets(rows), threshold).topics[0].qualifies is qualifies


def test_an_empty_topic_is_not_high_for_the_share() -> None:
    """Two of five besturen left the topic empty: 3 high of 5 taking part, not 3 of 3."""
    [a] = aggregate([A], sets([{1: 9}, {1: 9}, {1: 9}, {1: None}, {1: None}]), 0.61).topics
    assert (a.scored, a.share_high, a.qualifies) == (3, 0.6, False)


@pytest.mark.parametrize(
    ("rows", "order"),
    [
        # share hoog first
        ([{1: 7, 2: 9}, {1: 7, 2: 2}], ["Archivering", "Back-ups"]),
        # same share: the mean decides
        ([{1: 7, 2: 10}, {1: 1, 2: 1}], ["Back-ups", "Archivering"]),
        # same share and mean: more besturen first
        ([{1: 8, 2: 10}, {1: None, 2: 6}], ["Back-ups", "Archivering"]),
        # everything equal: alphabetical
        ([{2: 5, 1: 5}], ["Archivering", "Back-ups"]),
        # nobody scored one topic: it comes last even with a share of 0 for both
        ([{2: 0, 1: None}], ["Back-ups", "Archivering"]),
    ],
)
def test_ranking_by_share_then_mean_then_besturen_then_label(
    rows: list[dict[int, int | None]], order: list[str]
) -> None:
    """The order is share hoog, mean, number of besturen, then the label: the same every time."""
    ranked = aggregate([A, B], sets(rows), 0.6).topics
    assert [r.topic.label for r in ranked] == order
    assert [r.rank for r in ranked] == [1, 2]


def test_equal_labels_fall_back_to_the_topic_id() -> None:
    """Two topics with the same numbers and label keep their id order, whatever order they come in."""
    first, second = topic(8, "Cloud"), topic(3, "cloud")
    ranked = aggregate([first, second], sets([{8: 5, 3: 5}]), 0.6).topics
    assert [r.topic.id for r in ranked] == [3, 8]


@pytest.mark.parametrize(
    ("rows", "top"),
    [
        # four qualify: the first three in ranking order
        ([{1: 10, 2: 9, 3: 8, 4: 7, 5: 1}] * 3, ["Archivering", "Back-ups", "Cloud"]),
        # only one reaches 60% hoog: one, not filled up
        ([{1: 9, 2: 9}, {1: 9, 2: 1}, {1: 9, 2: 1}], ["Archivering"]),
        # none reaches it
        ([{1: 9, 2: 9}, {1: 1, 2: 1}, {1: 1, 2: 1}], []),
        # every bestuur scored 0 everywhere
        ([{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}] * 4, []),
        # nobody took part
        ([], []),
    ],
)
def test_the_top_three_are_the_first_qualifying_topics(rows: list[dict[int, int | None]], top: list[str]) -> None:
    """At most three topics, only those reaching the threshold, never filled up."""
    results = aggregate([A, B, C, D, E], sets(rows), 0.6)
    assert [r.topic.label for r in results.top] == top


def test_a_topic_without_lokale_impact_is_skipped_for_the_top() -> None:
    """The highest topic has no local impact: the next qualifying ones take its place, it keeps rank 1."""
    regional = topic(1, "Archivering", local=False)
    results = aggregate([regional, B, C], sets([{1: 10, 2: 9, 3: 8}] * 2), 0.6)
    assert [r.topic.label for r in results.top] == ["Back-ups", "Cloud"]
    assert results.topics[0].topic is regional and not results.topics[0].qualifies


def test_all_zero_scores_give_means_of_zero_and_no_top() -> None:
    """Every bestuur scored 0: each topic has 3 scorers, mean and median 0, share 0."""
    results = aggregate([A, B], sets([{1: 0, 2: 0}] * 3), 0.6)
    assert [(r.scored, r.mean, r.median, r.share_high) for r in results.topics] == [(3, 0.0, 0.0, 0.0)] * 2
    assert results.top == ()


def test_no_participants_give_no_numbers() -> None:
    """Without score sets, topics have no mean or median and rank alphabetically."""
    results = aggregate([B, A], [], 0.6)
    assert [(r.topic.label, r.scored, r.mean, r.median) for r in results.topics] == [
        ("Archivering", 0, None, None),
        ("Back-ups", 0, None, None),
    ]


def test_a_score_for_a_topic_outside_the_round_is_ignored() -> None:
    """Only the round's own topics are counted."""
    [a] = aggregate([A], sets([{1: 8, 99: 10}]), 0.6).topics
    assert (a.scored, a.high) == (1, 1)
