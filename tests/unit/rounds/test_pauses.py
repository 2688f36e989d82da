"""Pauses from the config and from coordinators' controls, as the scheduler and the status see them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from config.rkk_config import load_config
from rkk.model import Controls
from rkk.rounds.status import PauseInfo
from scheduler.pauses import SKIPPED_REASON, with_controls

EXAMPLE = Path(__file__).resolve().parents[3] / "config" / "rkks.example.yaml"


async def test_config_pause_wins_then_coordinator_pause_then_skipped_week() -> None:
    """Christmas from the file, a coordinator's pause, and a skipped week each block posting."""
    config = load_config(EXAMPLE)
    controls = {
        "kempen": Controls(paused_until=date(2027, 2, 1), pause_reason="door An"),
        "antwerpen": Controls(skipped_week="2026-W48"),
    }

    async def controls_of(key: str) -> Controls:
        return controls.get(key, Controls())

    lookup = with_controls(config, controls_of)
    assert await lookup("kempen", date(2026, 12, 22)) == PauseInfo(date(2027, 1, 3), "kerstvakantie")
    assert await lookup("kempen", date(2027, 1, 20)) == PauseInfo(date(2027, 2, 1), "door An")
    assert await lookup("antwerpen", date(2026, 11, 23)) == PauseInfo(date(2026, 11, 29), SKIPPED_REASON)
    assert await lookup("antwerpen", date(2026, 11, 30)) is None
