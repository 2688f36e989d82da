"""The rode-draad rule: 5 besturen, 2 RKKs, within 8 weeks."""

from __future__ import annotations

from rkk.themes import RecurrenceRule
from rkk.themes.rule import is_recurring

RULE = RecurrenceRule()


def test_four_besturen_are_not_recurring() -> None:
    """Four besturen in several RKKs fall short of five."""
    members = [(1, "a", "B1"), (1, "b", "B2"), (2, "a", "B3"), (2, "b", "B4")]
    assert not is_recurring(members, RULE)


def test_five_besturen_in_one_rkk_are_not_recurring() -> None:
    """Five besturen of one knowledge circle are a local theme, not a rode draad."""
    members = [(1, "a", f"B{i}") for i in range(5)]
    assert not is_recurring(members, RULE)


def test_five_besturen_in_two_rkks_are_recurring() -> None:
    """Five besturen spread over two RKKs meet the rule."""
    members = [(1, "a", "B0"), (1, "a", "B1"), (2, "a", "B2"), (2, "b", "B3"), (3, "b", "B4")]
    assert is_recurring(members, RULE)


def test_answers_outside_the_window_do_not_count() -> None:
    """Answers eight or more weeks apart never share a window."""
    members = [(1, "a", "B0"), (1, "a", "B1"), (2, "a", "B2"), (9, "b", "B3"), (9, "b", "B4")]
    assert not is_recurring(members, RULE)


def test_answers_in_the_last_week_of_the_window_count() -> None:
    """Weeks 1 and 8 are in one window of eight weeks."""
    members = [(1, "a", "B0"), (1, "a", "B1"), (2, "a", "B2"), (8, "b", "B3"), (8, "b", "B4")]
    assert is_recurring(members, RULE)


def test_one_bestuur_answering_twice_counts_once() -> None:
    """Besturen are counted distinct, not answers."""
    members = [(1, "a", "B0"), (1, "a", "B0"), (2, "b", "B1"), (2, "b", "B2"), (3, "b", "B3")]
    assert not is_recurring(members, RULE)


def test_thresholds_are_configurable() -> None:
    """A rule of 3 besturen in 2 RKKs over 2 weeks is applied as given."""
    members = [(1, "a", "B0"), (2, "b", "B1"), (2, "b", "B2")]
    assert is_recurring(members, RecurrenceRule(min_besturen=3, min_rkks=2, window_weeks=2))
