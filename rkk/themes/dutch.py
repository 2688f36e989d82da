"""Dutch words to lemmas: tokens, simplemma, compounds, acronyms and the domain thesaurus."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from rkk.themes.lexicon import Lexicon, load_lexicon

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_LINKS = ("s", "en", "e", "")  # Dutch linking morphemes between compound parts
_MIN_HEAD = 4
_MIN_MODIFIER = 3


@dataclass(frozen=True)
class Word:
    """One word of an answer: its lemma, its spelling for labels, and its compound parts."""

    lemma: str
    surface: str
    parts: tuple[str, ...] = ()
    concept: bool = False  # a thesaurus concept rather than a plain word


def tokens(text: str) -> list[str]:
    """Words as written; hyphens, slashes and emoji separate or vanish."""
    return _TOKEN.findall(text)


def _acronym_like(token: str) -> bool:
    # MAGDA, DPO, M365, WiFi4EU: keep the spelling, do not lemmatise.
    upper = sum(ch.isupper() for ch in token[1:])
    return upper >= 1 or (any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token))


@lru_cache(maxsize=200_000)
def _known(word: str) -> bool:
    return word in load_lexicon().compound_parts or simplemma.is_known(word, lang="nl")


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    override = load_lexicon().lemma_overrides.get(word)
    if override is not None:
        return override
    # simplemma writes separable verbs as "in_voeren"; the plain form reads better in labels.
    return str(simplemma.lemmatize(word, lang="nl")).replace("_", "").lower()


def _modifier(left: str) -> str | None:
    for link in _LINKS:
        stem = left[: len(left) - len(link)] if link else left
        if link and not left.endswith(link):
            continue
        if len(stem) >= _MIN_MODIFIER and _known(stem):
            return _lemma(stem)
    return None


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, str] | None:
    """(modifier lemma, head lemma) of a Dutch compound, longest known head first; None if none.

    Only words the dictionary does not know are split: splitting known words finds false
    compounds (integratie -> innen + gratie, medewerker -> mede + werker).
    """
    if _known(word):
        return None
    for cut in range(_MIN_MODIFIER, len(word) - _MIN_HEAD + 1):
        head = word[cut:]
        if not _known(head):
            continue
        modifier = _modifier(word[:cut])
        if modifier is not None:
            return modifier, _lemma(head)
    return None


@lru_cache(maxsize=200_000)
def lemma_of(lower: str) -> tuple[str, tuple[str, ...]]:
    """The lemma of a lower-case word and its compound parts (simplemma misses plural compounds)."""
    if _known(lower):
        return _lemma(lower), ()
    parts = split_compound(lower)
    if parts is not None:
        head = parts[1]
        # Rebuild the compound on the head's lemma: verwerkersovereenkomsten -> ...overeenkomst.
        return lower[: len(lower) - len(_head_surface(lower, parts))] + head, parts
    return _lemma(lower), ()


def _head_surface(lower: str, parts: tuple[str, str]) -> str:
    for cut in range(1, len(lower)):
        if _known(lower[cut:]) and _lemma(lower[cut:]) == parts[1] and len(lower) - cut >= _MIN_HEAD:
            return lower[cut:]
    return parts[1]


def _concept_index(lexicon: Lexicon) -> dict[tuple[str, ...], tuple[str, str]]:
    return {v: (c.key, c.label) for c in lexicon.concepts for v in c.variants}


@lru_cache(maxsize=1)
def _concepts() -> dict[tuple[str, ...], tuple[str, str]]:
    return _concept_index(load_lexicon())


def words(text: str) -> list[Word]:
    """The words of a text, thesaurus spans joined into one concept word each."""
    raw = tokens(text)
    lowers = [t.lower() for t in raw]
    lemmas = [lo if _acronym_like(t) else lemma_of(lo)[0] for t, lo in zip(raw, lowers, strict=True)]
    concepts = _concepts()
    longest = load_lexicon().max_variant_len
    out: list[Word] = []
    i = 0
    while i < len(raw):
        for n in range(min(longest, len(raw) - i), 0, -1):
            hit = concepts.get(tuple(lowers[i : i + n])) or concepts.get(tuple(lemmas[i : i + n]))
            if hit is not None:
                out.append(Word(lemma=hit[0], surface=hit[1], concept=True))
                i += n
                break
        else:
            out.append(_plain_word(raw[i], lowers[i], lemmas[i], concepts))
            i += 1
    return out


def _plain_word(raw: str, lower: str, lemma: str, concepts: dict[tuple[str, ...], tuple[str, str]]) -> Word:
    if _acronym_like(raw):
        return Word(lemma=lemma, surface=raw)
    _, parts = lemma_of(lower)
    mapped = tuple(concepts.get((p,), (p, p))[0] for p in parts)
    return Word(lemma=lemma, surface=lemma, parts=mapped)
