"""An answer's stored features: lemmas, concepts, compound parts, bigrams and character n-grams."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from itertools import pairwise

from rkk.themes.dutch import Word, words
from rkk.themes.lexicon import load_lexicon
from rkk.themes.model import AnswerFeatures, FloatArray, ThemeAnswer, ThemeQuestion
from rkk.themes.vectors import hash_bag

logger = logging.getLogger(__name__)

GENERIC_WEIGHT = 0.3  # generic words count a little, so they add to but never make a match
CONCEPT_WEIGHT = 2.0  # a thesaurus concept names a subject outright
PART_WEIGHT = 0.5  # compound parts: documentendienst also says "document"
BIGRAM_WEIGHT = 0.5
QUESTION_WEIGHT = 0.3  # the question's words give an answer context, not its topic
MIN_CONTENT_WORDS = 2  # fewer distinct content words than this: the answer carries no topic
CHAR_N = 4


def week_index(week: str) -> int:
    """Weeks since 0001-W01 for an ISO week "YYYY-Www"; raises ValueError when malformed."""
    year, sep, num = week.partition("-W")
    if not sep or len(year) != 4 or len(num) != 2 or not (year + num).isdigit():
        raise ValueError(f"not an ISO week: {week!r}")
    return date.fromisocalendar(int(year), int(num), 1).toordinal() // 7


def _content(ws: list[Word]) -> list[Word]:
    stop = load_lexicon().stopwords
    return [w for w in ws if len(w.lemma) > 1 and w.lemma not in stop and not w.lemma.isdigit()]


def _char_grams(lemma: str) -> list[str]:
    padded = f"<{lemma}>"
    return [padded[i : i + CHAR_N] for i in range(len(padded) - CHAR_N + 1)]


def _add(bag: dict[str, float], key: str, weight: float) -> None:
    bag[key] = bag.get(key, 0.0) + weight


def featurize(
    answer: ThemeAnswer,
    questions: Mapping[str, ThemeQuestion] | None = None,
    vector: FloatArray | None = None,
) -> AnswerFeatures:
    """Read an answer once and keep what clustering and labelling need."""
    generic = load_lexicon().generic
    content = _content(words(answer.text))
    lemmas = {w.lemma for w in content}
    core = frozenset(w.lemma for w in content if w.lemma not in generic) | frozenset(
        p for w in content for p in w.parts if p not in generic and len(p) > 2
    )
    noise = len(lemmas) < MIN_CONTENT_WORDS or not core
    terms: dict[str, float] = {}
    chars: dict[str, float] = {}
    surface: dict[str, str] = {}
    if not noise:
        for w in content:
            is_generic = w.lemma in generic
            _add(terms, w.lemma, GENERIC_WEIGHT if is_generic else CONCEPT_WEIGHT if w.concept else 1.0)
            surface.setdefault(w.lemma, w.surface)
            for part in w.parts:
                if part != w.lemma and part not in load_lexicon().stopwords:
                    _add(terms, part, PART_WEIGHT * (GENERIC_WEIGHT if part in generic else 1.0))
            if not is_generic:
                for gram in _char_grams(w.lemma):
                    _add(chars, gram, 1.0)
        for left, right in pairwise(content):
            if left.lemma != right.lemma:
                _add(terms, f"{left.lemma} {right.lemma}", BIGRAM_WEIGHT)
        question = (questions or {}).get(answer.question_id or "")
        if question is not None:
            for w in _content(words(question.text)):
                if w.lemma not in generic:
                    _add(terms, w.lemma, QUESTION_WEIGHT)
    return AnswerFeatures(
        id=answer.id,
        rkk=answer.rkk,
        bestuur=answer.bestuur,
        week=answer.week,
        week_index=week_index(answer.week),
        noise=noise,
        terms=terms,
        words=hash_bag(terms),
        chars=hash_bag(chars),
        core=core if not noise else frozenset(),
        surface=surface,
        vector=vector,
    )
