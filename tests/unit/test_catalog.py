"""The message catalogue."""

from __future__ import annotations

import string

import pytest
import yaml

import i18n.catalog
from i18n.catalog import LANGUAGES, Catalog, language_for, load_catalog

MESSAGES: dict[str, dict[str, str]] = {}
for _file in sorted(i18n.catalog.MESSAGES.glob("*.yaml")):
    with _file.open(encoding="utf-8") as handle:
        MESSAGES.update(yaml.safe_load(handle) or {})


def placeholders(text: str) -> set[str]:
    """The names of the {placeholders} in a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_dutch_and_english_text(key: str) -> None:
    """Each key has a non-empty text in both languages and no others."""
    assert set(MESSAGES[key]) == set(LANGUAGES)
    assert all(isinstance(MESSAGES[key][lang], str) and MESSAGES[key][lang].strip() for lang in LANGUAGES)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_dutch_and_english_use_the_same_placeholders(key: str) -> None:
    """A placeholder filled for one language is filled for the other too."""
    assert placeholders(MESSAGES[key]["nl"]) == placeholders(MESSAGES[key]["en"])


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_placeholders_are_plain_names(key: str) -> None:
    """Placeholders are named, not positional or indexed, so str.format(**params) fills them."""
    for text in MESSAGES[key].values():
        assert all(name.isidentifier() for name in placeholders(text))


@pytest.mark.parametrize("key", ["card_answers"])
def test_counted_phrases_have_zero_one_and_many(key: str) -> None:
    """A counted phrase exists in all three forms."""
    assert {f"{key}_zero", f"{key}_one", f"{key}_many"} <= set(MESSAGES)


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("en-US", "en"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("nl-BE", "nl"),
        ("nl-NL", "nl"),
        ("fr-BE", "nl"),
        (None, "nl"),
        ("", "nl"),
    ],
)
def test_language_for_is_english_only_for_english_locales(locale: str | None, lang: str) -> None:
    """English locales get English; everything else, and no locale, gets Dutch."""
    assert language_for(locale) == lang


def test_text_fills_placeholders() -> None:
    """Placeholders are filled from keyword arguments."""
    assert load_catalog().text("posted", "nl", week="2026-W48", rkk="RKK Kempen") == (
        "De vraag van week 2026-W48 staat online in RKK Kempen."
    )


def test_text_defaults_to_dutch() -> None:
    """Without a language the Dutch text is given."""
    assert load_catalog().text("card_title") == "Vraag van de week"


def test_count_picks_zero_one_or_many() -> None:
    """count() chooses the form by number and fills {count}."""
    texts = load_catalog()
    assert [texts.count("card_answers", n, "en") for n in (0, 1, 12)] == [
        "No answers yet. Be the first!",
        "1 answer so far",
        "12 answers so far",
    ]


def test_catalog_refuses_a_message_missing_a_language() -> None:
    """A catalogue where a key lacks English is refused, naming the key and language."""
    with pytest.raises(ValueError, match=r"groet\.en"):
        Catalog({"groet": {"nl": "Hallo"}})
