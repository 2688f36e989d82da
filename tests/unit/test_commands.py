"""Parsing what a person types into a command."""

from __future__ import annotations

import pytest

from bot.commands.registry import MAX_COMMAND_CHARS, normalise, parse_command


def name_of(text: str) -> str | None:
    """The name of the command parsed from the text, or None."""
    command = parse_command(text).command
    return command.name if command else None


@pytest.mark.parametrize("text", ["post nu", "Post  NÚ", "POST NU", "post now", "Post Now", "nu posten"])
def test_post_now_phrases_are_recognised_whatever_case_accents_or_spacing(text: str) -> None:
    """Dutch and English phrases for post now are found despite case, accents and extra spaces."""
    assert name_of(text) == "post_now"


@pytest.mark.parametrize("text", [" post nu", "  post nu  ", "\npost nu\n", "\xa0post nu", "post\xa0nu"])
def test_post_now_is_recognised_in_what_is_left_after_the_mention_is_removed(text: str) -> None:
    """Removing "<at>Vraag van de week</at>" leaves spaces around the command, which do not matter."""
    assert name_of(text) == "post_now"


@pytest.mark.parametrize("text", ["help", "hulp", "Help", "HULP", "?"])
def test_help_phrases_are_recognised(text: str) -> None:
    """help, hulp and ? all ask for help."""
    assert name_of(text) == "help"


@pytest.mark.parametrize("text", ["thema's", "Thema’s", "THEMA'S", "themas", "thema", "themes", "Themes"])
def test_themes_phrases_are_recognised_with_either_apostrophe(text: str) -> None:
    """thema's (also typed with a curly apostrophe, or without one), thema and themes all ask for the themes."""
    assert name_of(text) == "themes"


def test_command_without_arguments_has_empty_args() -> None:
    """Nothing after the phrase means no arguments."""
    assert parse_command("post nu").args == ""


def test_arguments_keep_their_original_case_and_spacing_inside() -> None:
    """The text after the phrase is handed on as typed."""
    assert parse_command("Post  NÚ  RKK Kempen-Noord").args == "RKK Kempen-Noord"


def test_phrase_must_end_at_a_word_boundary() -> None:
    """ "post nummer" is not "post nu" followed by "mmer"."""
    assert parse_command("post nummer 5").command is None


def test_vraag_is_not_a_command_yet() -> None:
    """ "vraag ..." is unknown and handed back whole, with its original case."""
    parsed = parse_command("vraag Hoe beheren jullie Intune?")
    assert parsed.command is None
    assert parsed.args == "vraag Hoe beheren jullie Intune?"


@pytest.mark.parametrize(("typo", "suggestion"), [("post nuu", "post nu"), ("pots nu", "post nu"), ("post", "post nu")])
def test_post_now_typos_get_a_suggestion(typo: str, suggestion: str) -> None:
    """A near miss suggests the phrase that was probably meant."""
    parsed = parse_command(typo)
    assert parsed.command is None
    assert parsed.suggestion == suggestion


@pytest.mark.parametrize("typo", ["hlep", "hepl", "hlup"])
def test_help_typos_suggest_a_help_phrase(typo: str) -> None:
    """A mistyped help suggests help or hulp."""
    assert parse_command(typo).suggestion in ("help", "hulp")


@pytest.mark.parametrize("text", ["blabla", "wat is het weer morgen", "xyz", "nu"])
def test_nonsense_gets_no_suggestion(text: str) -> None:
    """Text that resembles no command gets no "did you mean"."""
    parsed = parse_command(text)
    assert parsed.command is None
    assert parsed.suggestion is None


def test_text_over_the_limit_is_too_long_and_not_parsed() -> None:
    """More than 1,000 characters is refused as too long, even if it starts with a command."""
    parsed = parse_command("post nu " + "x" * MAX_COMMAND_CHARS)
    assert parsed.too_long
    assert parsed.command is None


def test_text_at_the_limit_is_parsed() -> None:
    """Exactly 1,000 characters is still a command."""
    text = "help " + "x" * (MAX_COMMAND_CHARS - 5)
    assert len(text) == MAX_COMMAND_CHARS
    parsed = parse_command(text)
    assert not parsed.too_long
    assert name_of(text) == "help"


def test_normalise_lowers_strips_accents_and_collapses_spaces() -> None:
    """Normalisation is what phrases are compared against."""
    assert normalise("  Post \t NÚ\n ") == "post nu"
