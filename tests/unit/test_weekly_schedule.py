"""The weekly schedule: cron jobs in Brussels time across daylight saving, and pauses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from config.rkk_config import BotConfig, Pause, Schedule, load_config
from scheduler.weekly import WeeklyPoster, build_scheduler, pause_on, schedule_of

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rkks.example.yaml"


@pytest.fixture
def config() -> BotConfig:
    """The example configuration: default Monday 09:00, Kempen on Tuesday 08:30 with a Christmas pause."""
    return load_config(EXAMPLE)


def _next_fire(config: BotConfig, job_index: int, after: datetime) -> datetime:
    scheduler = build_scheduler(config, WeeklyPoster(None, None, config, lambda: after))  # type: ignore[arg-type]
    job = sorted(scheduler.get_jobs(), key=lambda j: j.id)[job_index]
    fire = job.trigger.get_next_fire_time(None, after)
    assert fire is not None
    return fire.astimezone(UTC)


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        (datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),  # after DST ends: CET
        (datetime(2026, 10, 18, tzinfo=UTC), datetime(2026, 10, 19, 7, 0, tzinfo=UTC)),  # summer time: CEST
        (datetime(2027, 3, 23, tzinfo=UTC), datetime(2027, 3, 29, 7, 0, tzinfo=UTC)),  # after DST starts
        (datetime(2026, 12, 29, tzinfo=UTC), datetime(2027, 1, 4, 8, 0, tzinfo=UTC)),  # over New Year (week 53)
    ],
)
def test_default_schedule_fires_monday_nine_brussels_time(
    config: BotConfig, after: datetime, expected_utc: datetime
) -> None:
    """Monday 09:00 stays 09:00 in Brussels whether daylight saving is on or off."""
    assert _next_fire(config, 0, after) == expected_utc


def test_rkk_override_gets_its_own_job(config: BotConfig) -> None:
    """An RKK with its own schedule is posted at its own time (Kempen: Tuesday 08:30)."""
    assert _next_fire(config, 1, datetime(2026, 11, 23, tzinfo=UTC)) == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    assert schedule_of(config, "kempen") == Schedule(1, time(8, 30), 4, time(12, 0))
    assert schedule_of(config, "antwerpen") == config.schedule


def test_pauses_cover_their_days_for_their_rkk_only(config: BotConfig) -> None:
    """A per-RKK pause silences that RKK only; a global pause silences all."""
    assert pause_on(config, "kempen", date(2026, 12, 22)) == Pause(
        date(2026, 12, 21), date(2027, 1, 3), "kerstvakantie"
    )
    assert pause_on(config, "antwerpen", date(2026, 12, 22)) is None
    assert pause_on(config, "antwerpen", date(2027, 7, 5)) is not None
    assert pause_on(config, "kempen", date(2027, 1, 4)) is None


def test_same_schedule_twice_makes_one_job(config: BotConfig) -> None:
    """RKKs sharing a schedule share one job, so a fan-out is one run."""
    same = replace(config, rkks=tuple(replace(rkk, schedule=None) for rkk in config.rkks))
    assert len(build_scheduler(same, WeeklyPoster(None, None, same, lambda: datetime.now(UTC))).get_jobs()) == 1  # type: ignore[arg-type]
