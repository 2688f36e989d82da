"""The scoring round's small rules: which themes can be scored, topics, scores from a card, deadlines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rkk.crosspost import Spread, StoredTheme, ThemeStatus
from rkk.scoring import (
    ForeignScoringAction,
    InvalidScores,
    InvalidSetup,
    ScoringRound,
    ScoringSettings,
    ScoringState,
    Topic,
    default_deadline,
    manual_topic,
    parse_deadline,
    parse_scores,
    rode_draden,
    topic_from_theme,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Brussels


def stored(
    key: str, besturen: int, status: ThemeStatus = ThemeStatus.CROSSPOSTED, recurring: bool = True
) -> StoredTheme:
    """A stored theme reaching `besturen` besturen in two RKKs."""
    spread = Spread.of(["a", "b"], [f"B{i}" for i in range(besturen)])
    return StoredTheme(key, f"Thema {key}", (), spread, "2026-W40", "2026-W47", recurring, status, None)


def test_only_live_rode_draden_can_be_scored_widest_first() -> None:
    """Dismissed, merged and non-recurring themes are left out; more besturen come first."""
    themes = [
        stored("small", 5),
        stored("wide", 9),
        stored("planned", 6, ThemeStatus.PLANNED),
        stored("new", 7, ThemeStatus.ACTIVE),
        stored("no", 8, ThemeStatus.DISMISSED),
        stored("merged", 8, ThemeStatus.MERGED),
        stored("local", 1, recurring=False),
    ]
    assert [t.key for t in rode_draden(themes)] == ["wide", "new", "planned", "small"]


def test_a_topic_from_a_theme_snapshots_its_label_and_spread() -> None:
    """Label, besturen and RKKs as they are now; no description yet; lokale impact as chosen."""
    topic = topic_from_theme(stored("magda", 6), local_impact=False)
    assert (topic.label, topic.description, topic.theme_key, topic.besturen, topic.rkks, topic.local_impact) == (
        "Thema magda",
        "",
        "magda",
        6,
        2,
        False,
    )


@pytest.mark.parametrize(
    ("label", "description", "reason"),
    [
        ("", "Uitleg", "label_missing"),
        ("   ", "", "label_missing"),
        ("x" * 121, "", "label_too_long"),
        ("Ok", "y" * 301, "description_too_long"),
    ],
)
def test_a_manual_topic_needs_a_label_and_short_texts(label: str, description: str, reason: str) -> None:
    """A hand-made topic is refused with the reason."""
    with pytest.raises(InvalidSetup) as refused:
        manual_topic(label, description)
    assert refused.value.params["reason"] == reason


def test_a_manual_topic_is_put_on_one_line() -> None:
    """Line breaks and runs of spaces collapse."""
    assert manual_topic(" Cloud \n contracten ", "Eén\nzin.").label == "Cloud contracten"


ROUND = ScoringRound(
    1,
    ScoringState.OPEN,
    NOW,
    0.6,
    False,
    ("kempen",),
    "Griet",
    NOW,
    None,
    (Topic("A", "", None, 0, 0, True, 5, 1), Topic("B", "", None, 0, 0, True, 6, 2)),
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"s5": "8", "s6": "0"}, {5: 8, 6: 0}),
        ({"s5": "10", "s6": "-"}, {5: 10, 6: None}),
        ({"s5": " 7 ", "s6": ""}, {5: 7, 6: None}),
        ({"s5": 3}, {5: 3, 6: None}),
        ({"s5": "4", "other": "x"}, {5: 4, 6: None}),
    ],
)
def test_scores_are_read_from_the_card(values: dict[str, object], expected: dict[int, int | None]) -> None:
    """Strings or numbers 0-10; "-" or empty is "not scored"; other inputs are ignored."""
    assert parse_scores(ROUND, values) == expected


@pytest.mark.parametrize("bad", ["11", "-1", "7.5", "acht", "08x", True, 3.0, 12, [1]])
def test_a_score_outside_0_to_10_is_refused(bad: object) -> None:
    """Anything but a whole number from 0 to 10 is refused, naming the topic."""
    with pytest.raises(InvalidScores) as refused:
        parse_scores(ROUND, {"s5": "5", "s6": bad})
    assert refused.value.params == {"reason": "range", "topic": "B"}


def test_no_score_at_all_is_refused() -> None:
    """An empty card stores nothing."""
    with pytest.raises(InvalidScores):
        parse_scores(ROUND, {"s5": "-", "s6": ""})


def test_a_topic_of_another_round_is_forged_data() -> None:
    """An input naming a topic the round does not have is refused as foreign."""
    with pytest.raises(ForeignScoringAction):
        parse_scores(ROUND, {"s5": "5", "s7": "9"})


def test_the_default_deadline_is_two_weeks_at_17_brussels_time() -> None:
    """Monday 23 November: Monday 7 December 17:00 in Brussels."""
    assert default_deadline(NOW, ScoringSettings()).isoformat() == "2026-12-07T17:00:00+01:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 december", "2026-12-15T17:00:00+01:00"),
        ("15/12 9:30", "2026-12-15T09:30:00+01:00"),
        ("2027-01-04 12u", "2027-01-04T12:00:00+01:00"),
        ("volgende week", "2026-11-30T17:00:00+01:00"),
        ("15/12 17.45", "2026-12-15T17:45:00+01:00"),
    ],
)
def test_a_typed_deadline_is_read_in_brussels_time(text: str, expected: str) -> None:
    """A date with an optional time; without a time, 17:00."""
    assert parse_deadline(text, NOW, ScoringSettings()).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("ergens", "deadline_unreadable"), ("1/1/2020", "deadline_past"), ("15/12 25:00", "deadline_unreadable")],
)
def test_an_unreadable_or_past_deadline_is_refused(text: str, reason: str) -> None:
    """Refused with the reason the coordinator reads."""
    with pytest.raises(InvalidSetup) as refused:
        parse_deadline(text, NOW, ScoringSettings())
    assert refused.value.params["reason"] == reason
