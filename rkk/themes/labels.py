"""Theme labels by c-TF-IDF over lemma uni- and bigrams (the BERTopic labelling formula)."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

from rkk.themes.lexicon import load_lexicon

logger = logging.getLogger(__name__)

MAX_TERMS = 8
BIGRAM_PREFERENCE = 0.5  # a bigram labels the theme when it scores at least this share of the best word


def ranked_terms(terms: Mapping[str, float], term_df: Mapping[str, int], answers: int) -> list[tuple[str, float]]:
    """Terms of a theme by c-TF-IDF: their share in the theme times log(1 + answers / df)."""
    generic = load_lexicon().generic
    total = sum(terms.values()) or 1.0
    scored = []
    for term, weight in terms.items():
        words = term.split(" ")
        if all(w in generic for w in words):
            continue  # generic words may weigh in similarity, never in a label
        idf = math.log(1.0 + answers / max(term_df.get(term, 1), 1))
        scored.append((term, weight / total * idf))
    return sorted(scored, key=lambda kv: (-kv[1], kv[0]))


def spell(term: str, surface: Mapping[str, str]) -> str:
    """A term in the spelling the answers used (MAGDA, M365), word by word."""
    return " ".join(surface.get(w, w) for w in term.split(" "))


def make_label(ranked: list[tuple[str, float]], surface: Mapping[str, str]) -> str:
    """A few words: the best bigram if it is nearly as strong as the best word, else two words."""
    if not ranked:
        return ""
    unigrams = [(t, s) for t, s in ranked if " " not in t]
    bigrams = [(t, s) for t, s in ranked if " " in t]
    best_word = unigrams[0][1] if unigrams else 0.0
    if bigrams and bigrams[0][1] >= BIGRAM_PREFERENCE * best_word:
        return spell(bigrams[0][0], surface)
    chosen = [unigrams[0][0]]
    for term, _ in unigrams[1:]:
        if term not in chosen[0] and chosen[0] not in term:
            chosen.append(term)
            break
    return " ".join(spell(t, surface) for t in chosen)


def top_terms(ranked: list[tuple[str, float]], surface: Mapping[str, str]) -> tuple[str, ...]:
    """The strongest terms, spelled as written."""
    return tuple(spell(t, surface) for t, _ in ranked[:MAX_TERMS])
