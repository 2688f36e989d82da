"""rounds lifecycle: question queues, claim fencing, reminders, closing, notices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rkk_key", sa.String(length=100), nullable=True))  # NULL: shared queue / bank
        batch_op.add_column(sa.Column("state", sa.String(length=20), server_default="active", nullable=False))
        batch_op.add_column(sa.Column("author", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_questions_queue", ["source", "rkk_key", "state", "position"])
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("uncertain_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminder_message_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("card_closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("final_count", sa.Integer(), nullable=True))
        batch_op.create_index("ix_rounds_state", ["state"])
    op.create_table(
        "round_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rkk_key", sa.String(length=100), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["rkk_key"], ["rkks.key"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rkk_key", "week", "kind", name="uq_round_notices_rkk_week_kind"),
    )


def downgrade() -> None:
    op.drop_table("round_notices")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_rounds_state")
        for name in (
            "final_count",
            "card_closed_at",
            "closed_at",
            "reminder_message_id",
            "reminded_at",
            "uncertain_at",
            "sending_at",
            "lease_until",
            "owner",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_queue")
        for name in ("created_at", "author", "state", "rkk_key"):
            batch_op.drop_column(name)
