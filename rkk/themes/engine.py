"""Incremental theme detection: each week clusters the answers of its sliding window.

Themes enter a week's clustering as one node each (their answers in the window), answers
without a theme as one node each. Average linkage then lets answers join or form themes and
lets two themes merge; an answer never leaves its theme, so identities carry from week to
week and history outside the window is never read again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rkk.themes.agglomerate import Node, agglomerate
from rkk.themes.model import AnswerFeatures, DetectionParams, ThemeState
from rkk.themes.vectors import window_matrix

logger = logging.getLogger(__name__)


def copy_state(state: ThemeState) -> ThemeState:
    """A copy that can be changed without touching the caller's state."""
    return ThemeState(
        features=dict(state.features),
        assignment=dict(state.assignment),
        by_week={week: list(ids) for week, ids in state.by_week.items()},
        members={key: list(ids) for key, ids in state.members.items()},
        theme_terms=dict(state.theme_terms),
        term_df=dict(state.term_df),
        surface=dict(state.surface),
        topical_count=state.topical_count,
    )


def add_features(
    state: ThemeState, features: Iterable[AnswerFeatures], window_weeks: int, params: DetectionParams
) -> None:
    """Add answers (in place) week by week, in a fixed order so the result ignores input order."""
    fresh = sorted(features, key=lambda f: (f.week_index, f.id))
    for feature in fresh:
        _remember(state, feature)
    for week in sorted({f.week_index for f in fresh if not f.noise}):
        _cluster_week(state, week, window_weeks, params)


def restore_state(features: Iterable[AnswerFeatures], assignment: Mapping[str, str]) -> ThemeState:
    """The state that stored features and their stored theme keys describe, without clustering."""
    state = ThemeState()
    ordered = sorted(features, key=lambda f: (f.week_index, f.id))
    for feature in ordered:
        _remember(state, feature)
    groups: dict[str, list[AnswerFeatures]] = {}
    for feature in ordered:
        key = assignment.get(feature.id)
        if key is not None and not feature.noise:
            groups.setdefault(key, []).append(feature)
    for key in sorted(groups):
        _assign(state, key, groups[key])
    return state


def forget_answers(state: ThemeState, answer_ids: Iterable[str]) -> None:
    """Drop answers (in place) that were deleted or hidden; their themes keep the other answers."""
    for answer_id in answer_ids:
        if answer_id in state.features:
            _forget(state, answer_id)
    for key in [k for k, ids in state.members.items() if not ids]:
        del state.members[key]
        state.theme_terms.pop(key, None)


def _remember(state: ThemeState, feature: AnswerFeatures) -> None:
    if feature.id in state.features:
        _forget(state, feature.id)  # an edited answer replaces its earlier text
    state.features[feature.id] = feature
    state.by_week.setdefault(feature.week_index, []).append(feature.id)
    if feature.noise:
        return
    state.topical_count += 1
    for term in feature.terms:
        state.term_df[term] = state.term_df.get(term, 0) + 1
    for lemma, spelling in feature.surface.items():
        state.surface.setdefault(lemma, spelling)


def _forget(state: ThemeState, answer_id: str) -> None:
    old = state.features.pop(answer_id)
    state.by_week[old.week_index].remove(answer_id)
    key = state.assignment.pop(answer_id, None)
    if key is not None:
        state.members[key] = [i for i in state.members[key] if i != answer_id]
        _add_terms(state, key, old.terms, -1.0)
    if not old.noise:
        state.topical_count -= 1
        for term in old.terms:
            state.term_df[term] -= 1


def _add_terms(state: ThemeState, key: str, terms: dict[str, float], sign: float) -> None:
    summed = dict(state.theme_terms.get(key, {}))
    for term, weight in terms.items():
        summed[term] = summed.get(term, 0.0) + sign * weight
    state.theme_terms[key] = summed


def _assign(state: ThemeState, key: str, members: Sequence[AnswerFeatures]) -> None:
    summed = dict(state.theme_terms.get(key, {}))
    ids = state.members.setdefault(key, [])
    for feature in members:
        state.assignment[feature.id] = key
        ids.append(feature.id)
        for term, weight in feature.terms.items():
            summed[term] = summed.get(term, 0.0) + weight
    state.theme_terms[key] = summed


def _merge(state: ThemeState, keep: str, gone: str) -> None:
    """Fold theme `gone` into `keep`, history included: one subject keeps one key."""
    moved = state.members.pop(gone)
    for answer_id in moved:
        state.assignment[answer_id] = keep
    state.members[keep].extend(moved)
    _add_terms(state, keep, state.theme_terms.pop(gone), 1.0)


def _window(state: ThemeState, week: int, window_weeks: int) -> list[AnswerFeatures]:
    ids = (i for w in range(week - window_weeks + 1, week + 1) for i in state.by_week.get(w, ()))
    feats = [state.features[i] for i in ids]
    return sorted((f for f in feats if not f.noise), key=lambda f: (f.week_index, f.id))


def _cluster_week(state: ThemeState, week: int, window_weeks: int, params: DetectionParams) -> None:
    feats = _window(state, week, window_weeks)
    themed: dict[str, list[int]] = {}
    loose: list[int] = []
    for r, f in enumerate(feats):
        key = state.assignment.get(f.id)
        if key is None:
            loose.append(r)
        else:
            themed.setdefault(key, []).append(r)
    loose = loose[-params.max_pool :]
    if len(loose) + len(themed) < 2:
        return
    nodes = [Node(rows, Counter(w for r in rows for w in feats[r].core)) for _, rows in sorted(themed.items())]
    nodes += [Node([r], Counter(feats[r].core)) for r in loose]
    matrix = window_matrix(feats, params)
    for node in agglomerate(matrix, nodes, params.min_similarity, params.coherence_share):
        _settle(state, [feats[r] for r in sorted(node.rows)], params)


def _settle(state: ThemeState, members: list[AnswerFeatures], params: DetectionParams) -> None:
    """Give a merged group one theme key: the theme with most answers in it, or a new one."""
    counts = Counter(state.assignment[f.id] for f in members if f.id in state.assignment)
    if not counts:
        if len(members) >= params.min_theme_size:
            _assign(state, f"t-{members[0].id}", members)
        return
    ranked = sorted(counts, key=lambda key: (-len(state.members[key]), key))
    keep = ranked[0]
    for gone in ranked[1:]:
        _merge(state, keep, gone)
    _assign(state, keep, [f for f in members if f.id not in state.assignment])
