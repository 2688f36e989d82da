"""Phrases as the answers wrote them: where a lemma term stands in a text, and its clauses."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rkk.themes.dutch import Word, words
from rkk.themes.features import content
from rkk.themes.lemmas import acronym_like, token_spans

logger = logging.getLogger(__name__)

MAX_PHRASE_TOKENS = 4  # "uitrol van Windows 11": a name, not a clause
_BREAK = re.compile(r"[.,;:!?()\[\]\"“”«»]|[-–—]\s|\s[-–—]")  # punctuation a phrase never spans
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Reading:
    """A text with its words and where each token stands, read once for labels and descriptions."""

    text: str
    words: tuple[Word, ...]  # content words only
    spans: tuple[tuple[int, int], ...]  # character span of each token


def read(text: str) -> Reading:
    """The content words of a text and the character spans of its tokens."""
    return Reading(text, tuple(content(words(text))), tuple(token_spans(text)))


def _keys(word: Word) -> tuple[str, ...]:
    return (word.lemma, *word.parts)


def occurrences(term: str, reading: Reading) -> list[tuple[int, int]]:
    """Token ranges where a term (a lemma, a concept or two neighbouring content words) stands."""
    parts = term.split(" ")
    ws = reading.words
    found = []
    for i, word in enumerate(ws):
        if len(parts) == 1 and parts[0] in _keys(word):
            found.append((word.start, word.end))
        elif len(parts) == 2 and i + 1 < len(ws) and word.lemma == parts[0] and ws[i + 1].lemma == parts[1]:
            found.append((word.start, ws[i + 1].end))
    return found


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n" or before.endswith(("'", '"', "(", "“"))


def written(reading: Reading, first: int, last: int) -> str | None:
    """Tokens first..last-1 as written, in a label's case; None when the range spans punctuation."""
    if last - first > MAX_PHRASE_TOKENS or last <= first:
        return None
    text, spans = reading.text, reading.spans
    pieces = []
    for k in range(first, last):
        start, end = spans[k]
        if k > first:
            gap = text[spans[k - 1][1] : start]
            if _BREAK.search(gap):
                return None
            pieces.append(gap)  # separators as written: MAGDA-documentendienst keeps its hyphen
        token = text[start:end]
        # Capitals stay on acronyms and names: a capital that does not open a sentence.
        keep = acronym_like(token) or (token[:1].isupper() and not _sentence_start(text, start))
        pieces.append(token if keep else token.lower())
    return "".join(pieces)


def common_form(term: str, readings: Iterable[Reading]) -> tuple[str, int] | None:
    """The commonest way the answers wrote a term, and in how many answers it occurs that way."""
    forms: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    for reading in readings:
        seen = set()
        for first, last in occurrences(term, reading):
            form = written(reading, first, last)
            if form is not None:
                forms[form] += 1
                key = _normal(form)
                if key not in seen:
                    answers[key] += 1
                    seen.add(key)
    if not forms:
        return None
    best = min(forms, key=lambda f: (-answers[_normal(f)], -forms[f], f))
    return best, answers[_normal(best)]


def _normal(form: str) -> str:
    return re.sub(r"[\s\-]+", " ", form.lower())


def clauses(text: str) -> list[str]:
    """The sentences of an answer, each ending in its punctuation."""
    return [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
