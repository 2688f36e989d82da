"""Coordinator controls per RKK (pause, skip, schedule) and the audit log.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rkk_controls",
        sa.Column("rkk_key", sa.String(length=100), sa.ForeignKey("rkks.key"), primary_key=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("pause_reason", sa.String(length=300), nullable=True),
        sa.Column("skipped_week", sa.String(length=8), nullable=True),
        sa.Column("schedule_weekday", sa.Integer(), nullable=True),
        sa.Column("schedule_time", sa.String(length=5), nullable=True),
        sa.Column("updated_by", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("actor_name", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("rkk_key", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("rkk_controls")
