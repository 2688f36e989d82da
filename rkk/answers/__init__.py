"""Answers: by card and by thread reply, text rules and cleaning, the member's bestuur, export."""

from rkk.answers.bestuur import UNKNOWN_BESTUUR, bestuur_for
from rkk.answers.by_card import AnswerContext, answer_by_card, load_round_for_action
from rkk.answers.export import FORMATS, write_export
from rkk.answers.html_text import body_to_text, html_to_text
from rkk.answers.replies import Outcome as ReplyOutcome
from rkk.answers.replies import ReplySink

__all__ = [
    "FORMATS",
    "UNKNOWN_BESTUUR",
    "AnswerContext",
    "ReplyOutcome",
    "ReplySink",
    "answer_by_card",
    "bestuur_for",
    "body_to_text",
    "html_to_text",
    "load_round_for_action",
    "write_export",
]
