"""Adding a week to a stored state gives what a full recomputation gives."""

from __future__ import annotations

from rkk.themes import RecurrenceRule, ThemeAnswer, ThemeState, detect_themes, themes_of, update_themes


def test_week_by_week_equals_full_recompute(dev_answers: list[ThemeAnswer]) -> None:
    """Feeding the dev set one week at a time ends in the same themes as one full run."""
    rule = RecurrenceRule()
    state = ThemeState()
    for week in sorted({a.week for a in dev_answers}):
        state = update_themes(state, [a for a in dev_answers if a.week == week], rule=rule)
    assert themes_of(state, rule) == detect_themes(dev_answers, rule=rule)


def test_update_leaves_the_previous_state_untouched(dev_answers: list[ThemeAnswer]) -> None:
    """update_themes returns a new state; the caller's state is not changed."""
    first = update_themes(ThemeState(), [a for a in dev_answers if a.week == "2026-W10"])
    before = dict(first.assignment)
    update_themes(first, [a for a in dev_answers if a.week == "2026-W11"])
    assert first.assignment == before
