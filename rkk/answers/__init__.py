"""Answers: by card and by thread reply, text rules and cleaning, the member's bestuur, export, retention."""

from rkk.answers.bestuur import UNKNOWN_BESTUUR, bestuur_for, bestuur_of
from rkk.answers.by_card import AnswerContext, answer_by_card, load_round_for_action
from rkk.answers.export import COLUMNS, FORMATS, write_export
from rkk.answers.html_text import body_to_text, html_to_text
from rkk.answers.replies import Outcome as ReplyOutcome
from rkk.answers.replies import ReplySink
from rkk.answers.retention import (
    DEFAULT_RETENTION_MONTHS,
    RetentionReport,
    RetentionStore,
    apply_retention,
    retention_cutoff,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_RETENTION_MONTHS",
    "FORMATS",
    "UNKNOWN_BESTUUR",
    "AnswerContext",
    "ReplyOutcome",
    "ReplySink",
    "RetentionReport",
    "RetentionStore",
    "answer_by_card",
    "apply_retention",
    "bestuur_for",
    "bestuur_of",
    "body_to_text",
    "html_to_text",
    "load_round_for_action",
    "retention_cutoff",
    "write_export",
]
