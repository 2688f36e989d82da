"""The parts every scoring use case is built from (composed in app.py) and the round's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from rkk.rounds import DEFAULT_POLICY, Policy
from rkk.scoring.model import DEFAULT_THRESHOLD
from rkk.scoring.ports import AuditLog, RkkDirectory, ScoringPublisher, ScoringRepository, ThemeSource

BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class ScoringSettings:
    """The rules of a scoring round: the top-3 threshold, where results go, reminders and deadlines."""

    threshold: float = DEFAULT_THRESHOLD
    umbrella_team: str | None = None
    umbrella_channel: str | None = None
    remind_before: timedelta = timedelta(days=3)
    default_days: int = 14  # the deadline a setup card proposes
    default_hour: int = 17
    max_days: int = 92  # a deadline further away than this is refused
    timezone: ZoneInfo = BRUSSELS
    concurrency: int = 50  # ballots posted at once; the connector's pacer keeps Teams' limits


@dataclass(frozen=True)
class Scoring:
    """The scoring round's ports and settings; the claim policy (owner, lease) is the rounds' own."""

    repo: ScoringRepository
    rkks: RkkDirectory
    themes: ThemeSource
    publisher: ScoringPublisher
    audit: AuditLog
    settings: ScoringSettings
    policy: Policy = DEFAULT_POLICY
