"""Adding a week to a stored state gives what a full recomputation gives."""

from __future__ import annotations

import pytest

from rkk.themes import RecurrenceRule, ThemeAnswer, ThemeState, detect_themes, themes_of, update_themes
from rkk.themes.crossval import LabelledSet
from rkk.themes.model import FloatArray


@pytest.mark.parametrize("key", ["dev", "dev2"])
@pytest.mark.parametrize("embedded", [False, True], ids=["lexical", "embedded"])
def test_week_by_week_equals_full_recompute(labelled_sets: dict[str, LabelledSet], key: str, embedded: bool) -> None:
    """Feeding a dev set one week at a time, questions included, ends in the same themes as one full run."""
    data, rule = labelled_sets[key], RecurrenceRule()
    vectors = data.vectors if embedded else None
    state = ThemeState()
    for week in sorted({a.week for a in data.answers}):
        batch = [a for a in data.answers if a.week == week]
        state = update_themes(state, batch, rule=rule, questions=data.questions, vectors=vectors)
    assert themes_of(state, rule) == detect_themes(data.answers, rule=rule, questions=data.questions, vectors=vectors)


def test_update_leaves_the_previous_state_untouched(dev_answers: list[ThemeAnswer]) -> None:
    """update_themes returns a new state; the caller's state is not changed."""
    first = update_themes(ThemeState(), [a for a in dev_answers if a.week == "2026-W10"])
    before = dict(first.assignment)
    update_themes(first, [a for a in dev_answers if a.week == "2026-W11"])
    assert first.assignment == before


def test_an_early_guess_is_revised_and_themes_keep_their_keys(
    dev_answers: list[ThemeAnswer], dev_vectors: dict[str, FloatArray]
) -> None:
    """Week 10 pairs the library-and-seniors answer with a wifi answer (both name the library);
    by week 13 the wifi answer sits with the other wifi answers, while MAGDA kept the key it got in week 10."""
    rule = RecurrenceRule()
    state = ThemeState()
    keys = []
    for week in sorted({a.week for a in dev_answers}):
        state = update_themes(state, [a for a in dev_answers if a.week == week], rule=rule, vectors=dev_vectors)
        keys.append(state.assignment.get("d001"))
    first = update_themes(ThemeState(), [a for a in dev_answers if a.week == "2026-W10"], vectors=dev_vectors)
    assert first.assignment["d018"] == first.assignment["d024"]
    assert state.assignment["d024"] == state.assignment["d025"] != state.assignment["d018"]
    assert len(set(keys)) == 1 and keys[0] is not None
