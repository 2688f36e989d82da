"""Quality on labelled sets, and leave-one-set-out: constants chosen on one set, measured on another."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rkk.themes.detect import themes_of, update_with_features
from rkk.themes.evaluate import Quality, evaluate, labels_agree, matched_names
from rkk.themes.features import featurize
from rkk.themes.model import (
    AnswerFeatures,
    DetectionParams,
    FloatArray,
    RecurrenceRule,
    Theme,
    ThemeAnswer,
    ThemeQuestion,
)
from rkk.themes.state import ThemeState

logger = logging.getLogger(__name__)

TARGET_ARI, TARGET_PRECISION, TARGET_RECALL = 0.8, 0.95, 0.9


@dataclass(frozen=True)
class LabelledSet:
    """Answers with their questions, optional embeddings, true labels and the coordinators' theme names."""

    name: str
    answers: Sequence[ThemeAnswer]
    questions: Mapping[str, ThemeQuestion]
    labels: Mapping[str, str]  # answer id -> theme key, "single:<key>" or "noise"
    names: Mapping[str, str]  # theme key -> the name a coordinator gave it (may be empty)
    vectors: Mapping[str, FloatArray] | None = None


@dataclass(frozen=True)
class Scored:
    """One detection run on a labelled set: its figures and the rode draden matched to a named theme."""

    quality: Quality
    themes: tuple[Theme, ...]
    named: tuple[tuple[Theme, str], ...]  # found rode draad, the coordinator's name of the theme it matches

    @property
    def agreeing(self) -> int:
        """Matched rode draden whose label shares a content word with the coordinator's name."""
        return sum(labels_agree(t.label, name) for t, name in self.named if name)

    @property
    def targets_met(self) -> int:
        """How many of the issue's three targets (ARI, precision, recall) this run meets."""
        q = self.quality
        return (q.ari >= TARGET_ARI) + (q.precision >= TARGET_PRECISION) + (q.recall >= TARGET_RECALL)


@dataclass(frozen=True)
class Fold:
    """Constants chosen on one set and the figures they give on the other."""

    chosen_on: str
    evaluated_on: str
    params: DetectionParams
    scored: Scored


def features_of(data: LabelledSet, embedded: bool) -> list[AnswerFeatures]:
    """Each answer read once, with its embedding when asked for and available."""
    vectors = (data.vectors or {}) if embedded else {}
    return [featurize(a, data.questions, vectors.get(a.id)) for a in data.answers]


def score(data: LabelledSet, features: Sequence[AnswerFeatures], params: DetectionParams) -> Scored:
    """Detect themes from read answers and compare them with the labels."""
    rule = RecurrenceRule()
    themes = tuple(themes_of(update_with_features(ThemeState(), features, rule=rule, params=params), rule))
    named = tuple(matched_names(data.labels, data.names, themes))
    return Scored(evaluate(data.labels, themes), themes, named)


def grid(
    embedding_weights: Sequence[float], min_similarities: Sequence[float], full_lexical_words: Sequence[int] = ()
) -> list[DetectionParams]:
    """Every combination of the constants the clustering is most sensitive to (the default where none given)."""
    base = DetectionParams()
    return [
        replace(base, embedding_weight=w, min_similarity=s, full_lexical_words=n)
        for w in embedding_weights
        for s in min_similarities
        for n in full_lexical_words or (base.full_lexical_words,)
    ]


def _distance(params: DetectionParams) -> float:
    """How far the constants are from the defaults, each relative to its default."""
    base = DetectionParams()
    pairs = [
        (params.embedding_weight, base.embedding_weight),
        (params.min_similarity, base.min_similarity),
        (params.full_lexical_words, base.full_lexical_words),
    ]
    return sum(abs(value - default) / default for value, default in pairs)


def choose(data: LabelledSet, embedded: bool, candidates: Sequence[DetectionParams]) -> tuple[DetectionParams, Scored]:
    """The candidate that meets most targets on this set, then has the best ARI (to two decimals);
    among equals the one closest to the defaults: a constant moves only when that measurably helps."""
    features = features_of(data, embedded)
    runs = [(params, score(data, features, params)) for params in candidates]
    return max(runs, key=lambda run: (run[1].targets_met, round(run[1].quality.ari, 2), -_distance(run[0])))


def leave_one_set_out(sets: Sequence[LabelledSet], embedded: bool, candidates: Sequence[DetectionParams]) -> list[Fold]:
    """For each ordered pair of sets: choose the constants on the first, measure them on the second."""
    folds = []
    for train in sets:
        params, _ = choose(train, embedded, candidates)
        for test in sets:
            if test is not train:
                folds.append(Fold(train.name, test.name, params, score(test, features_of(test, embedded), params)))
    return folds
