"""Which question an RKK gets next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rkk.model import Question


def next_question(candidates: Sequence[Question], last_asked: Mapping[int, str]) -> Question | None:
    """The first candidate never asked in this RKK, else the one asked longest ago.

    `candidates` is in preference order; `last_asked` maps a question id to the last ISO week
    it was asked in this RKK (ISO week strings sort chronologically).
    """
    if not candidates:
        return None
    for question in candidates:
        if question.id not in last_asked:
            return question
    return min(candidates, key=lambda q: (last_asked[q.id], candidates.index(q)))
