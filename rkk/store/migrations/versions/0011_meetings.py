"""meetings: kennismomenten, their announcements per place, members' answers and thread replies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_key", sa.String(length=200), nullable=False),
        sa.Column("theme_key", sa.String(length=100), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("subject_description", sa.Text(), nullable=False),
        sa.Column("rkks", sa.Text(), nullable=False),
        sa.Column("bestuur_count", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("speaker", sa.String(length=300), nullable=False),
        sa.Column("join_url", sa.Text(), nullable=False),
        sa.Column("organizer", sa.String(length=320), nullable=True),
        sa.Column("event_id", sa.String(length=500), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("planned_by_id", sa.String(length=200), nullable=False),
        sa.Column("planned_by_name", sa.String(length=300), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["theme_key"], ["themes.key"], name="fk_meetings_theme"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_meetings_live_subject",
        "meetings",
        ["subject_key"],
        unique=True,
        sqlite_where=sa.text("state != 'cancelled'"),
        postgresql_where=sa.text("state != 'cancelled'"),
    )
    op.create_index("ix_meetings_theme", "meetings", ["theme_key"])
    op.create_table(
        "meeting_announcements",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=110), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=100), nullable=True),
        sa.Column("team_id", sa.String(length=200), nullable=True),
        sa.Column("channel_id", sa.String(length=200), nullable=True),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("shown_revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], ondelete="CASCADE", name="fk_meeting_announcements_meeting"
        ),
        sa.PrimaryKeyConstraint("meeting_id", "place"),
    )
    op.create_table(
        "meeting_rsvps",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=100), nullable=False),
        sa.Column("teams_user_id", sa.String(length=200), nullable=False),
        sa.Column("member_name", sa.String(length=300), nullable=False),
        sa.Column("bestuur", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=110), nullable=False),
        sa.Column("going", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE", name="fk_meeting_rsvps_meeting"),
        sa.PrimaryKeyConstraint("meeting_id", "member_id"),
    )
    op.create_index("ix_meeting_rsvps_member", "meeting_rsvps", ["member_id"])
    op.create_table(
        "meeting_notices",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=110), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], ondelete="CASCADE", name="fk_meeting_notices_meeting"
        ),
        sa.PrimaryKeyConstraint("meeting_id", "place", "kind", "key"),
    )


def downgrade() -> None:
    op.drop_table("meeting_notices")
    op.drop_index("ix_meeting_rsvps_member", table_name="meeting_rsvps")
    op.drop_table("meeting_rsvps")
    op.drop_table("meeting_announcements")
    op.drop_index("ix_meetings_theme", table_name="meetings")
    op.drop_index("uq_meetings_live_subject", table_name="meetings")
    op.drop_table("meetings")
