"""Which question an RKK gets next."""

from __future__ import annotations

from rkk.model import Question
from rkk.rounds.rotation import next_question

MAGDA = Question(1, "magda", "Gebruiken jullie de MAGDA-documentendienst al?")
PHISHING = Question(2, "phishing", "Hoe vaak organiseren jullie een phishingsimulatie?")
MFA = Question(3, "mfa", "Is MFA verplicht voor alle medewerkers?")


def test_next_question_is_none_without_candidates() -> None:
    """No candidates means no question."""
    assert next_question([], {}) is None


def test_next_question_takes_the_first_candidate_when_none_was_asked() -> None:
    """With a fresh RKK the bank order decides."""
    assert next_question([MAGDA, PHISHING, MFA], {}) == MAGDA


def test_next_question_takes_the_first_never_asked_candidate_in_order() -> None:
    """Questions already asked are skipped while unasked ones remain, in preference order."""
    last_asked = {MAGDA.id: "2026-W40", MFA.id: "2026-W41"}
    assert next_question([MAGDA, MFA, PHISHING], last_asked) == PHISHING


def test_next_question_prefers_never_asked_over_asked_long_ago() -> None:
    """A question never asked beats one asked years ago."""
    last_asked = {MAGDA.id: "2019-W01"}
    assert next_question([MAGDA, PHISHING], last_asked) == PHISHING


def test_next_question_takes_the_one_asked_longest_ago_when_all_were_asked() -> None:
    """Once every question was asked, the one asked longest ago comes back first."""
    last_asked = {MAGDA.id: "2026-W45", PHISHING.id: "2026-W43", MFA.id: "2026-W44"}
    assert next_question([MAGDA, PHISHING, MFA], last_asked) == PHISHING


def test_next_question_compares_weeks_across_years() -> None:
    """A question asked in 2026-W53 is more recent than one asked in 2026-W10."""
    last_asked = {MAGDA.id: "2026-W53", PHISHING.id: "2027-W01", MFA.id: "2026-W10"}
    assert next_question([MAGDA, PHISHING, MFA], last_asked) == MFA


def test_next_question_breaks_ties_by_candidate_order() -> None:
    """Two questions last asked in the same week: the earlier candidate wins."""
    last_asked = {MAGDA.id: "2026-W45", PHISHING.id: "2026-W40", MFA.id: "2026-W40"}
    assert next_question([MAGDA, MFA, PHISHING], last_asked) == MFA


def test_next_question_ignores_history_of_questions_that_are_not_candidates() -> None:
    """Weeks of questions that are no longer candidates do not matter."""
    last_asked = {99: "2020-W01", MAGDA.id: "2026-W45"}
    assert next_question([MAGDA], last_asked) == MAGDA
