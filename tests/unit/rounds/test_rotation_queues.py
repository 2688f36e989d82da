"""Rotation: the RKK's own queue, then the shared queue, then the starter bank, never repeating too soon."""

from __future__ import annotations

from rkk.model import Question
from rkk.rounds.rotation import Pool, QuestionSource, choose_question

OWN = Question(1, "queue-1", "Hoe organiseren jullie de opvolging van datalekken?")
OWN_2 = Question(2, "queue-2", "Welke tool gebruiken jullie voor wachtwoordbeheer?")
SHARED = Question(3, "queue-3", "Hoe pakken jullie NIS2 aan?")
BANK_A = Question(10, "magda", "Hoe gebruiken jullie MAGDA?")
BANK_B = Question(11, "phishing", "Hoe testen jullie phishing?")
WEEK = "2026-W48"


def test_own_queue_comes_first() -> None:
    """A question queued for this RKK beats the shared queue and the bank."""
    choice = choose_question(Pool([OWN, OWN_2], [SHARED], [BANK_A]), {}, WEEK)
    assert choice is not None and (choice.question, choice.source) == (OWN, QuestionSource.OWN_QUEUE)


def test_shared_queue_comes_before_the_bank() -> None:
    """With the own queue empty, the queue for all RKKs is next."""
    choice = choose_question(Pool([], [SHARED], [BANK_A]), {}, WEEK)
    assert choice is not None and choice.source is QuestionSource.SHARED_QUEUE


def test_shared_question_is_asked_once_per_rkk() -> None:
    """A shared question this RKK already had is passed over for the bank."""
    choice = choose_question(Pool([], [SHARED], [BANK_A]), {SHARED.id: "2026-W40"}, WEEK)
    assert choice is not None and choice.question == BANK_A


def test_bank_question_comes_back_after_the_gap() -> None:
    """Every bank question asked: the oldest returns once the gap has passed."""
    asked = {BANK_A.id: "2026-W10", BANK_B.id: "2026-W20"}
    choice = choose_question(Pool([], [], [BANK_A, BANK_B]), asked, WEEK, repeat_gap_weeks=26)
    assert choice is not None and choice.question == BANK_A


def test_nothing_left_within_the_gap_gives_none() -> None:
    """Everything asked within the gap: nothing is chosen (the coordinators are told instead)."""
    asked = {BANK_A.id: "2026-W40", BANK_B.id: "2026-W41", SHARED.id: "2026-W42"}
    assert choose_question(Pool([], [SHARED], [BANK_A, BANK_B]), asked, WEEK, repeat_gap_weeks=26) is None


def test_gap_counts_across_new_year() -> None:
    """Asked in 2026-W50, a bank question may return in 2027-W02 with a gap of 5 (2026 has 53 weeks)."""
    pool = Pool([], [], [BANK_A])
    assert choose_question(pool, {BANK_A.id: "2026-W50"}, "2027-W02", repeat_gap_weeks=5) is not None
    assert choose_question(pool, {BANK_A.id: "2026-W50"}, "2027-W02", repeat_gap_weeks=6) is None


def test_empty_pool_gives_none() -> None:
    """No queues and no bank: nothing."""
    assert choose_question(Pool([], [], []), {}, WEEK) is None
