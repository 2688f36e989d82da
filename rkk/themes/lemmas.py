"""Dutch words to lemmas: tokens, simplemma with overrides, acronyms and compound splitting."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import simplemma

from rkk.themes.lexicon import load_lexicon

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
LINKS = ("s", "en", "e", "")  # Dutch linking morphemes between compound parts
MIN_HEAD = 4
MIN_MODIFIER = 3


def tokens(text: str) -> list[str]:
    """Words as written; hyphens, slashes and emoji separate or vanish."""
    return _TOKEN.findall(text)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where each token of tokens(text) starts and ends in the text."""
    return [m.span() for m in _TOKEN.finditer(text)]


def acronym_like(token: str) -> bool:
    """MAGDA, DPO, M365, WiFi4EU: words whose spelling is kept and never lemmatised."""
    upper = sum(ch.isupper() for ch in token[1:])
    return upper >= 1 or (any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token))


@lru_cache(maxsize=200_000)
def known(word: str) -> bool:
    """Whether simplemma or the extra compound parts know the word."""
    return word in load_lexicon().compound_parts or simplemma.is_known(word, lang="nl")


def part_known(word: str) -> bool:
    """Whether a word may be part of a compound: known, or a one-word thesaurus name (telefonie)."""
    return word in load_lexicon().affixes or known(word)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """simplemma's lemma of a lower-case word, unless the overrides say otherwise."""
    override = load_lexicon().lemma_overrides.get(word)
    if override is not None:
        return override
    # simplemma writes separable verbs as "in_voeren"; the plain form reads better in labels.
    return str(simplemma.lemmatize(word, lang="nl")).replace("_", "").lower()


def modifier_lemma(left: str) -> str | None:
    """The lemma of the first part of a compound, its linking s/e/en removed; None if unknown."""
    for link in LINKS:
        stem = left[: len(left) - len(link)] if link else left
        if link and not left.endswith(link):
            continue
        if len(stem) >= MIN_MODIFIER and part_known(stem):
            return lemma(stem)
    return None


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, str] | None:
    """(modifier lemma, head lemma) of a Dutch compound, longest known head first; None if none.

    Only words the dictionary does not know are split: splitting known words finds false
    compounds (integratie -> innen + gratie, medewerker -> mede + werker).
    """
    if known(word):
        return None
    for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        head = word[cut:]
        if not part_known(head):
            continue
        modifier = modifier_lemma(word[:cut])
        if modifier is not None:
            return modifier, lemma(head)
    return None


@lru_cache(maxsize=200_000)
def lemma_of(lower: str) -> tuple[str, tuple[str, ...]]:
    """The lemma of a lower-case word and its compound parts (simplemma misses plural compounds)."""
    if known(lower):
        return lemma(lower), ()
    parts = split_compound(lower)
    if parts is not None:
        head = parts[1]
        # Rebuild the compound on the head's lemma: verwerkersovereenkomsten -> ...overeenkomst.
        return lower[: len(lower) - len(_head_surface(lower, parts))] + head, parts
    return lemma(lower), ()


def _head_surface(lower: str, parts: tuple[str, str]) -> str:
    for cut in range(1, len(lower)):
        if part_known(lower[cut:]) and lemma(lower[cut:]) == parts[1] and len(lower) - cut >= MIN_HEAD:
            return lower[cut:]
    return parts[1]
