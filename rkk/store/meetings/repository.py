"""The SQL adapter of the `MeetingRepository` port: the kennismomenten themselves; places in a mixin."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.crosspost import Actor
from rkk.meetings import Claim, Details, Meeting, MeetingState, Subject
from rkk.model import Rkk
from rkk.store.meetings.places import PlaceQueries
from rkk.store.meetings.rows import meeting_from
from rkk.store.meetings.tables import meetings
from rkk.store.rows import insert_once, rkk_from
from rkk.store.tables import rkks

logger = logging.getLogger(__name__)

FOLLOW_BACK = timedelta(days=1)  # cancelled or changed meetings stay followed this long (their cards)


class MeetingStore(PlaceQueries):
    """Every read and write of kennismomenten; each method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim_meeting(
        self, subject: Subject, details: Details, actor: Actor, organizer: str | None, now: datetime, lease: timedelta
    ) -> Claim:
        """Claim the subject's kennismoment: new, after a failure, or after a lapsed attempt; else the live one."""
        values = _details(details) | {
            "label": subject.label[:300],
            "subject_description": subject.description,
            "rkks": json.dumps(list(subject.rkk_keys)),
            "bestuur_count": subject.bestuur_count,
            "theme_key": subject.theme_key,
            "organizer": organizer,
            "planned_by_id": actor.id[:200],
            "planned_by_name": actor.name[:300],
            "state": MeetingState.CREATING.value,
            "lease_until": now + lease,
            "last_error": None,
            "updated_at": now,
            "timed_at": now,
        }
        # Write first: on SQLite a transaction that reads before it writes cannot wait for the lock.
        async with self._engine.begin() as conn:
            mine = await insert_once(
                conn, meetings, subject_key=subject.key, transaction_id=str(uuid.uuid4()), created_at=now, **values
            )
            if not mine:  # a live row exists: take it over if it failed, or if its attempt died
                retaken = await conn.execute(
                    update(meetings)
                    .where(
                        meetings.c.subject_key == subject.key,
                        or_(
                            meetings.c.state == MeetingState.FAILED.value,
                            and_(meetings.c.state == MeetingState.CREATING.value, meetings.c.lease_until < now),
                        ),
                    )
                    .values(attempts=meetings.c.attempts + 1, **values)
                )
                mine = retaken.rowcount == 1
            row = await _live(conn, subject.key)
        assert row is not None, "a live meeting row exists after the claim"
        return Claim(meeting_from(row), mine)

    async def get_meeting(self, meeting_id: int) -> Meeting | None:
        """A kennismoment by id."""
        async with self._engine.connect() as conn:
            row = await _by_id(conn, meeting_id)
        return meeting_from(row) if row else None

    async def mark_scheduled(self, meeting_id: int, event_id: str | None, join_url: str, now: datetime) -> Meeting:
        """The Teams meeting exists (or its link was typed): record it as scheduled."""
        values = {"event_id": event_id, "join_url": join_url, "state": MeetingState.SCHEDULED.value}
        return await self._change(meeting_id, now, lease_until=None, last_error=None, timed_at=now, **values)

    async def mark_failed(self, meeting_id: int, error: str) -> None:
        """Creating the Teams meeting failed; a new attempt may take the row again."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(meetings)
                .where(meetings.c.id == meeting_id, meetings.c.state == MeetingState.CREATING.value)
                .values(state=MeetingState.FAILED.value, lease_until=None, last_error=error[:2000])
            )

    async def reschedule(self, meeting_id: int, starts_at: datetime, minutes: int, now: datetime) -> Meeting:
        """Record a new start and duration (a new revision)."""
        return await self._change(meeting_id, now, starts_at=starts_at, minutes=minutes, timed_at=now)

    async def mark_cancelled(self, meeting_id: int, now: datetime) -> Meeting:
        """Record the cancellation (a new revision)."""
        return await self._change(meeting_id, now, state=MeetingState.CANCELLED.value, cancelled_at=now)

    async def rkks(self, keys: Collection[str]) -> Sequence[Rkk]:
        """These RKKs as configured and installed (unknown keys left out)."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(rkks).where(rkks.c.key.in_(list(keys))).order_by(rkks.c.key))
            return [rkk_from(row) for row in rows]

    async def meetings_to_follow(self, now: datetime) -> Sequence[Meeting]:
        """Scheduled meetings not yet over (a meeting lasts at most 8 hours) and meetings changed lately."""
        query = select(meetings).where(
            or_(
                and_(meetings.c.state == MeetingState.SCHEDULED.value, meetings.c.starts_at > now - timedelta(hours=8)),
                and_(meetings.c.state != MeetingState.CREATING.value, meetings.c.updated_at > now - FOLLOW_BACK),
            )
        )
        async with self._engine.connect() as conn:
            return [meeting_from(row) for row in await conn.execute(query.order_by(meetings.c.id))]

    async def _change(self, meeting_id: int, now: datetime, **values: Any) -> Meeting:
        """Update a meeting with a new revision (every card shows it) and return it."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(meetings)
                .where(meetings.c.id == meeting_id)
                .values(revision=meetings.c.revision + 1, updated_at=now, **values)
            )
            row = await _by_id(conn, meeting_id)
        if row is None:
            raise LookupError(f"meeting {meeting_id} does not exist")
        return meeting_from(row)


def _details(details: Details) -> dict[str, Any]:
    return {
        "title": details.title[:200],
        "description": details.description,
        "starts_at": details.starts_at,
        "minutes": details.minutes,
        "mode": details.mode.value,
        "location": details.location[:300],
        "speaker": details.speaker[:300],
        "join_url": details.join_url,
    }


async def _live(conn: AsyncConnection, subject_key: str) -> Any:
    query = select(meetings).where(
        meetings.c.subject_key == subject_key, meetings.c.state != MeetingState.CANCELLED.value
    )
    return (await conn.execute(query)).first()


async def _by_id(conn: AsyncConnection, meeting_id: int) -> Any:
    return (await conn.execute(select(meetings).where(meetings.c.id == meeting_id))).first()
