"""Themes metrics: what the weekly themes run found (themes, rode draden), when, and what became of the cards."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from observability.metrics import Metrics
from rkk.crosspost import CrossPostReport

logger = logging.getLogger(__name__)

LEASE_HELD = "lease"  # CrossPostReport.skipped when another replica ran the engine instead


def count_themes(
    run: Callable[[], Awaitable[CrossPostReport]], metrics: Metrics, clock: Callable[[], datetime]
) -> Callable[[], Awaitable[CrossPostReport]]:
    """The themes job, recording each run's findings in `metrics` (not when another replica held the lease)."""

    async def counted() -> CrossPostReport:
        report = await run()
        if report.skipped != LEASE_HELD:
            metrics.themes_run(
                report.themes, report.recurring, len(report.posted), len(report.updated), len(report.failed), clock()
            )
        return report

    return counted
