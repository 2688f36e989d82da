"""The question-of-the-week card in its views: open, answered, editing, with a message, closed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.literal import literal
from cards.template import expand, load_template
from i18n.catalog import Catalog
from rkk.rounds import week_number


@dataclass(frozen=True)
class QuestionView:
    """What one viewer of the card should see."""

    round_id: int
    rkk_name: str
    week: str
    question: str
    count: int
    answer: str | None = None  # the viewer's stored answer (None: show the input)
    editing: bool = False  # show the input, prefilled with the answer
    notice: str = ""  # a success message
    error: str = ""  # why the last action was refused
    draft: str = ""  # text to put back in the input after a refusal
    closed: bool = False  # the week is over: no input, no buttons, the final count


def question_card(view: QuestionView, texts: Catalog, lang: str) -> dict[str, Any]:
    """The Adaptive Card (schema 1.5) for this view."""
    show_answer = view.answer is not None and not view.editing and not view.closed
    show_input = not show_answer and not view.closed
    prefill = view.draft or (view.answer if view.editing and view.answer else "")
    data = {
        "roundId": view.round_id,
        "title": texts.text("card_title", lang),
        "meta": literal(texts.text("card_week", lang, rkk=view.rkk_name, week_number=week_number(view.week))),
        "question": literal(view.question),
        "notice": view.notice,
        "error": view.error,
        "showAnswer": show_answer,
        "showInput": show_input,
        "isOpen": not view.closed,
        "closed": view.closed,
        "closedText": texts.count("rounds_card_closed", view.count, lang) if view.closed else "",
        "answerLabel": texts.text("card_answer_label", lang),
        "answer": literal(view.answer or ""),
        "placeholder": texts.text("card_answer_placeholder", lang),
        "draft": prefill,
        "countText": texts.count("card_answers", view.count, lang) if not view.closed else "",
        "replyHint": texts.text("card_reply_hint", lang),
        "submitTitle": texts.text("card_submit", lang),
        "editTitle": texts.text("card_edit", lang),
    }
    card: dict[str, Any] = expand(load_template("question"), data)
    return card
