"""Labels and descriptions: named as people name a topic, described in the answers' own words."""

from __future__ import annotations

from dataclasses import replace

from rkk.themes import Theme, ThemeAnswer, ThemeQuestion, detect_themes, featurize

from .conftest import answer

BACKUPS = [
    answer("b1", "Onze back-ups staan sinds kort ook offline, los van het netwerk.", "antwerpen", "Boom", "2026-W10"),
    answer("b2", "Wie test zijn backups geregeld door echt een server terug te zetten?", "kempen", "Mol", "2026-W10"),
    answer("b3", "We bewaren een reservekopie in een tweede datacenter.", "limburg", "Genk", "2026-W11"),
    answer("b4", "De back-up van de mailboxen zit niet standaard in Microsoft 365.", "oost", "Aalst", "2026-W11"),
    answer("b5", "Back-ups onveranderbaar maken tegen gijzelsoftware, doen jullie dat?", "west", "Ieper", "2026-W12"),
]
METERS = [
    answer("s1", "De slimme meters in de sporthal sturen hun data niet door.", "antwerpen", "Boom", "2026-W10"),
    answer("s2", "Slimme meters voor water en gas: wie leest ze zelf uit?", "kempen", "Mol", "2026-W10"),
    answer("s3", "Wij plaatsen slimme meters in alle scholen van de gemeente.", "limburg", "Genk", "2026-W11"),
    answer("s4", "Hoe beveiligen jullie de slimme meters in de gebouwen?", "oost", "Aalst", "2026-W11"),
    answer("s5", "De meters van de zwembaden willen we op afstand uitlezen.", "west", "Ieper", "2026-W12"),
]


def _theme_of(answers: list[ThemeAnswer], first: str) -> Theme:
    return next(t for t in detect_themes(answers) if first in t.answer_ids)


def test_a_concept_is_named_by_the_thesaurus() -> None:
    """Back-ups in four spellings are one theme, named as the thesaurus names the topic."""
    assert _theme_of(BACKUPS, "b1").label == "Back-ups"


def test_a_phrase_keeps_the_answers_word_order_and_spelling() -> None:
    """A subject the thesaurus does not know is named as the answers write it: no lemmas, no word pairs."""
    assert _theme_of(METERS, "s1").label == "Slimme meters"


def test_a_description_counts_and_quotes_an_answer() -> None:
    """The description gives besturen and RKKs, then one sentence of an answer, word for word."""
    theme = _theme_of(METERS, "s1")
    head, _, quote = theme.description.partition(", bv. ")
    assert head == "5 besturen uit 5 RKK's"
    bestuur, _, sentence = quote.partition(": ")
    sentence = sentence.strip("“”")
    assert any(sentence in a.text and a.bestuur == bestuur for a in METERS)


def test_a_description_uses_singular_counts() -> None:
    """One RKK is written as "1 RKK", not "1 RKK's"."""
    local = [answer(a.id, a.text, "kempen", a.bestuur, a.week) for a in METERS]
    assert _theme_of(local, "s1").description.startswith("5 besturen uit 1 RKK,")


def test_the_questions_words_do_not_make_the_theme() -> None:
    """Words an answer repeats from its question weigh as generic words and never make a theme coherent;
    the question's plain words never name one, a thesaurus concept it names (the BBC's meerjarenplan) may."""
    question = ThemeQuestion("q1", "Wat staat er in jullie meerjarenplan en waar twijfelen jullie nog over?")
    text = "Twijfel: het meerjarenplan voorziet te weinig voor slimme meters."
    plain = featurize(answer("a", text))
    asked = featurize(replace(answer("a", text), question_id="q1"), {"q1": question})
    assert {"bbc", "twijfelen"} <= set(plain.terms) and {"bbc", "twijfelen"} <= plain.core
    assert not {"bbc", "twijfelen"} & asked.core
    assert "twijfelen" not in asked.terms and "bbc" in asked.terms
    assert "meter" in asked.core
