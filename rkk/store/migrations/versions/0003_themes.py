"""themes: stored answer features, themes and their answers, cross-posts, decisions, forwards

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_features",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("words", sa.LargeBinary(), nullable=False),
        sa.Column("chars", sa.LargeBinary(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("clustered", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    op.create_table(
        "themes",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("rkks", sa.Text(), nullable=False),
        sa.Column("besturen", sa.Text(), nullable=False),
        sa.Column("first_week", sa.String(length=8), nullable=False),
        sa.Column("last_week", sa.String(length=8), nullable=False),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("merged_into", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "theme_answers",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_key", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_key"], ["themes.key"]),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    op.create_index("ix_theme_answers_theme", "theme_answers", ["theme_key"])
    op.create_table(
        "theme_crossposts",
        sa.Column("theme_key", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=100), nullable=True),
        sa.Column("team_id", sa.String(length=200), nullable=True),
        sa.Column("channel_id", sa.String(length=200), nullable=True),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("rkks", sa.Text(), nullable=False),
        sa.Column("besturen", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["theme_key"], ["themes.key"]),
        sa.PrimaryKeyConstraint("theme_key"),
    )
    op.create_index("ix_theme_crossposts_conversation", "theme_crossposts", ["conversation_id"])
    op.create_table(
        "theme_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("theme_key", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("by_id", sa.String(length=200), nullable=False),
        sa.Column("by_name", sa.String(length=300), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rkks", sa.Text(), nullable=False),
        sa.Column("besturen", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["theme_key"], ["themes.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_decisions_theme", "theme_decisions", ["theme_key"])
    op.create_table(
        "thread_forwards",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("by_id", sa.String(length=200), nullable=False),
        sa.Column("by_name", sa.String(length=300), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("team_id", sa.String(length=200), nullable=True),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"]),
        sa.PrimaryKeyConstraint("round_id"),
    )
    op.create_table(
        "theme_leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("theme_leases")
    op.drop_table("thread_forwards")
    op.drop_index("ix_theme_decisions_theme", table_name="theme_decisions")
    op.drop_table("theme_decisions")
    op.drop_index("ix_theme_crossposts_conversation", table_name="theme_crossposts")
    op.drop_table("theme_crossposts")
    op.drop_index("ix_theme_answers_theme", table_name="theme_answers")
    op.drop_table("theme_answers")
    op.drop_table("themes")
    op.drop_table("theme_features")
