"""Which question an RKK gets next: its own queue, then the shared queue, then the starter bank."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rkk.model import Question
from rkk.rounds.weeks import weeks_between

logger = logging.getLogger(__name__)

DEFAULT_REPEAT_GAP_WEEKS = 26


class QuestionSource(StrEnum):
    """Where a question came from; stored in `questions.source` ("queue" rows carry an rkk_key or none)."""

    OWN_QUEUE = "own_queue"
    SHARED_QUEUE = "shared_queue"
    BANK = "bank"


@dataclass(frozen=True)
class Pool:
    """Everything rotation may choose from for one RKK, each list in its queue order."""

    own_queue: Sequence[Question]
    shared_queue: Sequence[Question]
    bank: Sequence[Question]


@dataclass(frozen=True)
class Choice:
    """The question chosen and the queue it came from."""

    question: Question
    source: QuestionSource


def choose_question(
    pool: Pool, last_asked: Mapping[int, str], week: str, repeat_gap_weeks: int = DEFAULT_REPEAT_GAP_WEEKS
) -> Choice | None:
    """The RKK's next question; None when everything left was asked within `repeat_gap_weeks`.

    Queued questions are asked once per RKK (a shared one once in every RKK); bank questions
    come back, the one asked longest ago first, once `repeat_gap_weeks` have passed.
    """
    for queue, source in ((pool.own_queue, QuestionSource.OWN_QUEUE), (pool.shared_queue, QuestionSource.SHARED_QUEUE)):
        for question in queue:
            if question.id not in last_asked:
                return Choice(question, source)
    fresh = next_question(pool.bank, last_asked)
    if fresh is None:
        return None
    asked = last_asked.get(fresh.id)
    if asked is not None and weeks_between(asked, week) < repeat_gap_weeks:
        logger.info("every bank question was asked in the last %d weeks", repeat_gap_weeks)
        return None
    return Choice(fresh, QuestionSource.BANK)


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
