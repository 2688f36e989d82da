"""Rules an answer must follow before it is stored."""

from __future__ import annotations

import pytest

from rkk.answers.rules import MAX_ANSWER_CHARS, clean_answer
from rkk.errors import InvalidAnswer


def test_clean_answer_trims_surrounding_whitespace() -> None:
    """Leading and trailing spaces and newlines are dropped."""
    assert clean_answer("  \n Wij gebruiken MAGDA sinds 2024.\n\t ") == "Wij gebruiken MAGDA sinds 2024."


def test_clean_answer_keeps_inner_newlines_and_normalises_crlf() -> None:
    """Line breaks inside the answer stay, written as plain newlines."""
    assert clean_answer("Eerste punt.\r\nTweede punt.") == "Eerste punt.\nTweede punt."


def test_clean_answer_keeps_dutch_accents() -> None:
    """Accented characters are stored as typed."""
    assert clean_answer("Eén coördinator, geen reünie.") == "Eén coördinator, geen reünie."


@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n"])
def test_clean_answer_refuses_empty_or_whitespace_with_reason_empty(text: str) -> None:
    """An answer with nothing but whitespace is refused as empty."""
    with pytest.raises(InvalidAnswer) as caught:
        clean_answer(text)
    assert caught.value.params["reason"] == "empty"


def test_clean_answer_accepts_exactly_the_maximum_length() -> None:
    """An answer of 4,000 characters is accepted whole."""
    text = "a" * MAX_ANSWER_CHARS
    assert MAX_ANSWER_CHARS == 4000
    assert clean_answer(text) == text


def test_clean_answer_counts_length_after_trimming() -> None:
    """Whitespace around a 4,000-character answer does not make it too long."""
    assert len(clean_answer("  " + "a" * 4000 + "\n")) == 4000


def test_clean_answer_refuses_one_character_over_the_maximum_with_reason_too_long() -> None:
    """An answer of 4,001 characters is refused, naming the limit and the length."""
    with pytest.raises(InvalidAnswer) as caught:
        clean_answer("a" * 4001)
    assert caught.value.params == {"reason": "too_long", "limit": 4000, "length": 4001}


@pytest.mark.parametrize("value", [None, 42, ["tekst"], b"bytes"])
def test_clean_answer_refuses_values_that_are_not_text(value: object) -> None:
    """Anything but a str (for example a missing card input) is refused."""
    with pytest.raises(InvalidAnswer):
        clean_answer(value)
