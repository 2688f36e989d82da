"""The RKK configuration file: its model and a validator whose errors name file, line and setting."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config.yaml_nodes import ConfigError, Located, Path_, load_located
from rkk.answers import DEFAULT_RETENTION_MONTHS
from rkk.rounds import RkkSpec

logger = logging.getLogger(__name__)

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
MAX_RETENTION_MONTHS = 240
_MAILBOX = re.compile(r"^[^@\s#]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True)
class Schedule:
    """When a round opens and closes each week (weekday 0 = Monday), in the config's time zone."""

    weekday: int
    at: time
    close_weekday: int
    close_at: time


@dataclass(frozen=True)
class Pause:
    """A period without questions (inclusive dates)."""

    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class RkkConfig:
    """One configured RKK."""

    key: str
    name: str
    team: str
    channel: str | None
    coordinators: tuple[str, ...]
    schedule: Schedule | None
    pauses: tuple[Pause, ...]

    def spec(self) -> RkkSpec:
        """What installation needs to know of this RKK."""
        return RkkSpec(self.key, self.name, self.team, self.channel)


@dataclass(frozen=True)
class Umbrella:
    """The umbrella team RKK Overkoepelend and its channel for cross-posts."""

    team: str
    channel: str | None


@dataclass(frozen=True)
class Kennismoment:
    """Kennismomenten: the mailbox their Teams meetings are created in, and when the reminder goes out."""

    organizer: str | None  # without it (or without Graph) coordinators paste the meeting link themselves
    reminder_at: time


@dataclass(frozen=True)
class ThemeRule:
    """When a theme is a rode draad."""

    min_besturen: int
    min_rkks: int
    window_weeks: int


@dataclass(frozen=True)
class ScoringRule:
    """The scoring round's rules: the top-3 share "hoog", when to remind, the proposed deadline."""

    top_threshold: float = 0.6
    remind_days_before: int = 3
    default_days: int = 14


@dataclass(frozen=True)
class Digest:
    """When the weekly digest for the global coordinators goes to RKK Overkoepelend (weekday 0 = Monday)."""

    weekday: int
    at: time


@dataclass(frozen=True)
class BotConfig:
    """The whole validated configuration."""

    file: Path
    timezone: ZoneInfo
    schedule: Schedule
    demo: bool
    rkks: tuple[RkkConfig, ...]
    umbrella: Umbrella | None
    coordinators: tuple[str, ...]
    domains: Mapping[str, str]
    themes: ThemeRule
    pauses: tuple[Pause, ...]
    questions: tuple[tuple[str, str], ...]
    tenants: tuple[str, ...]  # partner tenants served besides the bot's own
    owners_are_coordinators: bool  # team owners (read through Graph) coordinate their RKK
    kennismoment: Kennismoment
    retention_months: int = DEFAULT_RETENTION_MONTHS  # answers older than this are deleted daily
    scoring: ScoringRule = ScoringRule()
    digest: Digest | None = None  # the weekly `rapport` card in RKK Overkoepelend; None: off

    def rkk_specs(self) -> tuple[RkkSpec, ...]:
        """The RKKs as installation sees them."""
        return tuple(rkk.spec() for rkk in self.rkks)


def load_config(file: Path) -> BotConfig:
    """Read and validate the configuration and its question bank; raise ConfigError on the first problem."""
    doc = load_located(file)
    root = _mapping(doc, (), doc.value, required=True)
    _known(
        doc,
        (),
        root,
        {
            "timezone",
            "schedule",
            "demo",
            "rkks",
            "overkoepelend",
            "coordinators",
            "domains",
            "themes",
            "pauses",
            "questions",
            "tenants",
            "owners_are_coordinators",
            "retention",
            "scoring",
            "kennismoment",
            "digest",
        },
    )
    tz_name = _text(doc, ("timezone",), root.get("timezone", "Europe/Brussels"))
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise doc.error(("timezone",), f"unknown time zone {tz_name!r}") from error
    demo = _flag(doc, "demo", root.get("demo", False))
    rkks = tuple(_rkk(doc, ("rkks", i), item) for i, item in enumerate(_list(doc, ("rkks",), root.get("rkks", []))))
    if not rkks and not demo:
        raise doc.error(("rkks",), "list at least one RKK (or set demo: true)")
    _unique(doc, "rkks", [rkk.key for rkk in rkks], "key")
    questions_file = file.parent / _text(doc, ("questions",), root.get("questions", "questions.yaml"))
    umbrella = _umbrella(doc, root.get("overkoepelend"))
    return BotConfig(
        file=file,
        timezone=timezone,
        schedule=_schedule(doc, ("schedule",), root.get("schedule", {})),
        demo=demo,
        rkks=rkks,
        umbrella=umbrella,
        coordinators=_ids(doc, ("coordinators",), root.get("coordinators", [])),
        domains=_domains(doc, root.get("domains", {})),
        themes=_themes(doc, root.get("themes", {})),
        pauses=_pauses(doc, ("pauses",), root.get("pauses", [])),
        questions=_questions(doc, questions_file),
        tenants=_ids(doc, ("tenants",), root.get("tenants", [])),
        owners_are_coordinators=_flag(doc, "owners_are_coordinators", root.get("owners_are_coordinators", False)),
        retention_months=_retention(doc, root.get("retention", {})),
        scoring=_scoring(doc, root.get("scoring", {})),
        kennismoment=_kennismoment(doc, root.get("kennismoment")),
        digest=_digest(doc, root.get("digest", False), umbrella),
    )


def _flag(doc: Located, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise doc.error((name,), "must be true or false")
    return value


def _questions(doc: Located, file: Path) -> tuple[tuple[str, str], ...]:
    """The question bank the config refers to; a missing file is reported at the `questions` line."""
    if not file.is_file():
        raise doc.error(("questions",), f"question bank {file} not found")
    return load_questions(file)


def load_questions(file: Path) -> tuple[tuple[str, str], ...]:
    """The starter question bank: a list of {key, text}, keys unique, texts 10 to 500 characters."""
    doc = load_located(file)
    root = _mapping(doc, (), doc.value, required=True)
    items = _list(doc, ("questions",), root.get("questions"))
    if not items:
        raise doc.error(("questions",), "list at least one question")
    bank = []
    for index, item in enumerate(items):
        path: Path_ = ("questions", index)
        entry = _mapping(doc, path, item, required=True)
        _known(doc, path, entry, {"key", "text"})
        key = _key(doc, (*path, "key"), entry.get("key"))
        text = " ".join(_text(doc, (*path, "text"), entry.get("text")).split())
        if not 10 <= len(text) <= 500:
            raise doc.error((*path, "text"), "a question has 10 to 500 characters")
        bank.append((key, text))
    _unique(doc, "questions", [key for key, _ in bank], "key")
    return tuple(bank)


def _rkk(doc: Located, path: Path_, item: Any) -> RkkConfig:
    entry = _mapping(doc, path, item, required=True)
    _known(doc, path, entry, {"key", "name", "team", "channel", "coordinators", "schedule", "pauses"})
    channel = entry.get("channel")
    return RkkConfig(
        key=_key(doc, (*path, "key"), entry.get("key")),
        name=_text(doc, (*path, "name"), entry.get("name")),
        team=_text(doc, (*path, "team"), entry.get("team")),
        channel=_text(doc, (*path, "channel"), channel) if channel is not None else None,
        coordinators=_ids(doc, (*path, "coordinators"), entry.get("coordinators", [])),
        schedule=_schedule(doc, (*path, "schedule"), entry["schedule"]) if "schedule" in entry else None,
        pauses=_pauses(doc, (*path, "pauses"), entry.get("pauses", [])),
    )


def _schedule(doc: Located, path: Path_, value: Any) -> Schedule:
    entry = _mapping(doc, path, value)
    _known(doc, path, entry, {"weekday", "time", "close_weekday", "close_time"})
    return Schedule(
        weekday=_weekday(doc, (*path, "weekday"), entry.get("weekday", "maandag")),
        at=_time(doc, (*path, "time"), entry.get("time", "09:00")),
        close_weekday=_weekday(doc, (*path, "close_weekday"), entry.get("close_weekday", "vrijdag")),
        close_at=_time(doc, (*path, "close_time"), entry.get("close_time", "17:00")),
    )


def _umbrella(doc: Located, value: Any) -> Umbrella | None:
    if value is None:
        return None
    entry = _mapping(doc, ("overkoepelend",), value)
    _known(doc, ("overkoepelend",), entry, {"team", "channel"})
    channel = entry.get("channel")
    return Umbrella(
        team=_text(doc, ("overkoepelend", "team"), entry.get("team")),
        channel=_text(doc, ("overkoepelend", "channel"), channel) if channel is not None else None,
    )


def _kennismoment(doc: Located, value: Any) -> Kennismoment:
    entry = _mapping(doc, ("kennismoment",), value)
    _known(doc, ("kennismoment",), entry, {"organizer", "reminder_time"})
    organizer = None
    if entry.get("organizer") is not None:
        organizer = _text(doc, ("kennismoment", "organizer"), entry["organizer"]).lower()
        if not _MAILBOX.match(organizer):
            raise doc.error(("kennismoment", "organizer"), f"{organizer!r} is not a mailbox such as kennis@v-ict-or.be")
    reminder = _time(doc, ("kennismoment", "reminder_time"), entry.get("reminder_time", "09:00"))
    return Kennismoment(organizer, reminder)


def _digest(doc: Located, value: Any, umbrella: Umbrella | None) -> Digest | None:
    """`digest: true` (Mondays at 08:00), `digest: false`, or `digest:` with `weekday` and `time`."""
    if value is False:
        return None
    if value is not True and not isinstance(value, dict):
        raise doc.error(("digest",), "must be true, false, or a mapping with weekday and time")
    entry = value if isinstance(value, dict) else {}
    _known(doc, ("digest",), entry, {"weekday", "time"})
    if umbrella is None:
        raise doc.error(("digest",), "the digest is posted in RKK Overkoepelend: set `overkoepelend` too")
    return Digest(
        weekday=_weekday(doc, ("digest", "weekday"), entry.get("weekday", "maandag")),
        at=_time(doc, ("digest", "time"), entry.get("time", "08:00")),
    )


def _domains(doc: Located, value: Any) -> dict[str, str]:
    entry = _mapping(doc, ("domains",), value)
    domains = {}
    for domain, bestuur in entry.items():
        path: Path_ = ("domains", domain)
        if not _DOMAIN.match(domain.lower()):
            raise doc.error(path, f"{domain!r} is not a mail domain such as brasschaat.be")
        domains[domain.lower()] = _text(doc, path, bestuur)
    return domains


def _themes(doc: Located, value: Any) -> ThemeRule:
    entry = _mapping(doc, ("themes",), value)
    _known(doc, ("themes",), entry, {"min_besturen", "min_rkks", "window_weeks"})
    numbers = {}
    for name, default, low, high in (
        ("min_besturen", 5, 2, 1000),
        ("min_rkks", 2, 1, 100),
        ("window_weeks", 8, 1, 104),
    ):
        number = entry.get(name, default)
        if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
            raise doc.error(("themes", name), f"must be a whole number from {low} to {high}")
        numbers[name] = number
    return ThemeRule(**numbers)


def _retention(doc: Located, value: Any) -> int:
    """How many months answers are kept (AVG/GDPR: no longer than needed)."""
    entry = _mapping(doc, ("retention",), value)
    _known(doc, ("retention",), entry, {"months"})
    months = entry.get("months", DEFAULT_RETENTION_MONTHS)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_RETENTION_MONTHS:
        raise doc.error(("retention", "months"), f"must be a whole number of months from 1 to {MAX_RETENTION_MONTHS}")
    return months


def _scoring(doc: Located, value: Any) -> ScoringRule:
    entry = _mapping(doc, ("scoring",), value)
    _known(doc, ("scoring",), entry, {"top_threshold", "remind_days_before", "default_days"})
    threshold = entry.get("top_threshold", 0.6)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise doc.error(("scoring", "top_threshold"), "must be a share above 0 and at most 1, such as 0.6")
    numbers = {}
    for name, default, low, high in (("remind_days_before", 3, 1, 30), ("default_days", 14, 1, 92)):
        number = entry.get(name, default)
        if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
            raise doc.error(("scoring", name), f"must be a whole number from {low} to {high}")
        numbers[name] = number
    return ScoringRule(float(threshold), **numbers)


def _pauses(doc: Located, path: Path_, value: Any) -> tuple[Pause, ...]:
    pauses = []
    for index, item in enumerate(_list(doc, path, value)):
        entry = _mapping(doc, (*path, index), item, required=True)
        _known(doc, (*path, index), entry, {"from", "to", "reason"})
        start, end = (entry.get(name) for name in ("from", "to"))
        for name, day in (("from", start), ("to", end)):
            if not isinstance(day, date) or isinstance(day, datetime):
                raise doc.error((*path, index, name), "must be a date written as YYYY-MM-DD")
        assert isinstance(start, date) and isinstance(end, date)
        if end < start:
            raise doc.error((*path, index, "to"), "ends before it starts")
        pauses.append(Pause(start, end, _text(doc, (*path, index, "reason"), entry.get("reason", "pauze"))))
    return tuple(pauses)


def _ids(doc: Located, path: Path_, value: Any) -> tuple[str, ...]:
    return tuple(_text(doc, (*path, i), item).lower() for i, item in enumerate(_list(doc, path, value)))


def _weekday(doc: Located, path: Path_, value: Any) -> int:
    name = _text(doc, path, value).lower()
    if name in WEEKDAYS:
        return WEEKDAYS.index(name)
    if name in _WEEKDAYS_EN:
        return _WEEKDAYS_EN.index(name)
    raise doc.error(path, f"{value!r} is not a weekday (maandag ... zondag)")


def _time(doc: Located, path: Path_, value: Any) -> time:
    match = _TIME.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise doc.error(path, 'must be a time such as "09:00" (in quotes)')
    return time(int(match[1]), int(match[2]))


def _key(doc: Located, path: Path_, value: Any) -> str:
    key = _text(doc, path, value)
    if not _KEY.match(key):
        raise doc.error(path, "use lower-case letters, digits and hyphens (at most 63)")
    return key


def _text(doc: Located, path: Path_, value: Any) -> str:
    if value is None:
        raise doc.error(path, "is required")
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise doc.error(path, "must be non-empty text")
    return str(value).strip()


def _mapping(doc: Located, path: Path_, value: Any, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise doc.error(path, "must be a mapping of settings (key: value)")
    return value


def _list(doc: Located, path: Path_, value: Any) -> list[Any]:
    if value is None:
        raise doc.error(path, "is required")
    if not isinstance(value, list):
        raise doc.error(path, "must be a list")
    return value


def _known(doc: Located, path: Path_, entry: Mapping[str, Any], allowed: set[str]) -> None:
    for name in entry:
        if name not in allowed:
            raise doc.error((*path, name), f"unknown setting (known: {', '.join(sorted(allowed))})")


def _unique(doc: Located, section: str, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise doc.error((section, index, field), f"{value!r} is used twice")
        seen.add(value)


__all__ = [
    "BotConfig",
    "ConfigError",
    "Digest",
    "Kennismoment",
    "Pause",
    "RkkConfig",
    "Schedule",
    "ScoringRule",
    "ThemeRule",
    "Umbrella",
    "load_config",
]
