"""Team owners as coordinators: the owners of each RKK's team are read from Microsoft Graph every hour."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.graph.errors import GraphError
from bot.graph.port import GraphPort
from rkk.access import TeamOwners
from rkk.model import Rkk

logger = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(hours=1)


class OwnerRefresh:
    """Keeps a TeamOwners registry in step with the owners of the RKK teams."""

    def __init__(
        self,
        graph: GraphPort,
        owners: TeamOwners,
        rkks: Callable[[], Awaitable[Sequence[Rkk]]],
        group_ids: Callable[[], Awaitable[Mapping[str, str]]],
    ) -> None:
        self._graph, self._owners, self._rkks, self._group_ids = graph, owners, rkks, group_ids

    async def run(self) -> int:
        """Read the owners of every installed RKK team; the number of teams read. A failing team keeps its last list."""
        groups = await self._group_ids()
        read = 0
        for rkk in await self._rkks():
            group = groups.get(rkk.team_id or "")
            if group is None:
                continue
            try:
                members = await self._graph.owners(group)
            except GraphError as error:
                logger.warning("owners of %s could not be read: %s", rkk.key, error)
                continue
            self._owners.replace(rkk.key, [member.user_id for member in members])
            read += 1
        logger.info("team owners read for %d RKK teams", read)
        return read


def add_owner_job(scheduler: AsyncIOScheduler, refresh: OwnerRefresh | None) -> None:
    """Refresh the owners now and every hour; without Graph or without the option, say it is off."""
    if refresh is None:
        logger.info("team owners do not count as coordinators (owners_are_coordinators off or no Graph)")
        return
    scheduler.add_job(
        refresh.run,
        IntervalTrigger(seconds=REFRESH_EVERY.total_seconds(), timezone=scheduler.timezone),
        id="team-owners",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(scheduler.timezone),  # once at start-up, then every hour
    )
