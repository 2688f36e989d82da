"""Detection on Dutch examples."""

from __future__ import annotations

from rkk.themes import detect_themes

from .conftest import answer

MAGDA = [
    answer("m1", "De MAGDA-documentendienst draait bij ons sinds maart.", "antwerpen", "Brasschaat", "2026-W10"),
    answer("m2", "Wij wachten op de machtiging voor MAGDA-documenten.", "kempen", "Geel", "2026-W10"),
    answer(
        "m3", "Onze leverancier vraagt veel geld voor de documentendienst van MAGDA.", "limburg", "Bree", "2026-W11"
    ),
    answer("m4", "Welke documenten vragen jullie op via de MAGDA documentendienst?", "oost", "Zulte", "2026-W12"),
    answer("m5", "MAGDA documentendienst: wij gaan live via de intercommunale.", "west", "Veurne", "2026-W12"),
]
OTHER = [
    answer("o1", "Het wifi-netwerk in de sporthal is overbelast.", "kempen", "Laakdal", "2026-W10"),
    answer("o2", "Publiek wifi op de markt via WiFi4EU of eigen netwerk?", "limburg", "Zonhoven", "2026-W11"),
]


def test_magda_across_regions_is_one_recurring_theme() -> None:
    """Five besturen in five RKKs writing about the MAGDA documentendienst make one rode draad."""
    themes = detect_themes(MAGDA + OTHER)
    magda = [t for t in themes if "m1" in t.answer_ids]
    assert len(magda) == 1
    assert set(magda[0].answer_ids) == {"m1", "m2", "m3", "m4", "m5"}
    assert magda[0].recurring


def test_magda_label_keeps_acronym_spelling() -> None:
    """The label names the subject in a coordinator's words, with MAGDA in capitals."""
    theme = next(t for t in detect_themes(MAGDA) if "m1" in t.answer_ids)
    assert theme.label == "MAGDA documentendienst"


def test_theme_lists_its_rkks_besturen_and_weeks() -> None:
    """A theme carries the evidence: RKKs, besturen, first and last week."""
    theme = next(t for t in detect_themes(MAGDA) if "m1" in t.answer_ids)
    assert theme.rkks == ("antwerpen", "kempen", "limburg", "oost", "west")
    assert theme.besturen == ("Brasschaat", "Bree", "Geel", "Veurne", "Zulte")
    assert (theme.first_week, theme.last_week) == ("2026-W10", "2026-W12")


def test_unrelated_subjects_stay_apart() -> None:
    """Wifi answers do not join the MAGDA theme."""
    themes = detect_themes(MAGDA + OTHER)
    assert not any({"m1", "o1"} <= set(t.answer_ids) for t in themes)
