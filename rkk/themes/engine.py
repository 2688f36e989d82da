"""Incremental theme detection: each week clusters the answers of its sliding window.

The newest answers of the window (up to DetectionParams.max_pool) enter the clustering one by
one, whatever theme they held, so that a guess made on the first handful of answers is revised
once more answers arrive; themes keep their keys through that by overlap. Older answers of the
window enter whole, as one node per theme, and answers that have left the window keep their
theme, so history outside the window is never read again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rkk.themes.agglomerate import Node, agglomerate
from rkk.themes.model import AnswerFeatures, DetectionParams, RecurrenceRule
from rkk.themes.state import ThemeState
from rkk.themes.vectors import WeekRows, week_rows, window_vectors

logger = logging.getLogger(__name__)


def copy_state(state: ThemeState) -> ThemeState:
    """A copy that can be changed without touching the caller's state."""
    return ThemeState(
        features=dict(state.features),
        assignment=dict(state.assignment),
        by_week={week: list(ids) for week, ids in state.by_week.items()},
        members={key: list(ids) for key, ids in state.members.items()},
        theme_terms=dict(state.theme_terms),
        theme_held=dict(state.theme_held),
        term_df=dict(state.term_df),
        surface=dict(state.surface),
        topical_count=state.topical_count,
        week_rows=dict(state.week_rows),
    )


def add_features(
    state: ThemeState, features: Iterable[AnswerFeatures], rule: RecurrenceRule, params: DetectionParams
) -> None:
    """Add answers (in place) week by week, in a fixed order so the result ignores input order."""
    fresh = sorted(features, key=lambda f: (f.week_index, f.id))
    for feature in fresh:
        _remember(state, feature)
    for week in sorted({f.week_index for f in fresh if not f.noise}):
        _cluster_week(state, week, rule.window_weeks, params)


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
        _drop_theme(state, key)


def _remember(state: ThemeState, feature: AnswerFeatures) -> None:
    if feature.id in state.features:
        _forget(state, feature.id)  # an edited answer replaces its earlier text
    state.features[feature.id] = feature
    state.by_week.setdefault(feature.week_index, []).append(feature.id)
    state.week_rows.pop(feature.week_index, None)
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
    state.week_rows.pop(old.week_index, None)
    key = state.assignment.pop(answer_id, None)
    if key is not None:
        state.members[key] = [i for i in state.members[key] if i != answer_id]
        _add_terms(state, key, old.terms, dict.fromkeys(old.terms, 1), -1)
    if not old.noise:
        state.topical_count -= 1
        for term in old.terms:
            state.term_df[term] -= 1


def _add_terms(state: ThemeState, key: str, terms: Mapping[str, float], held: Mapping[str, int], sign: int) -> None:
    """Add (sign 1) or take away (-1) summed term weights and how many answers hold each term."""
    summed = dict(state.theme_terms.get(key, {}))
    for term, weight in terms.items():
        summed[term] = summed.get(term, 0.0) + sign * weight
    state.theme_terms[key] = summed
    counts = dict(state.theme_held.get(key, {}))
    for term, n in held.items():
        left = counts.get(term, 0) + sign * n
        if left:
            counts[term] = left
        else:
            counts.pop(term, None)
    state.theme_held[key] = counts


def _assign(state: ThemeState, key: str, members: Sequence[AnswerFeatures]) -> None:
    summed: dict[str, float] = {}
    held: Counter[str] = Counter()
    ids = state.members.setdefault(key, [])
    for feature in members:
        state.assignment[feature.id] = key
        ids.append(feature.id)
        held.update(feature.terms.keys())
        for term, weight in feature.terms.items():
            summed[term] = summed.get(term, 0.0) + weight
    _add_terms(state, key, summed, held, 1)


def _unassign(state: ThemeState, feature: AnswerFeatures) -> None:
    key = state.assignment.pop(feature.id)
    state.members[key].remove(feature.id)
    _add_terms(state, key, feature.terms, dict.fromkeys(feature.terms, 1), -1)


def _drop_theme(state: ThemeState, key: str) -> None:
    for answer_id in state.members.pop(key):
        del state.assignment[answer_id]
    state.theme_terms.pop(key, None)
    state.theme_held.pop(key, None)


def _merge(state: ThemeState, keep: str, gone: str) -> None:
    """Fold theme `gone` into `keep`, history included: one subject keeps one key."""
    moved = state.members.pop(gone)
    for answer_id in moved:
        state.assignment[answer_id] = keep
    state.members[keep].extend(moved)
    _add_terms(state, keep, state.theme_terms.pop(gone), state.theme_held.pop(gone, {}), 1)


def _week(state: ThemeState, week: int) -> WeekRows:
    """A week's stacked rows, built once and kept until an answer of that week changes."""
    rows = state.week_rows.get(week)
    if rows is None:
        ids = sorted(i for i in state.by_week.get(week, ()) if not state.features[i].noise)
        rows = week_rows([state.features[i] for i in ids])
        state.week_rows[week] = rows
    return rows


def _cluster_week(state: ThemeState, week: int, window_weeks: int, params: DetectionParams) -> None:
    weeks = [_week(state, w) for w in range(week - window_weeks + 1, week + 1) if state.by_week.get(w)]
    feats = [state.features[i] for rows in weeks for i in rows.ids]
    if len(feats) < 2:
        return
    pool = len(feats) - params.max_pool  # rows from here on are clustered one by one
    held: dict[str, list[int]] = {}
    for r in range(max(pool, 0)):
        key = state.assignment.get(feats[r].id)
        if key is not None:
            held.setdefault(key, []).append(r)
    loose = list(range(max(pool, 0), len(feats)))
    nodes = [Node(rows, Counter(w for r in rows for w in feats[r].core)) for _, rows in sorted(held.items())]
    nodes += [Node([r], Counter(feats[r].core)) for r in loose]
    groups = agglomerate(window_vectors(weeks, params), nodes, params.min_similarity, params.coherence_share)
    _settle(state, [[feats[r] for r in sorted(g.rows)] for g in groups], set(held), params)


def _settle(state: ThemeState, groups: list[list[AnswerFeatures]], held: set[str], params: DetectionParams) -> None:
    """Give each clustered group one theme key.

    A group holding themes that entered whole (answers beyond the pool) keeps the largest one's
    key; the others merge into it. Other groups are matched one-to-one with the keys their
    answers held before, largest overlap first, so a theme keeps its key while it is revised;
    an unmatched group of at least min_theme_size answers starts a new theme. A theme left with
    fewer answers than that ends.
    """
    touched: set[str] = set()
    open_groups: list[tuple[int, list[AnswerFeatures]]] = []
    for number, members in enumerate(groups):
        anchors = sorted(
            {key for f in members if (key := state.assignment.get(f.id)) in held},
            key=lambda key: (-len(state.members[key]), key),
        )
        if anchors:
            for gone in anchors[1:]:
                _merge(state, anchors[0], gone)
            _move(state, anchors[0], [f for f in members if state.assignment.get(f.id) != anchors[0]], touched)
        else:
            open_groups.append((number, members))
    overlaps = sorted(
        (-count, -len(state.members[key]), key, number)
        for number, members in open_groups
        for key, count in Counter(state.assignment[f.id] for f in members if f.id in state.assignment).items()
    )
    matched: dict[int, str] = {}
    for _, _, key, number in overlaps:
        if number not in matched and key not in matched.values():
            matched[number] = key
    for number, members in open_groups:
        key = matched.get(number)
        if key is None and len(members) >= params.min_theme_size:
            key = _new_key(state, members[0].id)
        if key is None:
            for f in members:
                if f.id in state.assignment:
                    touched.add(state.assignment[f.id])
                    _unassign(state, f)
        else:
            _move(state, key, [f for f in members if state.assignment.get(f.id) != key], touched)
    for key in sorted(touched):
        if key in state.members and len(state.members[key]) < params.min_theme_size:
            _drop_theme(state, key)


def _move(state: ThemeState, key: str, members: Sequence[AnswerFeatures], touched: set[str]) -> None:
    for f in members:
        if f.id in state.assignment:
            touched.add(state.assignment[f.id])
            _unassign(state, f)
    _assign(state, key, members)


def _new_key(state: ThemeState, founder: str) -> str:
    key, suffix = f"t-{founder}", 1
    while key in state.members:
        suffix += 1
        key = f"t-{founder}-{suffix}"
    return key
