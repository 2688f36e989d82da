"""The safe Adaptive Card Templating subset and literal member text."""

from __future__ import annotations

import re

import pytest

from cards.literal import literal
from cards.template import TemplateError, expand


def test_whole_string_placeholder_keeps_the_value_type() -> None:
    """ "${n}" alone becomes the value itself, so an int stays an int."""
    assert expand({"roundId": "${roundId}"}, {"roundId": 42}) == {"roundId": 42}


def test_whole_string_placeholder_can_insert_a_list() -> None:
    """A list value is inserted as a list, for FactSet facts."""
    facts = [{"title": "help", "value": "Dit overzicht."}]
    assert expand({"facts": "${facts}"}, {"facts": facts}) == {"facts": facts}


def test_partial_placeholders_are_replaced_by_text() -> None:
    """Placeholders inside a longer string become the values' text."""
    assert expand("${rkk} · week ${n}", {"rkk": "RKK Kempen", "n": 48}) == "RKK Kempen · week 48"


def test_when_drops_an_element_whose_value_is_falsy() -> None:
    """An element with a falsy "$when" disappears from its list."""
    template = [{"type": "TextBlock", "$when": "${error}", "text": "${error}"}, {"type": "TextBlock", "text": "x"}]
    assert expand(template, {"error": ""}) == [{"type": "TextBlock", "text": "x"}]


@pytest.mark.parametrize("value", [False, 0, "", None, []])
def test_when_drops_the_element_for_every_falsy_value(value: object) -> None:
    """False, 0, "", None and [] all hide the element."""
    assert expand([{"$when": "${show}", "text": "a"}], {"show": value}) == []


def test_when_drops_a_falsy_value_from_a_mapping() -> None:
    """A dropped element under a key removes the key."""
    template = {"action": {"$when": "${show}", "verb": "edit"}, "type": "AdaptiveCard"}
    assert expand(template, {"show": False}) == {"type": "AdaptiveCard"}


def test_when_key_is_removed_from_kept_elements() -> None:
    """A kept element no longer carries its "$when"."""
    assert expand([{"$when": "${show}", "text": "${t}"}], {"show": True, "t": "zichtbaar"}) == [{"text": "zichtbaar"}]


def test_dropped_root_becomes_none() -> None:
    """A template whose root is dropped expands to None."""
    assert expand({"$when": "${show}"}, {"show": False}) is None


def test_missing_value_raises_template_error_naming_it() -> None:
    """A placeholder without a value is an error that names the placeholder."""
    with pytest.raises(TemplateError, match="question"):
        expand({"text": "Vraag: ${question}"}, {})


def test_missing_when_value_raises_template_error() -> None:
    """A "$when" naming a missing value is an error too, not a silent drop."""
    with pytest.raises(TemplateError):
        expand([{"$when": "${show}"}], {})


def test_inserted_value_with_placeholder_syntax_is_not_expanded_again() -> None:
    """A whole-string value that looks like "${x}" is inserted literally."""
    assert expand({"text": "${answer}"}, {"answer": "${secret}", "secret": "LEK"}) == {"text": "${secret}"}


def test_partially_inserted_value_with_placeholder_syntax_is_not_expanded_again() -> None:
    """Text inserted into a longer string is not scanned for placeholders."""
    result = expand("Antwoord: ${answer}", {"answer": "${secret} en ${onbekend}", "secret": "LEK"})
    assert result == "Antwoord: ${secret} en ${onbekend}"


def test_non_string_leaves_are_copied_unchanged() -> None:
    """Numbers, booleans and null in a template stay as they are."""
    assert expand({"maxLength": 4000, "wrap": True, "x": None}, {}) == {"maxLength": 4000, "wrap": True, "x": None}


def test_expand_does_not_change_the_template() -> None:
    """The template can be reused: expansion makes a copy."""
    template = {"body": [{"$when": "${show}", "text": "${t}"}]}
    expand(template, {"show": True, "t": "x"})
    assert template == {"body": [{"$when": "${show}", "text": "${t}"}]}


def test_literal_breaks_up_adaptive_card_date_functions() -> None:
    """ "{{DATE(...)}}" in member text can no longer be read as a function by Teams."""
    text = literal("Deadline {{DATE(2026-11-23T09:00:00Z, SHORT)}} en {{TIME(2026-11-23T09:00:00Z)}}")
    assert "{{" not in text
    assert "}}" not in text


def test_literal_keeps_text_visibly_the_same() -> None:
    """Only zero-width spaces are added, so the text reads as typed."""
    typed = "Zie {{DATE(2026-11-23T09:00:00Z)}} **vet** [link](http://x) <at>x</at>"
    assert literal(typed).replace("\u200b", "") == typed


def test_literal_leaves_single_braces_alone() -> None:
    """Text without double braces is unchanged."""
    assert literal("Een {accolade} en *ster*") == "Een {accolade} en *ster*"


@pytest.mark.parametrize(
    "typed",
    ["{{DATE(2026-11-23T09:00:00Z)}}", "{{{DATE(2026-11-23T09:00:00Z)}}}", "{{{{TIME(2026-11-23T09:00:00Z)}}}}"],
)
def test_literal_leaves_no_complete_date_or_time_function_even_with_extra_braces(typed: str) -> None:
    """However many braces surround it, no "{{DATE(...)}}" or "{{TIME(...)}}" survives."""
    assert re.search(r"\{\{(DATE|TIME)\([^)]*\)\}\}", literal(typed)) is None
