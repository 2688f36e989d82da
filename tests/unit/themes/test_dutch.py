"""Dutch word handling: compounds, plurals, acronyms and the thesaurus."""

from __future__ import annotations

import pytest

from rkk.themes.dutch import lemma_of, words


@pytest.mark.parametrize(
    ("word", "lemma", "parts"),
    [
        ("documentendienst", "documentendienst", ("document", "dienst")),
        ("verwerkersovereenkomsten", "verwerkersovereenkomst", ("verwerker", "overeenkomst")),
        ("phishingsimulatie", "phishingsimulatie", ("phishing", "simulatie")),
        ("digibanken", "digibank", ("digi", "bank")),
    ],
)
def test_unknown_compounds_are_split_and_singularised(word: str, lemma: str, parts: tuple[str, str]) -> None:
    """Compounds simplemma does not know get a singular lemma and their parts."""
    assert lemma_of(word) == (lemma, parts)


def test_known_words_are_not_split_into_false_compounds() -> None:
    """integratie stays one word rather than innen + gratie."""
    assert lemma_of("integratie") == ("integratie", ())


def test_acronyms_keep_their_spelling() -> None:
    """MAGDA and M365 keep the capitals a label needs."""
    found = {w.lemma: w.surface for w in words("MAGDA en Microsoft 365 op de agenda")}
    assert found["magda"] == "MAGDA"
    assert found["m365"] == "M365"


@pytest.mark.parametrize("text", ["GDPR", "de AVG", "tweestapsverificatie", "multi-factor authenticatie"])
def test_thesaurus_spellings_share_one_concept(text: str) -> None:
    """Acronyms and their Dutch expansions become one concept word."""
    lemmas = {w.lemma for w in words(text)}
    assert lemmas & {"avg", "mfa"}
