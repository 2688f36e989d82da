"""A theme's description: one extractive sentence, the answers' own words with the counts before them."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from itertools import pairwise

from rkk.themes.model import AnswerFeatures
from rkk.themes.phrases import Reading, clauses, read

logger = logging.getLogger(__name__)

REPRESENTATIVES = 12  # answers read again for a label and a description: the theme's most typical
CANDIDATES = 200  # ... chosen among its newest answers: a theme is described as it stands now
SCORED_TERMS = 20
MAX_QUOTE = 160  # characters of one quoted sentence
MIN_WORDS, MAX_WORDS = 4, 25  # content words: shorter says too little, longer is a story, not a summary
QUESTION_PENALTY = 0.5  # a question asked back ("Wie heeft tips?") describes a theme less well


def representatives(group: Sequence[AnswerFeatures], ranked: Sequence[tuple[str, float]]) -> list[AnswerFeatures]:
    """The answers that hold most of the theme's characteristic terms, most typical first (give the group
    oldest first: only its newest CANDIDATES answers are looked at, so big themes cost no more)."""
    weights = dict(ranked[:SCORED_TERMS])

    def typical(f: AnswerFeatures) -> float:
        held = sum(score for term, score in weights.items() if term in f.terms)
        return held / math.sqrt(max(len(f.terms), 1))

    return sorted(group[-CANDIDATES:], key=lambda f: (-typical(f), f.id))[:REPRESENTATIVES]


def readings(members: Sequence[AnswerFeatures]) -> list[Reading]:
    """The members' texts, read for phrases (one reading per member; an empty text reads as nothing)."""
    return [read(f.text) for f in members]


def _clause_score(reading: Reading, start: int, end: int, weights: Mapping[str, float]) -> tuple[float, int]:
    inside = [w for w in reading.words if start <= reading.spans[w.start][0] < end]
    held = {key for w in inside for key in (w.lemma, *w.parts)}
    held |= {f"{a.lemma} {b.lemma}" for a, b in pairwise(inside)}
    score = sum(weights.get(key, 0.0) for key in held)
    return score, len(inside)


def _best_clause(members: Sequence[tuple[AnswerFeatures, Reading]], weights: Mapping[str, float]) -> tuple[str, str]:
    """The clause that holds most of the theme's characteristic terms, and its bestuur."""
    best: tuple[float, str, str] = (0.0, "", "")
    for feature, reading in members:
        cursor = 0
        for clause in clauses(reading.text):
            start = reading.text.index(clause, cursor)
            cursor = start + len(clause)
            score, length = _clause_score(reading, start, cursor, weights)
            if not MIN_WORDS <= length <= MAX_WORDS:
                continue
            if clause.endswith("?"):
                score *= QUESTION_PENALTY
            if score > best[0]:
                best = (score, clause, feature.bestuur)
    return best[1], best[2]


def _quote(clause: str) -> str:
    if len(clause) <= MAX_QUOTE:
        return clause
    cut = clause.rfind(",", 0, MAX_QUOTE)
    cut = cut if cut > MAX_QUOTE // 2 else clause.rfind(" ", 0, MAX_QUOTE)
    return clause[:cut].rstrip(" ,") + " …"


def counted(n: int, one: str, many: str) -> str:
    """A Dutch count: 1 bestuur, 5 besturen."""
    return f"{n} {one if n == 1 else many}"


def describe(
    group: Sequence[AnswerFeatures],
    members: Sequence[tuple[AnswerFeatures, Reading]],
    ranked: Sequence[tuple[str, float]],
) -> str:
    """One sentence: how many besturen and RKKs, and the clause of an answer that best says what the theme is."""
    besturen = len({f.bestuur for f in group})
    rkks = len({f.rkk for f in group})
    head = counted(besturen, "bestuur", "besturen") + " uit " + counted(rkks, "RKK", "RKK's")
    clause, bestuur = _best_clause(members, dict(ranked[:SCORED_TERMS]))
    if not clause:
        return head + "."
    return f"{head}, bv. {bestuur}: “{_quote(clause)}”"
