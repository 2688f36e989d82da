"""Dates and times as members read them, in Dutch or English, in Brussels time."""

from __future__ import annotations

from datetime import date, datetime

_WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip


def weekday_name(weekday: int, lang: str) -> str:
    """The name of a weekday (0 = Monday)."""
    return _WEEKDAYS.get(lang, _WEEKDAYS["nl"])[weekday]


def format_day(day: date, lang: str) -> str:
    """ "maandag 30 november 2026" / "Monday 30 November 2026"."""
    return f"{weekday_name(day.weekday(), lang)} {day.day} {_MONTHS.get(lang, _MONTHS['nl'])[day.month - 1]} {day.year}"


def format_moment(moment: datetime, lang: str) -> str:
    """A day with its time: "maandag 30 november 2026 om 09:00" / "... at 09:00"."""
    joiner = "at" if lang == "en" else "om"
    return f"{format_day(moment.date(), lang)} {joiner} {moment:%H:%M}"


def format_date(day: date, lang: str) -> str:
    """ "30 november 2026" / "30 November 2026"."""
    return f"{day.day} {_MONTHS.get(lang, _MONTHS['nl'])[day.month - 1]} {day.year}"


def format_month(day: date, lang: str, short: bool = False) -> str:
    """The month of a day: "november 2026", or "nov 2026" when short."""
    name = _MONTHS.get(lang, _MONTHS["nl"])[day.month - 1]
    return f"{name[:3] if short else name} {day.year}"
