"""Reads and writes of announcements, members' answers and thread replies (part of MeetingStore)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.answers import UNKNOWN_BESTUUR
from rkk.meetings import Announcement, Attendance, Rsvp
from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.store.meetings.rows import announcement_from, rsvp_from
from rkk.store.meetings.tables import meeting_announcements, meeting_notices, meeting_rsvps, meetings
from rkk.store.rows import insert_once, posted_values, retake_or_insert

logger = logging.getLogger(__name__)


class PlaceQueries:
    """Announcements per place, answers and replies; each method one transaction."""

    _engine: AsyncEngine

    async def claim_announcement(self, meeting_id: int, place: str, now: datetime) -> bool:
        """Claim the announcement in one place (new, or after a failure); False if done or under way."""
        table = meeting_announcements
        key = (table.c.meeting_id == meeting_id) & (table.c.place == place)
        async with self._engine.begin() as conn:
            return await retake_or_insert(conn, table, key, {"claimed_at": now}, meeting_id=meeting_id, place=place)

    async def mark_announced(
        self, meeting_id: int, place: str, target: ChannelTarget, posted: Posted, revision: int, now: datetime
    ) -> None:
        """Record where the announcement landed and which revision it shows."""
        table = meeting_announcements
        async with self._engine.begin() as conn:
            await conn.execute(
                update(table)
                .where(table.c.meeting_id == meeting_id, table.c.place == place)
                .values(
                    state="posted",
                    posted_at=now,
                    shown_revision=revision,
                    last_error=None,
                    **posted_values(target, posted),
                )
            )

    async def mark_announcement_failed(self, meeting_id: int, place: str, error: str) -> None:
        """Record a failed announcement, so that a later run may claim it again."""
        table = meeting_announcements
        async with self._engine.begin() as conn:
            await conn.execute(
                update(table)
                .where(table.c.meeting_id == meeting_id, table.c.place == place)
                .values(state="failed", last_error=error[:2000])
            )

    async def announcements(self, meeting_id: int) -> Sequence[Announcement]:
        """Every announcement of the meeting, in whatever state, by place."""
        table = meeting_announcements
        query = select(table).where(table.c.meeting_id == meeting_id).order_by(table.c.place)
        async with self._engine.connect() as conn:
            return [announcement_from(row) for row in await conn.execute(query)]

    async def mark_shown(self, meeting_id: int, place: str, revision: int) -> None:
        """The card in this place shows `revision` now (a slower, older update never lowers it)."""
        table = meeting_announcements
        async with self._engine.begin() as conn:
            await conn.execute(
                update(table)
                .where(table.c.meeting_id == meeting_id, table.c.place == place, table.c.shown_revision < revision)
                .values(shown_revision=revision)
            )

    async def save_rsvp(self, rsvp: Rsvp, now: datetime) -> Attendance:
        """Store or change a member's answer and bump the meeting's revision; the attendance after it."""
        table = meeting_rsvps
        values = {
            "teams_user_id": rsvp.teams_user_id[:200],
            "member_name": rsvp.name[:300],
            "bestuur": rsvp.bestuur[:200],
            "place": rsvp.place,
            "going": rsvp.going,
            "updated_at": now,
        }
        async with self._engine.begin() as conn:
            changed = await conn.execute(
                update(table)
                .where(table.c.meeting_id == rsvp.meeting_id, table.c.member_id == rsvp.member_id)
                .values(**values)
            )
            if changed.rowcount == 0 and not await insert_once(
                conn, table, meeting_id=rsvp.meeting_id, member_id=rsvp.member_id[:100], **values
            ):  # the same member answered twice at once: the later answer wins
                await conn.execute(
                    update(table)
                    .where(table.c.meeting_id == rsvp.meeting_id, table.c.member_id == rsvp.member_id)
                    .values(**values)
                )
            await conn.execute(
                update(meetings)
                .where(meetings.c.id == rsvp.meeting_id)
                .values(revision=meetings.c.revision + 1, updated_at=now)
            )
        return await self.attendance(rsvp.meeting_id)

    async def rsvp_of(self, meeting_id: int, member_id: str) -> Rsvp | None:
        """A member's answer, if any."""
        table = meeting_rsvps
        query = select(table).where(table.c.meeting_id == meeting_id, table.c.member_id == member_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return rsvp_from(row) if row else None

    async def attendance(self, meeting_id: int) -> Attendance:
        """Members who come, and the distinct besturen among them (an unknown bestuur is not counted)."""
        table = meeting_rsvps
        going = (table.c.meeting_id == meeting_id) & table.c.going.is_(True)
        members = select(func.count()).select_from(table).where(going)
        besturen = select(func.count(func.distinct(table.c.bestuur))).where(going, table.c.bestuur != UNKNOWN_BESTUUR)
        async with self._engine.connect() as conn:
            return Attendance(int((await conn.scalar(members)) or 0), int((await conn.scalar(besturen)) or 0))

    async def recent_responders(self, meeting_id: int, limit: int) -> Sequence[str]:
        """Teams user ids of the latest members who answered, newest first."""
        table = meeting_rsvps
        query = (
            select(table.c.teams_user_id)
            .where(table.c.meeting_id == meeting_id)
            .order_by(table.c.updated_at.desc(), table.c.member_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [row.teams_user_id for row in await conn.execute(query)]

    async def claim_notice(self, meeting_id: int, place: str, kind: str, key: str, now: datetime) -> bool:
        """Claim one reply in one place; False if it was sent or claimed already."""
        async with self._engine.begin() as conn:
            return await insert_once(
                conn, meeting_notices, meeting_id=meeting_id, place=place, kind=kind, key=key, claimed_at=now
            )

    async def release_notice(self, meeting_id: int, place: str, kind: str, key: str) -> None:
        """Give a claimed reply back after Teams refused it, so that a later run sends it."""
        table = meeting_notices
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(table).where(
                    table.c.meeting_id == meeting_id, table.c.place == place, table.c.kind == kind, table.c.key == key
                )
            )
