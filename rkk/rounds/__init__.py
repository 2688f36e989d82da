"""The weekly round: post exactly once, its lifecycle, rotation, coordinators' controls, status, weeks and dates."""

from rkk.rounds.controls import next_post_moment, paused_on, schedule_override, skipped
from rkk.rounds.dates import WEEKDAYS, InvalidDate, parse_date, parse_past_date
from rkk.rounds.installs import RkkSpec, register_installation
from rkk.rounds.lifecycle import CatchUp, Due, Fenced, Notice, PostUncertain, RoundFacts, Stopped, catch_up, due
from rkk.rounds.ports import CardAnswerSaved, Publisher, RoundMessenger, Store
from rkk.rounds.posting import (
    DEFAULT_POLICY,
    Decision,
    Policy,
    PostOutcome,
    adopt_card,
    open_round_instead,
    post_question,
    resolve_uncertain,
)
from rkk.rounds.question_text import InvalidQuestion, clean_question
from rkk.rounds.rotation import Pool, QuestionSource
from rkk.rounds.status import PauseInfo, PauseLookup, StatusRow, Texts, aligned, format_status_table, load_status
from rkk.rounds.weeks import WeekTimes, iso_week, week_monday, week_number, week_times

__all__ = [
    "DEFAULT_POLICY",
    "WEEKDAYS",
    "CardAnswerSaved",
    "CatchUp",
    "Decision",
    "Due",
    "Fenced",
    "InvalidDate",
    "InvalidQuestion",
    "Notice",
    "PauseInfo",
    "PauseLookup",
    "Policy",
    "Pool",
    "PostOutcome",
    "PostUncertain",
    "Publisher",
    "QuestionSource",
    "RkkSpec",
    "RoundFacts",
    "RoundMessenger",
    "StatusRow",
    "Stopped",
    "Store",
    "Texts",
    "WeekTimes",
    "adopt_card",
    "aligned",
    "catch_up",
    "clean_question",
    "due",
    "format_status_table",
    "iso_week",
    "load_status",
    "next_post_moment",
    "open_round_instead",
    "parse_date",
    "parse_past_date",
    "paused_on",
    "post_question",
    "register_installation",
    "resolve_uncertain",
    "schedule_override",
    "skipped",
    "week_monday",
    "week_number",
    "week_times",
]
