"""Pauses from every source as one lookup: the config file's holidays and the coordinators' controls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, time, timedelta

from config.rkk_config import BotConfig
from rkk.model import Controls
from rkk.rounds import PauseInfo, PauseLookup, paused_on, schedule_override, skipped, week_monday
from scheduler.weekly import config_pauses

logger = logging.getLogger(__name__)

SKIPPED_REASON = "week overgeslagen door coördinator"


def with_controls(config: BotConfig, controls_of: Callable[[str], Awaitable[Controls]]) -> PauseLookup:
    """Config pauses first, then a coordinator's pause or skipped week (e.g. `AdminStore.controls`)."""
    from_config = config_pauses(config)

    async def lookup(rkk_key: str, day: date) -> PauseInfo | None:
        pause = await from_config(rkk_key, day)
        if pause is not None:
            return pause
        controls = await controls_of(rkk_key)
        if controls.paused_until is not None and paused_on(controls, day):
            return PauseInfo(controls.paused_until, controls.pause_reason or "pauze")
        week = iso_week_of(day)
        if skipped(controls, week):
            return PauseInfo(week_monday(week) + timedelta(days=6), SKIPPED_REASON)
        return None

    return lookup


def schedule_overrides(
    all_controls: Callable[[], Awaitable[Mapping[str, Controls]]],
) -> Callable[[], Awaitable[dict[str, tuple[int, time]]]]:
    """A loader of coordinators' schedule overrides per RKK (e.g. from `AdminStore.all_controls`)."""

    async def load() -> dict[str, tuple[int, time]]:
        overrides = {}
        for key, controls in (await all_controls()).items():
            override = schedule_override(controls)
            if override is not None:
                overrides[key] = override
        return overrides

    return load


def iso_week_of(day: date) -> str:
    """The ISO week a calendar day belongs to."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


__all__ = ["SKIPPED_REASON", "schedule_overrides", "with_controls"]
