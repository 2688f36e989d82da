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
    """MAGDA and an acronym the thesaurus does not know (CMDB) keep the capitals a label needs."""
    found = {w.lemma: w.surface for w in words("MAGDA en de CMDB op de agenda")}
    assert found["magda"] == "MAGDA"
    assert found["cmdb"] == "CMDB"


def test_concepts_are_named_as_a_topic() -> None:
    """A thesaurus concept carries the name a person gives the topic, whatever the spelling used."""
    assert {(w.lemma, w.surface) for w in words("M365 en o365") if w.concept} == {("m365", "Microsoft 365")}


@pytest.mark.parametrize(
    ("word", "concept"),
    [("cloudtelefonie", "telefonie"), ("telefoniecentrale", "telefonie"), ("phishingsimulatie", "phishing")],
)
def test_a_concept_inside_a_compound_is_found(word: str, concept: str) -> None:
    """A one-word thesaurus name inside a compound counts as that concept."""
    (found,) = words(word)
    assert concept in (found.lemma, *found.parts)


def test_a_typing_error_in_a_long_name_still_finds_the_concept() -> None:
    """souvereiniteit is one letter from soevereiniteit."""
    assert [w.lemma for w in words("souvereiniteit")] == ["soevereiniteit"]


def test_a_broader_concept_comes_along() -> None:
    """Copilot is also AI."""
    (found,) = words("Copilot")
    assert found.parts == ("ai",)


@pytest.mark.parametrize("text", ["GDPR", "de AVG", "tweestapsverificatie", "multi-factor authenticatie"])
def test_thesaurus_spellings_share_one_concept(text: str) -> None:
    """Acronyms and their Dutch expansions become one concept word."""
    lemmas = {w.lemma for w in words(text)}
    assert lemmas & {"avg", "mfa"}
