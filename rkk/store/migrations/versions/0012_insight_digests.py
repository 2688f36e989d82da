"""weekly digests of insights (one row per ISO week claims that week's digest), and answers indexed by round

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_digests",
        sa.Column("week", sa.String(length=8), primary_key=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conversation_id", sa.String(length=400), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_answers_round", "answers", ["round_id", "hidden", "bestuur"])


def downgrade() -> None:
    op.drop_index("ix_answers_round", table_name="answers")
    op.drop_table("insight_digests")
