"""Thread replies as answers in SQL: the `ReplySink` of the harvest and of replies the bot receives directly.

An answer from a reply has source "reply" and is keyed by its Teams message id (unique in `answers`), so the
harvest and the direct path (RSC `ChannelMessage.Read.Group`) store each reply once, whoever comes first.
Every method is one short transaction that writes first, so SQLite takes its write lock before it reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.answers import UNKNOWN_BESTUUR
from rkk.model import AnswerSource
from rkk.store.rows import insert_once
from rkk.store.tables import answers, members, rounds
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)

Outcome = Literal["added", "updated", "unchanged"]  # as bot/graph/harvest.py names them
HARVEST_ERROR = "oogst: "  # prefix of a round's last error (shown by `status`) when its harvest failed

# Created by migration 0005; kept out of tables.py, which belongs to the core store.
harvest_cursors = Table(
    "harvest_cursors",
    MetaData(),
    Column("round_id", Integer, primary_key=True),
    Column("next_link", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def utc_now() -> datetime:
    """The current moment in UTC."""
    return datetime.now(UTC)


class SqlReplySink:
    """ReplySink on the real tables: one answer per reply message, members created on first sight."""

    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    async def upsert_reply(
        self,
        round_id: int,
        message_id: str,
        member_aad_id: str,
        member_name: str,
        bestuur: str,
        text: str,
        created: datetime,
        modified: datetime,
    ) -> Outcome:
        """Add the reply's answer, update it when `modified` is later (or it was hidden), else leave it."""
        modified = as_utc(modified)
        async with self._engine.begin() as conn:
            if await _refresh(conn, message_id, member_name, bestuur, text, modified):
                return "updated"
            if (await conn.execute(select(answers.c.id).where(answers.c.message_id == message_id))).first():
                return "unchanged"
            bestuur = await _ensure_member(conn, member_aad_id, member_name, bestuur, self._clock())
            added = await insert_once(
                conn,
                answers,
                round_id=round_id,
                member_id=member_aad_id,
                member_name=member_name,
                bestuur=bestuur,
                text=text,
                source=AnswerSource.REPLY.value,
                message_id=message_id,
                hidden=False,
                created_at=as_utc(created),
                updated_at=modified,
            )
            if added:
                return "added"
            # The other path stored the same reply a moment ago; ours wins only if it is newer.
            raced = await _refresh(conn, message_id, member_name, bestuur, text, modified)
            return "updated" if raced else "unchanged"

    async def hide_reply(self, round_id: int, message_id: str) -> bool:
        """Hide the answer of a deleted reply; True if a visible answer was hidden."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(answers)
                .where(
                    answers.c.message_id == message_id,
                    answers.c.round_id == round_id,
                    answers.c.source == AnswerSource.REPLY.value,
                    answers.c.hidden.is_(False),
                )
                .values(hidden=True)
            )
        return bool(result.rowcount)

    async def harvest_cursor(self, round_id: int) -> str | None:
        """The next link where an interrupted harvest of this round stopped, or None."""
        async with self._engine.connect() as conn:
            found = await conn.execute(
                select(harvest_cursors.c.next_link).where(harvest_cursors.c.round_id == round_id)
            )
            return found.scalar_one_or_none()

    async def set_harvest_cursor(self, round_id: int, cursor: str | None) -> None:
        """Remember where to resume (None: the last harvest read every page)."""
        where = harvest_cursors.c.round_id == round_id
        async with self._engine.begin() as conn:
            if cursor is None:
                await conn.execute(delete(harvest_cursors).where(where))
                return
            values = {"next_link": cursor, "updated_at": self._clock()}
            changed = await conn.execute(update(harvest_cursors).where(where).values(**values))
            if not changed.rowcount and not await insert_once(conn, harvest_cursors, round_id=round_id, **values):
                await conn.execute(update(harvest_cursors).where(where).values(**values))

    async def note_harvest(self, failed: Mapping[int, str], harvested: Collection[int]) -> None:
        """A harvest's outcome as each round's last error: why it failed, or cleared once it worked again."""
        async with self._engine.begin() as conn:
            for round_id, error in failed.items():
                await conn.execute(
                    update(rounds).where(rounds.c.id == round_id).values(last_error=(HARVEST_ERROR + error)[:2000])
                )
            if harvested:
                await conn.execute(
                    update(rounds)
                    .where(rounds.c.id.in_(list(harvested)), rounds.c.last_error.startswith(HARVEST_ERROR))
                    .values(last_error=None)
                )


async def _refresh(
    conn: AsyncConnection, message_id: str, member_name: str, bestuur: str, text: str, modified: datetime
) -> bool:
    """Overwrite the reply's answer if the stored one is older or hidden; True if it did."""
    values: dict[str, Any] = {"text": text, "member_name": member_name, "hidden": False, "updated_at": modified}
    if bestuur != UNKNOWN_BESTUUR:
        values["bestuur"] = bestuur  # a failed user lookup must not erase a known bestuur
    result = await conn.execute(
        update(answers)
        .where(
            and_(
                answers.c.message_id == message_id,
                answers.c.source == AnswerSource.REPLY.value,
                or_(answers.c.hidden.is_(True), answers.c.updated_at < modified),
            )
        )
        .values(**values)
    )
    return bool(result.rowcount)


async def _ensure_member(conn: AsyncConnection, aad_id: str, name: str, bestuur: str, now: datetime) -> str:
    """Create or refresh the member; the bestuur the answer gets (a known one is never replaced by "onbekend")."""
    values: dict[str, Any] = {"name": name, "updated_at": now}
    if bestuur != UNKNOWN_BESTUUR:
        values["bestuur"] = bestuur
    changed = await conn.execute(update(members).where(members.c.aad_object_id == aad_id).values(**values))
    if changed.rowcount:
        stored = await conn.execute(select(members.c.bestuur).where(members.c.aad_object_id == aad_id))
        return str(stored.scalar_one())
    await insert_once(conn, members, aad_object_id=aad_id, name=name, email=None, bestuur=bestuur, updated_at=now)
    return bestuur
