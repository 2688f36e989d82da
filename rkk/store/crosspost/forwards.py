"""Reads and writes for the umbrella channel and hand-forwarded question threads (part of ThemeStore)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.crosspost import ForwardRecord, InstalledTeam, SourceThread, ThreadSource
from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.store.crosspost.tables import thread_forwards
from rkk.store.rows import retake_or_insert
from rkk.store.tables import answers, channels, rkks, rounds, teams

logger = logging.getLogger(__name__)


class ForwardQueries:
    """Installed teams, question threads and their forwards; each method is one short transaction."""

    _engine: AsyncEngine

    async def installed_teams(self) -> Sequence[InstalledTeam]:
        """Every team the bot was installed in, with its channels."""
        async with self._engine.connect() as conn:
            team_rows = (await conn.execute(select(teams).order_by(teams.c.id))).all()
            channel_rows = (await conn.execute(select(channels).order_by(channels.c.name))).all()
        by_team: dict[str, list[tuple[str, str]]] = {}
        for row in channel_rows:
            by_team.setdefault(row.team_id, []).append((row.id, row.name))
        return [
            InstalledTeam(t.id, t.name, t.aad_group_id, t.tenant_id, t.service_url, tuple(by_team.get(t.id, [])))
            for t in team_rows
        ]

    async def thread_source(self, conversation_id: str) -> ThreadSource | None:
        """The posted question round whose thread this is (by conversation id or root message id)."""
        root = conversation_id.partition(";messageid=")[2]
        match = rounds.c.conversation_id == conversation_id
        if root:
            channel = conversation_id.partition(";")[0]
            match = or_(match, and_(rounds.c.message_id == root, rounds.c.conversation_id.like(f"{channel};%")))
        count = (
            select(func.count()).where(answers.c.round_id == rounds.c.id, answers.c.hidden.is_(False)).scalar_subquery()
        )
        query = (
            select(rounds, rkks.c.name.label("rkk_name"), rkks.c.team_id, teams.c.aad_group_id, count.label("n"))
            .join(rkks, rkks.c.key == rounds.c.rkk_key)
            .outerjoin(teams, teams.c.id == rkks.c.team_id)
            .where(match, rounds.c.message_id.is_not(None))
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None or not row.team_id:
            return None
        thread = SourceThread(
            row.rkk_name, row.week, row.team_id, row.aad_group_id, row.conversation_id, row.message_id
        )
        return ThreadSource(row.id, row.question_text, int(row.n), thread)

    async def claim_forward(self, round_id: int, by_id: str, by_name: str, now: datetime) -> bool:
        """Claim the forward of a thread (new, or after a failure); False if done or under way."""
        values = {"by_id": by_id[:200], "by_name": by_name[:300], "claimed_at": now}
        async with self._engine.begin() as conn:
            return await retake_or_insert(
                conn, thread_forwards, thread_forwards.c.round_id == round_id, values, round_id=round_id
            )

    async def get_forward(self, round_id: int) -> ForwardRecord | None:
        """The forward of a thread, if any."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(thread_forwards).where(thread_forwards.c.round_id == round_id))).first()
        if row is None:
            return None
        return ForwardRecord(row.round_id, row.state, row.team_id, row.conversation_id, row.message_id)

    async def mark_forwarded(self, round_id: int, target: ChannelTarget, posted: Posted) -> None:
        """Record where the forward landed."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(thread_forwards)
                .where(thread_forwards.c.round_id == round_id)
                .values(
                    state="posted",
                    team_id=target.team_id,
                    conversation_id=posted.conversation_id,
                    message_id=posted.message_id,
                    last_error=None,
                )
            )

    async def mark_forward_failed(self, round_id: int, error: str) -> None:
        """Record a failed forward."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(thread_forwards)
                .where(thread_forwards.c.round_id == round_id)
                .values(state="failed", last_error=error[:2000])
            )
