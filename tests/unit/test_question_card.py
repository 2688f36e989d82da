"""The question-of-the-week card in its views."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cards.question import QuestionView, question_card
from i18n.catalog import Catalog

QUESTION = "Hoe beheren jullie laptops en smartphones van medewerkers: Intune of een ander MDM-pakket?"


def view(**changes: Any) -> QuestionView:
    """A view of round 7 in RKK Kempen, week 48, with two answers; fields overridable."""
    base: dict[str, Any] = {
        "round_id": 7,
        "rkk_name": "RKK Kempen",
        "week": "2026-W48",
        "question": QUESTION,
        "count": 2,
    }
    return QuestionView(**{**base, **changes})


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every element (mapping) in the card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def of_type(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The card's elements of one type."""
    return [element for element in walk(card) if element.get("type") == kind]


def actions(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The card's Action.Execute actions in the action bar, by verb."""
    return {action["verb"]: action for action in card.get("actions", [])}


def text_blocks(card: dict[str, Any]) -> list[str]:
    """The text of every TextBlock."""
    return [element["text"] for element in of_type(card, "TextBlock")]


def text_runs(card: dict[str, Any]) -> list[str]:
    """The text of every TextRun."""
    return [element["text"] for element in of_type(card, "TextRun")]


def test_card_is_adaptive_card_1_5(texts: Catalog) -> None:
    """Teams gets an Adaptive Card of schema version 1.5."""
    card = question_card(view(), texts, "nl")
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.5")


def test_card_leaves_no_placeholder_unexpanded(texts: Catalog) -> None:
    """No "${...}" survives expansion in any view."""
    for shown in (view(), view(answer="Ja"), view(answer="Ja", editing=True), view(error="Fout", draft="x")):
        assert "${" not in repr(question_card(shown, texts, "nl"))


def test_open_view_has_the_answer_input(texts: Catalog) -> None:
    """Before answering, the card has a multiline Input.Text with id "answer"."""
    inputs = of_type(question_card(view(), texts, "nl"), "Input.Text")
    assert [(i["id"], i["isMultiline"], i["maxLength"]) for i in inputs] == [("answer", True, 4000)]


def test_open_view_sends_the_answer_with_the_round_id(texts: Catalog) -> None:
    """The submit action is Action.Execute with verb "answer" and the round id as a number."""
    card = question_card(view(), texts, "nl")
    answer = actions(card)["answer"]
    assert answer["type"] == "Action.Execute"
    assert answer["data"] == {"roundId": 7}
    assert answer["title"] == "Antwoord versturen"


def test_open_view_has_no_edit_button(texts: Catalog) -> None:
    """Without an answer there is nothing to edit."""
    assert set(actions(question_card(view(), texts, "nl"))) == {"answer"}


def test_card_refreshes_with_the_round_id(texts: Catalog) -> None:
    """The refresh action lets Teams fetch each viewer's own view of this round."""
    refresh = question_card(view(), texts, "nl")["refresh"]["action"]
    assert (refresh["verb"], refresh["data"]) == ("refresh", {"roundId": 7})


def test_card_shows_the_question_and_the_week(texts: Catalog) -> None:
    """The question and "RKK · week N" are on the card."""
    runs = text_runs(question_card(view(), texts, "nl"))
    assert QUESTION in runs
    assert "RKK Kempen · week 48" in runs


def test_answered_view_shows_the_answer_and_an_edit_button_without_input(texts: Catalog) -> None:
    """After answering, the viewer sees their answer and "Antwoord aanpassen", not the input."""
    card = question_card(view(answer="Wij gebruiken Intune sinds 2023."), texts, "nl")
    assert "Wij gebruiken Intune sinds 2023." in text_runs(card)
    assert of_type(card, "Input.Text") == []
    assert set(actions(card)) == {"edit"}
    assert actions(card)["edit"]["data"] == {"roundId": 7}
    assert actions(card)["edit"]["title"] == "Antwoord aanpassen"


def test_answered_view_drops_the_reply_hint(texts: Catalog) -> None:
    """The hint to reply in the thread belongs to the open view only."""
    hint = texts.text("card_reply_hint", "nl")
    assert hint in text_blocks(question_card(view(), texts, "nl"))
    assert hint not in text_blocks(question_card(view(answer="Ja."), texts, "nl"))


def test_editing_view_prefills_the_input_with_the_answer(texts: Catalog) -> None:
    """Editing shows the input again with the stored answer in it, and the submit button."""
    card = question_card(view(answer="Wij gebruiken Intune.", editing=True), texts, "nl")
    (answer_input,) = of_type(card, "Input.Text")
    assert answer_input["value"] == "Wij gebruiken Intune."
    assert set(actions(card)) == {"answer"}


def test_open_view_has_an_empty_input(texts: Catalog) -> None:
    """Without an answer or draft the input starts empty."""
    (answer_input,) = of_type(question_card(view(), texts, "nl"), "Input.Text")
    assert answer_input["value"] == ""


def test_error_view_shows_the_error_and_keeps_the_draft(texts: Catalog) -> None:
    """A refused answer shows why and puts the typed text back."""
    error = texts.text("answer_too_long", "nl", length=4100, limit=4000)
    card = question_card(view(error=error, draft="x" * 4100), texts, "nl")
    assert error in text_blocks(card)
    assert of_type(card, "Input.Text")[0]["value"] == "x" * 4100


def test_notice_is_shown_when_given(texts: Catalog) -> None:
    """A success message appears as a TextBlock."""
    notice = texts.text("card_saved", "nl")
    assert notice in text_blocks(question_card(view(answer="Ja.", notice=notice), texts, "nl"))


def test_no_empty_notice_or_error_blocks_without_messages(texts: Catalog) -> None:
    """Without a notice or error no empty TextBlock is left on the card."""
    assert all(text for text in text_blocks(question_card(view(), texts, "nl")))


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "Nog geen antwoorden. Wees de eerste!"), (1, "1 antwoord tot nu toe"), (3, "3 antwoorden tot nu toe")],
)
def test_count_text_is_counted_in_dutch(texts: Catalog, count: int, expected: str) -> None:
    """Zero, one and many answers each have their own Dutch phrase."""
    assert expected in text_blocks(question_card(view(count=count), texts, "nl"))


MEMBER_TEXT = "**vet** [link](http://x) <at>x</at>"


def test_member_question_text_never_lands_in_a_text_block(texts: Catalog) -> None:
    """Markdown, links and mentions in the question only appear inside TextRuns, which render literally."""
    card = question_card(view(question=MEMBER_TEXT), texts, "nl")
    assert MEMBER_TEXT in text_runs(card)
    assert not any(part in block for block in text_blocks(card) for part in ("**vet**", "](http://x)", "<at>"))


def test_member_answer_text_never_lands_in_a_text_block(texts: Catalog) -> None:
    """The viewer's answer is shown in a TextRun, never in a Markdown TextBlock."""
    card = question_card(view(answer=MEMBER_TEXT), texts, "nl")
    assert MEMBER_TEXT in text_runs(card)
    assert not any(part in block for block in text_blocks(card) for part in ("**vet**", "](http://x)", "<at>"))


def test_member_rkk_name_never_lands_in_a_text_block(texts: Catalog) -> None:
    """A team name with Markdown stays in the TextRun of the week line."""
    card = question_card(view(rkk_name="**RKK** <at>x</at>"), texts, "nl")
    assert not any("<at>" in block or "**RKK**" in block for block in text_blocks(card))


def test_member_text_with_date_functions_is_broken_up(texts: Catalog) -> None:
    """ "{{DATE(...)}}" in an answer is shown but cannot be evaluated by Teams."""
    card = question_card(view(answer="tegen {{DATE(2026-11-23T09:00:00Z)}}"), texts, "nl")
    assert not any("{{" in run for run in text_runs(card))


def test_member_text_with_template_syntax_is_shown_as_typed(texts: Catalog) -> None:
    """An answer containing "${title}" is not filled in by the template."""
    card = question_card(view(answer="${title}"), texts, "nl")
    assert "${title}" in text_runs(card)


def test_english_viewer_gets_the_english_catalogue(texts: Catalog) -> None:
    """With lang "en" every catalogue text is English."""
    card = question_card(view(count=3), texts, "en")
    blocks = text_blocks(card)
    assert "Question of the week" in blocks
    assert "3 answers so far" in blocks
    assert actions(card)["answer"]["title"] == "Send answer"
    assert of_type(card, "Input.Text")[0]["label"] == "Your answer"


def test_english_answered_view_has_an_english_edit_button(texts: Catalog) -> None:
    """The edit button speaks the viewer's language."""
    assert actions(question_card(view(answer="Yes."), texts, "en"))["edit"]["title"] == "Edit answer"
