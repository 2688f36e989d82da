"""Dates as coordinators type them, in Dutch or English: "volgende week", "1 juli", "24/12", "2027-01-04"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from rkk.errors import RkkError

_MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december")  # fmt: skip
_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")  # fmt: skip
_MONTH_ABBREVIATIONS = {"mrt": 3, "mar": 3, "sept": 9, "okt": 10, "oct": 10}
MONTHS = {
    **{name: i for names in (_MONTHS_NL, _MONTHS_EN) for i, name in enumerate(names, 1)},
    **{name[:3]: i for i, name in enumerate(_MONTHS_NL, 1)},
    **_MONTH_ABBREVIATIONS,
}
WEEKDAYS = {
    **{
        name: i
        for i, name in enumerate(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"))
    },
    **{
        name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
}
RELATIVE = {
    "vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2,
    "gisteren": -1, "yesterday": -1, "eergisteren": -2,
}  # fmt: skip


class InvalidDate(RkkError):
    """A date that cannot be read, or that lies on the wrong side of today (past, or future when looking back)."""

    code = "invalid_date"


def parse_date(text: str, today: date) -> date:
    """The date meant by `text`, relative to `today`; raises InvalidDate (reason "unreadable" or "past")."""
    words = " ".join(text.lower().replace(",", " ").split())
    day = _parse(words, today)
    if day is None:
        raise InvalidDate(text, reason="unreadable", text=text)
    if day < today:
        raise InvalidDate(text, reason="past", text=text, date=day.isoformat())
    return day


def parse_past_date(text: str, today: date) -> date:
    """The date meant by `text`, at or before `today` ("1 september" is the last one); raises InvalidDate."""
    words = " ".join(text.lower().replace(",", " ").split())
    day = _parse(words, today, past=True)
    if day is None:
        raise InvalidDate(text, reason="unreadable", text=text)
    if day > today:
        raise InvalidDate(text, reason="future", text=text, date=day.isoformat())
    return day


def _parse(words: str, today: date, past: bool = False) -> date | None:
    if words in RELATIVE:
        return today + timedelta(days=RELATIVE[words])
    if words in ("volgende week", "next week"):
        return today + timedelta(days=7 - today.weekday())  # next Monday
    if words in ("volgende maand", "next month"):
        return date(today.year + today.month // 12, today.month % 12 + 1, 1)
    weekday = words.removeprefix("volgende ").removeprefix("next ")
    if weekday in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[weekday] - today.weekday() - 1) % 7 + 1)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?", words):
        return _with_year(int(match[1]), int(match[2]), match[3], today, past)
    if (match := re.fullmatch(r"(\d{1,2}) ([a-z]+)\.?(?: (\d{4}))?", words)) and match[2] in MONTHS:
        return _with_year(int(match[1]), MONTHS[match[2]], match[3], today, past)
    return None


def _with_year(day: int, month: int, year: str | None, today: date, past: bool) -> date | None:
    """A day and month in the given year, else the next (or, looking back, the last) time that day comes round."""
    if year is not None:
        return _date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    candidate = _date(today.year, month, day)
    if candidate is not None and past and candidate > today:
        candidate = _date(today.year - 1, month, day)
    elif candidate is not None and not past and candidate < today:
        candidate = _date(today.year + 1, month, day)
    return candidate


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
