"""Timestamps going into and coming back from the database."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """Aware UTC: SQLite hands back naive datetimes, and everything stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_utc_or_none(moment: datetime | None) -> datetime | None:
    """`as_utc` for a column that may be empty."""
    return None if moment is None else as_utc(moment)
