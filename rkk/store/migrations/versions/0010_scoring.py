"""scoring: rounds in which besturen score the rode draden 0-10, their topics, cards, score sets

New tables only, so the downgrade drops them and touches nothing else.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ROUND = "scoring_rounds.id"


def upgrade() -> None:
    op.create_table(
        "scoring_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("share_with_rkks", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("started_by_id", sa.String(length=200), nullable=False),
        sa.Column("started_by", sa.String(length=300), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_scoring_rounds_open",
        "scoring_rounds",
        ["state"],
        unique=True,
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )
    op.create_table(
        "scoring_audience",
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("rkk_key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rkk_key"], ["rkks.key"]),
        sa.PrimaryKeyConstraint("scoring_id", "rkk_key", name="pk_scoring_audience"),
    )
    op.create_table(
        "scoring_topics",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("theme_key", sa.String(length=100), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("besturen", sa.Integer(), nullable=False),
        sa.Column("rkks", sa.Integer(), nullable=False),
        sa.Column("local_impact", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scoring_id", "position", name="uq_scoring_topics_position"),
    )
    op.create_table(
        "scoring_posts",
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_key", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uncertain_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=100), nullable=True),
        sa.Column("team_id", sa.String(length=200), nullable=True),
        sa.Column("channel_id", sa.String(length=200), nullable=True),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("reminded_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shown_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("card_closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_link", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scoring_id", "kind", "target_key", name="pk_scoring_posts"),
    )
    op.create_table(
        "score_submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("rkk_key", sa.String(length=100), nullable=False),
        sa.Column("bestuur", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.String(length=100), nullable=False),
        sa.Column("member_teams_id", sa.String(length=200), nullable=False),
        sa.Column("member_name", sa.String(length=300), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_score_submissions_round", "score_submissions", ["scoring_id", "rkk_key"])
    op.create_table(
        "score_values",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 10)", name="ck_score_values_range"),
        sa.ForeignKeyConstraint(["submission_id"], ["score_submissions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["scoring_topics.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("submission_id", "topic_id", name="pk_score_values"),
    )
    op.create_table(
        "score_sets",
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("bestuur", sa.String(length=200), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["score_submissions.id"]),
        sa.PrimaryKeyConstraint("scoring_id", "bestuur", name="pk_score_sets"),
    )
    op.create_table(
        "scoring_viewers",
        sa.Column("scoring_id", sa.Integer(), nullable=False),
        sa.Column("rkk_key", sa.String(length=100), nullable=False),
        sa.Column("teams_id", sa.String(length=200), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scoring_id"], [_ROUND], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("scoring_id", "rkk_key", "teams_id", name="pk_scoring_viewers"),
    )


def downgrade() -> None:
    op.drop_table("scoring_viewers")
    op.drop_table("score_sets")
    op.drop_table("score_values")
    op.drop_index("ix_score_submissions_round", table_name="score_submissions")
    op.drop_table("score_submissions")
    op.drop_table("scoring_posts")
    op.drop_table("scoring_topics")
    op.drop_table("scoring_audience")
    op.drop_index("uq_scoring_rounds_open", table_name="scoring_rounds")
    op.drop_table("scoring_rounds")
