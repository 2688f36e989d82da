"""Records of theme detection: answers in, themes out, and the rode-draad rule."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThemeAnswer:
    """One member's answer as theme detection sees it."""

    id: str
    rkk: str
    bestuur: str
    text: str
    week: str  # ISO week, "2026-W10"
    question_id: str | None = None


@dataclass(frozen=True)
class ThemeQuestion:
    """A weekly question; its words give short answers a little context."""

    id: str
    text: str


@dataclass(frozen=True)
class RecurrenceRule:
    """A theme is a rode draad when this many besturen and RKKs answered within the window."""

    min_besturen: int = 5
    min_rkks: int = 2
    window_weeks: int = 8


@dataclass(frozen=True)
class Theme:
    """A group of answers about one subject, with the evidence a coordinator needs."""

    key: str  # stable from week to week: derived from the answer that founded it
    label: str
    terms: tuple[str, ...]
    answer_ids: tuple[str, ...]
    rkks: tuple[str, ...]
    besturen: tuple[str, ...]
    first_week: str
    last_week: str
    recurring: bool
    description: str = ""  # one extractive sentence: counts, and an answer's own words


IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, eq=False)
class HashedBag:
    """A bag of features hashed into a fixed space: sorted indices and their weights."""

    index: IntArray
    value: FloatArray


@dataclass(frozen=True, eq=False)
class AnswerFeatures:
    """What is kept of an answer once it has been read: computed once, when it arrives."""

    id: str
    rkk: str
    bestuur: str
    week: str
    week_index: int  # weeks since an epoch, so that windows are simple subtractions
    noise: bool
    terms: dict[str, float]  # word features (lemmas, concepts, compound parts, bigrams)
    words: HashedBag  # the same word features, hashed for the sparse matrices
    chars: HashedBag  # character n-grams of the topical lemmas, hashed
    core: frozenset[str]  # topical lemmas: the words that can make a theme coherent
    surface: dict[str, str]  # lemma -> spelling as written, for labels (acronyms)
    vector: FloatArray | None = None  # optional sentence embedding, stored as given
    question: str | None = None  # the id of the question it answers: answers to one question share words
    text: str = ""  # the answer as written: labels and descriptions quote it


@dataclass(frozen=True)
class DetectionParams:
    """Thresholds of the clustering; see rkk/themes/README.md for how they were chosen."""

    word_weight: float = 0.6  # share of the word block in the lexical cosine (rest: char n-grams)
    embedding_weight: float = 0.3  # share of the embedding in the mixed cosine, when vectors exist
    full_lexical_words: int = 8  # topical words an answer needs for its full lexical share (0: all equal)
    min_centred_answers: int = 20  # fewer answers in a window: their mean is their topic, so lexical only
    min_similarity: float = 0.08  # average-linkage cut: mean cosine between two merged groups
    coherence_share: float = 0.5  # share of members that must hold the theme's main word
    min_theme_size: int = 2
    max_pool: int = 1000  # the newest answers of a window clustered one by one; older ones enter by theme
