"""An answer's stored features: lemmas, concepts, compound parts, bigrams and character n-grams."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
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
MIN_CONTENT_WORDS = 2  # fewer distinct content words than this: the answer carries no topic
CHAR_N = 4


def week_index(week: str) -> int:
    """Weeks since 0001-W01 for an ISO week "YYYY-Www"; raises ValueError when malformed."""
    year, sep, num = week.partition("-W")
    if not sep or len(year) != 4 or len(num) != 2 or not (year + num).isdigit():
        raise ValueError(f"not an ISO week: {week!r}")
    return date.fromisocalendar(int(year), int(num), 1).toordinal() // 7


def content(ws: list[Word]) -> list[Word]:
    """The words that can carry a topic: no stopwords, single letters or numbers."""
    stop = load_lexicon().stopwords
    return [w for w in ws if len(w.lemma) > 1 and w.lemma not in stop and not w.lemma.isdigit()]


@lru_cache(maxsize=4096)
def echo_words(question: str) -> frozenset[str]:
    """The lemmas, parts and concepts of a question: in its answers they echo it, not name a theme."""
    return frozenset(term for w in content(words(question)) for term in (w.lemma, *w.parts))


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
    """Read an answer once and keep what clustering and labelling need.

    Words of the question it answers are weighed like generic words and never make a theme
    coherent: answers to one question repeat them whatever their subject.
    """
    lexicon = load_lexicon()
    question = (questions or {}).get(answer.question_id or "")
    # Words of the question count as generic in its answers (twijfel, meerjarenplan, samenwerking).
    echoed = echo_words(question.text) if question is not None else frozenset()
    generic = lexicon.generic | echoed
    # Its plain words are the question's frame and never name a theme; a thesaurus concept it names
    # (cyberincident) is still what the answer is about, so labels may use it.
    frame = echoed - lexicon.concept_keys
    found = content(words(answer.text))
    lemmas = {w.lemma for w in found}
    core = frozenset(w.lemma for w in found if w.lemma not in generic) | frozenset(
        p for w in found for p in w.parts if p not in generic and p not in lexicon.stopwords and len(p) > 2
    )
    # One word can carry a topic when the thesaurus knows it ("Phishingsimulatie gepland."); one plain word cannot.
    named = any(w.concept or any(p in lexicon.concept_keys for p in w.parts) for w in found)
    noise = not core or (len(lemmas) < MIN_CONTENT_WORDS and not named)
    terms: dict[str, float] = {}  # what labels and c-TF-IDF see: the question's words left out
    bag: dict[str, float] = {}  # what similarity sees: the question's words weigh like generic ones
    chars: dict[str, float] = {}
    surface: dict[str, str] = {}
    if not noise:
        for w in found:
            echo = w.lemma in frame
            weight = GENERIC_WEIGHT if w.lemma in generic else CONCEPT_WEIGHT if w.concept else 1.0
            _add(bag, w.lemma, weight)
            if not echo:
                _add(terms, w.lemma, weight)
                surface.setdefault(w.lemma, w.surface)
            for part in w.parts:
                if part != w.lemma and part not in lexicon.stopwords:
                    part_weight = PART_WEIGHT * (GENERIC_WEIGHT if part in generic else 1.0)
                    _add(bag, part, part_weight)
                    if part not in frame:
                        _add(terms, part, part_weight)
            if w.lemma not in generic:
                for gram in _char_grams(w.lemma):
                    _add(chars, gram, 1.0)
        for left, right in pairwise(found):
            if left.lemma != right.lemma:
                _add(bag, f"{left.lemma} {right.lemma}", BIGRAM_WEIGHT)
                if left.lemma not in frame and right.lemma not in frame:
                    _add(terms, f"{left.lemma} {right.lemma}", BIGRAM_WEIGHT)
    return AnswerFeatures(
        id=answer.id,
        rkk=answer.rkk,
        bestuur=answer.bestuur,
        week=answer.week,
        week_index=week_index(answer.week),
        noise=noise,
        terms=terms,
        words=hash_bag(bag),
        chars=hash_bag(chars),
        core=core if not noise else frozenset(),
        surface=surface,
        vector=vector,
        question=answer.question_id if question is not None else None,
        text=answer.text,
    )
