"""Which question threads to harvest, and which round a thread reply belongs to (read-only SQL)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.model import RoundState
from rkk.store.tables import rkks, rounds, teams

logger = logging.getLogger(__name__)

THREAD_MARK = ";messageid="
AnyRow = Row[*tuple[Any, ...]]


@dataclass(frozen=True)
class RoundThread:
    """A round's question thread as Graph names it: the team's group id, the channel, the root message."""

    round_id: int
    group_id: str
    channel_id: str
    message_id: str


@dataclass(frozen=True)
class ThreadRound:
    """The round whose question a thread reply answers, and whether it still takes answers."""

    round_id: int
    open: bool


def split_thread(conversation_id: str | None) -> tuple[str, str] | None:
    """(channel id, root message id) of a thread's conversation id "{channelId};messageid={rootId}"."""
    channel, mark, root = (conversation_id or "").partition(THREAD_MARK)
    return (channel, root) if mark and channel and root else None


class ThreadRounds:
    """Reads the rounds whose threads the harvest and the direct-reply path need."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def open_threads(self) -> Sequence[RoundThread]:
        """Every posted round whose team's Graph group id is known, oldest first."""
        query = _threads().where(rounds.c.state == RoundState.POSTED.value).order_by(rounds.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        found = [thread for row in rows if (thread := _thread(row)) is not None]
        if len(found) < len(rows):
            logger.warning("%d open rounds cannot be harvested: team group id unknown", len(rows) - len(found))
        return found

    async def thread_of(self, round_id: int) -> RoundThread | None:
        """The thread of one round whatever its state (for the last harvest at closing time)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_threads().where(rounds.c.id == round_id))).first()
        return _thread(row) if row is not None else None

    async def round_for_thread(self, channel_id: str, root_id: str) -> ThreadRound | None:
        """The round whose question card is this thread's root message, if any."""
        query = (
            select(rounds.c.id, rounds.c.state, rounds.c.conversation_id, rkks.c.channel_id)
            .join(rkks, rkks.c.key == rounds.c.rkk_key)
            .where(rounds.c.message_id == root_id)
            .order_by(rounds.c.id.desc())
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        for row in rows:
            if _channel_of(row) == channel_id:
                return ThreadRound(row.id, row.state == RoundState.POSTED.value)
        return None

    async def team_group_ids(self) -> dict[str, str]:
        """Teams thread id (as in the config, "19:...@thread.tacv2") -> Graph group id, for installed teams."""
        query = select(teams.c.id, teams.c.aad_group_id).where(teams.c.aad_group_id.is_not(None))
        async with self._engine.connect() as conn:
            return {row.id: row.aad_group_id for row in (await conn.execute(query)).all()}


def _threads() -> Select[Any]:
    return (
        select(
            rounds.c.id,
            rounds.c.message_id,
            rounds.c.conversation_id,
            rkks.c.channel_id,
            teams.c.aad_group_id,
        )
        .join(rkks, rkks.c.key == rounds.c.rkk_key)
        .outerjoin(teams, teams.c.id == rkks.c.team_id)
        .where(rounds.c.message_id.is_not(None))
    )


def _thread(row: AnyRow) -> RoundThread | None:
    channel = _channel_of(row)
    if not row.aad_group_id or not channel or not row.message_id:
        return None
    return RoundThread(row.id, row.aad_group_id, channel, row.message_id)


def _channel_of(row: AnyRow) -> str | None:
    """The channel the card landed in (from its conversation id), else the RKK's channel now."""
    thread = split_thread(row.conversation_id)
    return thread[0] if thread else row.channel_id
