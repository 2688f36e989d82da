"""Tables of kennismomenten; migration 0011 creates them. Same metadata as tables.py."""

from __future__ import annotations

import logging

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, text

from rkk.store.tables import metadata

logger = logging.getLogger(__name__)

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_key", String(200), nullable=False),  # "theme:<key>" or "topic:<id>"
    Column("theme_key", String(100), ForeignKey("themes.key")),
    Column("label", String(300), nullable=False),
    Column("subject_description", Text, nullable=False),
    Column("rkks", Text, nullable=False),  # JSON list of the RKK keys that raised the subject
    Column("bestuur_count", Integer, nullable=False),
    Column("state", String(20), nullable=False),  # creating, scheduled, failed, cancelled
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("mode", String(10), nullable=False),
    Column("location", String(300), nullable=False),
    Column("speaker", String(300), nullable=False),
    Column("join_url", Text, nullable=False),
    Column("organizer", String(320)),
    Column("event_id", String(500)),
    Column("transaction_id", String(64), nullable=False),  # kept across attempts: Graph dedupes on it
    Column("revision", Integer, nullable=False, server_default=text("0")),
    Column("planned_by_id", String(200), nullable=False),
    Column("planned_by_name", String(300), nullable=False),
    Column("lease_until", DateTime(timezone=True)),  # an attempt that died "creating" may be taken after this
    Column("attempts", Integer, nullable=False, server_default=text("1")),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("timed_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
)
# One live kennismoment per subject: a second plan (another replica, a double press) cannot insert.
Index(
    "uq_meetings_live_subject",
    meetings.c.subject_key,
    unique=True,
    sqlite_where=meetings.c.state != "cancelled",
    postgresql_where=meetings.c.state != "cancelled",
)
Index("ix_meetings_theme", meetings.c.theme_key)

# One row per meeting and place: the primary key is what makes "announced once per channel" hold.
meeting_announcements = Table(
    "meeting_announcements",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("place", String(110), primary_key=True),  # an RKK key, or "@overkoepelend"
    Column("state", String(20), nullable=False),  # claimed, posted, failed
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("posted_at", DateTime(timezone=True)),
    Column("service_url", String(500)),
    Column("tenant_id", String(100)),
    Column("team_id", String(200)),
    Column("channel_id", String(200)),
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("shown_revision", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
)

meeting_rsvps = Table(
    "meeting_rsvps",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", String(100), primary_key=True),
    Column("teams_user_id", String(200), nullable=False),
    Column("member_name", String(300), nullable=False),
    Column("bestuur", String(200), nullable=False),
    Column("place", String(110), nullable=False),
    Column("going", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_meeting_rsvps_member", meeting_rsvps.c.member_id)

# Replies in the announcement threads (reminder, moved, cancelled): claimed before sending, once each.
meeting_notices = Table(
    "meeting_notices",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("place", String(110), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("key", String(40), primary_key=True),  # the meeting day for a reminder, the revision for a move
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)
