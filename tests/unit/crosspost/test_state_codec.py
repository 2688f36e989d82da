"""Stored features and the theme state rebuilt from them equal what detection computed in memory."""

from __future__ import annotations

import numpy as np

from rkk.themes import (
    ThemeAnswer,
    ThemeState,
    featurize,
    from_record,
    remove_answers,
    restore_state,
    themes_of,
    to_record,
    update_with_features,
)
from rkk.themes.model import RecurrenceRule
from tests.unit.crosspost.examples import LOCAL, MAGDA, MAGDA_MORE, NOISE, PHISHING

RULE = RecurrenceRule()


def answers(rows: list[tuple[str, str, str, str]], start: int = 0) -> list[ThemeAnswer]:
    """ThemeAnswers with ids from `start`."""
    return [ThemeAnswer(f"a{start + i:03d}", r, b, t, w) for i, (r, b, w, t) in enumerate(rows)]


def test_features_survive_the_round_trip_through_their_stored_form() -> None:
    """Every field, the hashed bags and the vector come back as stored."""
    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    original = featurize(answers(MAGDA)[0], vector=vector)
    back = from_record(to_record(original))
    assert (back.id, back.rkk, back.bestuur, back.week, back.week_index, back.noise) == (
        original.id,
        original.rkk,
        original.bestuur,
        original.week,
        original.week_index,
        original.noise,
    )
    assert back.terms == original.terms and back.core == original.core and back.surface == original.surface
    assert np.array_equal(back.words.index, original.words.index)
    assert np.array_equal(back.chars.value, original.chars.value)
    assert back.vector is not None and np.array_equal(back.vector, vector)


def test_a_restored_state_continues_exactly_like_the_one_kept_in_memory() -> None:
    """Restore from stored features and keys, add a week: the same themes as never having stopped."""
    first = [featurize(a) for a in answers(MAGDA + PHISHING + LOCAL + NOISE)]
    later = [featurize(a) for a in answers(MAGDA_MORE, start=100)]
    kept = update_with_features(ThemeState(), first, rule=RULE)
    restored = restore_state([from_record(to_record(f)) for f in first], kept.assignment)
    assert restored.assignment == kept.assignment and restored.term_df == kept.term_df
    continued = themes_of(update_with_features(kept, later, rule=RULE), RULE)
    resumed = themes_of(update_with_features(restored, later, rule=RULE), RULE)
    assert [(t.key, t.label, t.answer_ids, t.recurring) for t in resumed] == [
        (t.key, t.label, t.answer_ids, t.recurring) for t in continued
    ]


def test_removed_answers_leave_their_theme_and_empty_themes_vanish() -> None:
    """remove_answers drops answers; a theme with none left is gone."""
    state = update_with_features(ThemeState(), [featurize(a) for a in answers(LOCAL)], rule=RULE)
    [theme] = themes_of(state, RULE)
    emptied = remove_answers(state, theme.answer_ids)
    assert themes_of(emptied, RULE) == [] and theme.key not in emptied.members
    assert themes_of(state, RULE) == [theme]  # the original state is untouched
