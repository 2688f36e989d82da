"""Storage of what coordinators steer (controls, audit) and of members' own data (view, delete)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.model import AuditEntry, Controls, Erasure, MemberAnswer
from rkk.store.admin_tables import audit_log, rkk_controls
from rkk.store.meetings import meeting_rsvps, meetings
from rkk.store.personal_data import erase, install_secret, known_as, pseudonym, record_erasure
from rkk.store.rows import update_or_insert
from rkk.store.tables import answers, questions, rounds
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)


class AdminStore:
    """Coordinator controls, the audit log, and the data a member may see or erase."""

    def __init__(self, engine: AsyncEngine, pseudonym_secret: str = "") -> None:
        self._engine = engine
        self._pseudonym_secret = pseudonym_secret  # RKKBOT_PSEUDONYM_SECRET; empty: this install's own

    async def controls(self, rkk_key: str) -> Controls:
        """The controls set for one RKK (all empty when none were set)."""
        return (await self.all_controls()).get(rkk_key, Controls())

    async def all_controls(self) -> dict[str, Controls]:
        """The controls of every RKK that has any."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(rkk_controls))).all()
        return {
            row.rkk_key: Controls(
                row.paused_until, row.pause_reason, row.skipped_week, row.schedule_weekday, row.schedule_time
            )
            for row in rows
        }

    async def change_controls(self, rkk_key: str, entry: AuditEntry, **values: Any) -> None:
        """Set some controls of an RKK and write the audit entry, in one transaction."""
        values.update(updated_by=entry.actor_name, updated_at=entry.at)
        async with self._engine.begin() as conn:
            await update_or_insert(conn, rkk_controls, rkk_controls.c.rkk_key == rkk_key, values, rkk_key=rkk_key)
            await write_audit(conn, entry)

    async def record(self, entry: AuditEntry) -> None:
        """Write one audit entry on its own."""
        async with self._engine.begin() as conn:
            await write_audit(conn, entry)

    async def audit_entries(self, limit: int = 20) -> Sequence[AuditEntry]:
        """The newest audit entries, newest first."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
                )
            ).all()
        return [
            AuditEntry(
                as_utc(row.at), row.actor_id, row.actor_name, row.action, row.rkk_key, row.detail, row.conversation_id
            )
            for row in rows
        ]

    async def answers_by_bestuur(self, round_id: int) -> dict[str, int]:
        """How many visible answers each bestuur gave to a round."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(answers.c.bestuur, func.count())
                .where(answers.c.round_id == round_id, answers.c.hidden.is_(False))
                .group_by(answers.c.bestuur)
            )
            return {row[0]: int(row[1]) for row in rows}

    async def round_answers(self, round_id: int) -> Sequence[tuple[str, str, str]]:
        """(member name, bestuur, text) of every visible answer to a round, oldest first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(answers.c.member_name, answers.c.bestuur, answers.c.text)
                .where(answers.c.round_id == round_id, answers.c.hidden.is_(False))
                .order_by(answers.c.created_at, answers.c.id)
            )
            return [(row.member_name, row.bestuur, row.text) for row in rows]

    async def member_answers(self, member_id: str) -> Sequence[MemberAnswer]:
        """Every visible answer of one member, newest week first."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(rounds.c.rkk_key, rounds.c.week, rounds.c.question_text, answers.c.text, answers.c.source)
                .join(rounds, rounds.c.id == answers.c.round_id)
                .where(answers.c.member_id == member_id, answers.c.hidden.is_(False))
                .order_by(rounds.c.week.desc(), answers.c.id.desc())
            )
            return [MemberAnswer(row.rkk_key, row.week, row.question_text, row.text, row.source) for row in rows]

    async def delete_member_data(self, erasure: Erasure, at: datetime) -> int:
        """Erase a member everywhere (see rkk/store/personal_data.py) and record that it happened under a
        pseudonym, in one transaction; the number of answers removed."""
        async with self._engine.begin() as conn:
            secret = self._pseudonym_secret or await install_secret(conn, at)
            alias = pseudonym(secret, erasure.member_id)
            erasure = await known_as(conn, erasure)
            answered = select(meeting_rsvps.c.meeting_id).where(meeting_rsvps.c.member_id.in_(list(erasure.ids)))
            await conn.execute(  # the kennismoment cards count one fewer (the follow-up job redraws them)
                update(meetings).where(meetings.c.id.in_(answered)).values(revision=meetings.c.revision + 1)
            )
            removed = await erase(conn, erasure, alias)
            await record_erasure(conn, alias, at, removed)
            return removed


async def write_audit(conn: AsyncConnection, entry: AuditEntry) -> None:
    """Insert one audit entry inside the caller's transaction, so the change and its record go together."""
    await conn.execute(
        insert(audit_log).values(
            at=entry.at,
            actor_id=entry.actor_id[:100],  # the column widths: a Teams user id or name may be longer
            actor_name=entry.actor_name[:300],
            action=entry.action,
            rkk_key=entry.rkk_key,
            detail=entry.detail[:2000],
            conversation_id=entry.conversation_id,
        )
    )


class QuestionAdmin:
    """Read access to questions for the queue commands (the queues themselves live in the SQL store)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def active_texts(self) -> list[str]:
        """The text of every question that may still be asked (bank and queues), for duplicate checks."""
        async with self._engine.connect() as conn:
            return [
                row.text for row in await conn.execute(select(questions.c.text).where(questions.c.active.is_(True)))
            ]

    async def queue_owner(self, question_id: int) -> tuple[bool, str | None]:
        """Whether the question is waiting in a queue, and whose queue (None: the queue for all RKKs)."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(questions.c.rkk_key, questions.c.state, questions.c.source).where(
                        questions.c.id == question_id
                    )
                )
            ).first()
        if row is None or row.source != "queue" or row.state != "queued":
            return False, None
        return True, row.rkk_key
