"""Rows of the meeting tables to domain records."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import Row

from rkk.crosspost import Actor
from rkk.meetings import Announcement, Details, Meeting, MeetingState, Mode, Rsvp, Subject
from rkk.store.rows import target_from
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)


def keys_of(text: str) -> tuple[str, ...]:
    """A JSON list of RKK keys."""
    value = json.loads(text)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def meeting_from(row: Row[Any]) -> Meeting:
    """A `meetings` row."""
    subject = Subject(
        key=row.subject_key,
        label=row.label,
        description=row.subject_description,
        rkk_keys=keys_of(row.rkks),
        bestuur_count=row.bestuur_count,
        theme_key=row.theme_key,
    )
    details = Details(
        title=row.title,
        starts_at=as_utc(row.starts_at),
        minutes=row.minutes,
        description=row.description,
        mode=Mode(row.mode),
        location=row.location,
        speaker=row.speaker,
        join_url=row.join_url,
    )
    return Meeting(
        id=row.id,
        subject=subject,
        details=details,
        state=MeetingState(row.state),
        organizer=row.organizer,
        event_id=row.event_id,
        transaction_id=row.transaction_id,
        revision=row.revision,
        planned_by=Actor(row.planned_by_id, row.planned_by_name),
        created_at=as_utc(row.created_at),
        timed_at=as_utc(row.timed_at),
    )


def announcement_from(row: Row[Any]) -> Announcement:
    """A `meeting_announcements` row."""
    return Announcement(
        meeting_id=row.meeting_id,
        place=row.place,
        state=row.state,
        target=target_from(row),
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        shown_revision=row.shown_revision,
    )


def rsvp_from(row: Row[Any]) -> Rsvp:
    """A `meeting_rsvps` row."""
    return Rsvp(
        meeting_id=row.meeting_id,
        member_id=row.member_id,
        teams_user_id=row.teams_user_id,
        name=row.member_name,
        bestuur=row.bestuur,
        place=row.place,
        going=bool(row.going),
    )
