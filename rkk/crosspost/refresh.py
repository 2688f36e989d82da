"""Use case: bring the stored themes up to date with the answers that arrived since the last run.

Each answer is read (featurized and embedded) once, when it is first seen, and its
features are stored. A run restores the theme state from stored features and theme keys,
adds only what is new or edited, drops what was hidden, and writes back only what changed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rkk.crosspost.ports import PendingAnswer, ThemeChanges, ThemeRepository
from rkk.themes import (
    FEATURES_VERSION,
    AnswerFeatures,
    DetectionParams,
    Embedder,
    RecurrenceRule,
    Theme,
    ThemeState,
    featurize,
    from_record,
    remove_answers,
    restore_state,
    themes_of,
    to_record,
    update_with_features,
)

logger = logging.getLogger(__name__)

DEFAULT_PARAMS = DetectionParams()


@dataclass(frozen=True)
class Refreshed:
    """The themes after a run, the state behind them, and what the run did."""

    themes: Sequence[Theme]
    state: ThemeState
    added: int
    removed: int
    changed: frozenset[str]  # keys of themes whose answers changed


async def refresh_themes(
    repo: ThemeRepository,
    rule: RecurrenceRule,
    now: datetime,
    *,
    params: DetectionParams = DEFAULT_PARAMS,
    embedder: Embedder | None = None,
) -> Refreshed:
    """Featurize new answers, cluster only the weeks they fall in, and store the result."""
    clustered, unclustered = await repo.feature_records()
    before = await repo.theme_assignment()
    state = restore_state((from_record(r) for r in clustered), before)
    fresh = await _featurize_pending(repo, now, embedder)
    pending = {r.answer_id: from_record(r) for r in unclustered} | {f.id: f for f in fresh}
    removed = list(await repo.hidden_answer_ids())  # their features are not restored: they only leave
    for answer_id in removed:
        pending.pop(answer_id, None)
    state = remove_answers(state, removed)
    state = update_with_features(state, pending.values(), rule=rule, params=params)
    themes = themes_of(state, rule)
    changes = _changes(before, state.assignment, themes, pending, removed)
    await repo.save_changes(changes, now)
    logger.info(
        "themes refreshed: %d answers added, %d removed, %d themes changed, %d ended",
        len(pending),
        len(removed),
        len(changes.themes),
        len(changes.ended),
    )
    return Refreshed(themes, state, len(pending), len(removed), frozenset(t.key for t in changes.themes))


async def _featurize_pending(repo: ThemeRepository, now: datetime, embedder: Embedder | None) -> list[AnswerFeatures]:
    """Read each new or edited answer once and store what was read."""
    items: Sequence[PendingAnswer] = await repo.answers_to_featurize(FEATURES_VERSION)
    if not items:
        return []
    texts = [p.answer.text for p in items]
    # Embedding costs tens of milliseconds an answer: off the event loop, so the bot keeps answering.
    vectors = await asyncio.to_thread(embedder.embed, texts) if embedder is not None else None
    features = [
        featurize(p.answer, {p.question.id: p.question}, None if vectors is None else vectors[i])
        for i, p in enumerate(items)
    ]
    await repo.save_features([(to_record(f), p.updated_at) for f, p in zip(features, items, strict=True)], now)
    return features


def _changes(
    before: Mapping[str, str],
    after: Mapping[str, str],
    themes: Sequence[Theme],
    pending: Mapping[str, AnswerFeatures],
    removed: Sequence[str],
) -> ThemeChanges:
    """Only what differs from the stored assignment, so a quiet week writes little."""
    assigned = {a: k for a, k in after.items() if before.get(a) != k}
    unassigned = [a for a in before if a not in after]
    touched = set(assigned.values()) | {before[a] for a in (*assigned, *unassigned) if a in before}
    live = {t.key for t in themes}
    merged, ended = {}, []
    for gone in sorted(touched - live):
        survivors = sorted({after[a] for a, k in before.items() if k == gone and a in after})
        if survivors:
            merged[gone] = survivors[0]
        else:
            ended.append(gone)  # its answers were removed or left every theme
    return ThemeChanges(
        themes=[t for t in themes if t.key in touched],
        assigned=assigned,
        unassigned=unassigned,
        merged=merged,
        ended=ended,
        clustered=sorted(pending),
        removed=list(removed),
        labels={t.key: (t.label, t.description) for t in themes},
    )
