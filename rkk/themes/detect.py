"""The public use cases: detect themes in answers, add a week to a stored state, list themes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from rkk.themes.describe import describe, readings, representatives
from rkk.themes.engine import add_features, copy_state, forget_answers
from rkk.themes.features import featurize, week_index
from rkk.themes.labels import label_terms, make_label, ranked_terms, top_terms
from rkk.themes.model import (
    AnswerFeatures,
    DetectionParams,
    FloatArray,
    RecurrenceRule,
    Theme,
    ThemeAnswer,
    ThemeQuestion,
)
from rkk.themes.rule import is_recurring
from rkk.themes.state import ThemeState

logger = logging.getLogger(__name__)

DEFAULT_RULE = RecurrenceRule()
DEFAULT_PARAMS = DetectionParams()


def update_themes(
    state: ThemeState,
    answers: Iterable[ThemeAnswer],
    *,
    rule: RecurrenceRule = DEFAULT_RULE,
    params: DetectionParams = DEFAULT_PARAMS,
    questions: Mapping[str, ThemeQuestion] | None = None,
    vectors: Mapping[str, FloatArray] | None = None,
) -> ThemeState:
    """A new state with the answers added; only the weeks they fall in are clustered again."""
    features = [featurize(a, questions, (vectors or {}).get(a.id)) for a in answers]
    return update_with_features(state, features, rule=rule, params=params)


def update_with_features(
    state: ThemeState,
    features: Iterable[AnswerFeatures],
    *,
    rule: RecurrenceRule = DEFAULT_RULE,
    params: DetectionParams = DEFAULT_PARAMS,
) -> ThemeState:
    """Like update_themes, for answers whose features were stored when they arrived."""
    new = copy_state(state)
    add_features(new, features, rule, params)
    return new


def remove_answers(state: ThemeState, answer_ids: Iterable[str]) -> ThemeState:
    """A new state without these answers (deleted or hidden since they were added)."""
    new = copy_state(state)
    forget_answers(new, answer_ids)
    return new


def detect_themes(
    answers: Iterable[ThemeAnswer],
    *,
    rule: RecurrenceRule = DEFAULT_RULE,
    params: DetectionParams = DEFAULT_PARAMS,
    questions: Mapping[str, ThemeQuestion] | None = None,
    vectors: Mapping[str, FloatArray] | None = None,
) -> list[Theme]:
    """All themes in a set of answers, computed from scratch."""
    state = update_themes(ThemeState(), answers, rule=rule, params=params, questions=questions, vectors=vectors)
    return themes_of(state, rule)


def themes_of(state: ThemeState, rule: RecurrenceRule, *, since_week: str | None = None) -> list[Theme]:
    """The themes of a state, oldest first; with since_week, only those with answers since then."""
    if since_week is None:
        keys: Iterable[str] = state.members
    else:
        since = week_index(since_week)
        recent = (i for week, ids in state.by_week.items() if week >= since for i in ids)
        keys = {state.assignment[i] for i in recent if i in state.assignment}
    themes = [
        _theme(state, key, [state.features[i] for i in state.members[key]], rule)
        for key in keys
        if state.members.get(key)
    ]
    return sorted(themes, key=lambda t: (t.first_week, t.key))


def _theme(state: ThemeState, key: str, group: list[AnswerFeatures], rule: RecurrenceRule) -> Theme:
    group = sorted(group, key=lambda f: (f.week_index, f.id))
    ranked = ranked_terms(state.theme_terms.get(key, {}), state.term_df, state.topical_count)
    typical = representatives(group, ranked)
    read = readings(typical)
    held = state.theme_held.get(key, {})
    head = label_terms(held, len(group), state.term_df, state.topical_count)
    return Theme(
        key=key,
        label=make_label(head, held, len(group), read, state.surface),
        terms=top_terms(ranked, state.surface),
        answer_ids=tuple(f.id for f in group),
        rkks=tuple(sorted({f.rkk for f in group})),
        besturen=tuple(sorted({f.bestuur for f in group})),
        first_week=group[0].week,
        last_week=group[-1].week,
        recurring=is_recurring(((f.week_index, f.rkk, f.bestuur) for f in group), rule),
        description=describe(group, list(zip(typical, read, strict=True)), ranked),
    )
