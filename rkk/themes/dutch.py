"""An answer's words as theme detection reads them: lemmas, compound parts and thesaurus concepts."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rkk.themes.lemmas import acronym_like, lemma_of, tokens
from rkk.themes.thesaurus import concept, concept_inside, concept_like, concept_span

logger = logging.getLogger(__name__)

__all__ = ["Word", "lemma_of", "words"]


@dataclass(frozen=True)
class Word:
    """One word of an answer: its lemma, its spelling for labels, its compound parts, where it stands."""

    lemma: str
    surface: str
    parts: tuple[str, ...] = ()  # compound parts and concepts inside or above it
    concept: bool = False  # a thesaurus concept rather than a plain word
    start: int = 0  # first token of the word in tokens(text)
    end: int = 0  # one past its last token


def words(text: str) -> list[Word]:
    """The words of a text, thesaurus names joined into one concept word each."""
    raw = tokens(text)
    lowers = [t.lower() for t in raw]
    lemmas = [lo if acronym_like(t) else lemma_of(lo)[0] for t, lo in zip(raw, lowers, strict=True)]
    out: list[Word] = []
    i = 0
    while i < len(raw):
        span = concept_span(lowers, lemmas, i)
        if span is not None:
            hit, n = span
            out.append(Word(hit.key, hit.label, _broader(hit.key), True, i, i + n))
            i += n
            continue
        out.append(_plain_word(raw[i], lowers[i], lemmas[i], i))
        i += 1
    return out


def _broader(key: str) -> tuple[str, ...]:
    broader = concept(key).broader
    return (broader,) if broader else ()


def _plain_word(raw: str, lower: str, lemma: str, at: int) -> Word:
    if acronym_like(raw):
        return Word(lemma=lemma, surface=raw, start=at, end=at + 1)
    typo = concept_like(lower)
    if typo is not None:
        hit = concept(typo)
        return Word(hit.key, hit.label, _broader(hit.key), True, at, at + 1)
    _, split = lemma_of(lower)
    parts = [_concept_of(p) for p in split]
    inside = concept_inside(lower)
    if inside is not None and inside not in parts:
        parts.append(inside)
    parts += [b for p in parts for b in _broader_of(p) if b not in parts]
    return Word(lemma=lemma, surface=lemma, parts=tuple(parts), start=at, end=at + 1)


def _concept_of(part: str) -> str:
    """A compound part that is a one-word thesaurus name becomes its concept key."""
    span = concept_span([part], [part], 0)
    return span[0].key if span is not None else part


def _broader_of(key: str) -> tuple[str, ...]:
    span = concept_span([key], [key], 0)
    return _broader(span[0].key) if span is not None and span[0].key == key else ()
