"""Harvest of thread replies: where an interrupted harvest of a round resumes.

A table of its own rather than a column on `rounds`: other branches alter `rounds`, and on SQLite
dropping a column again would rebuild `rounds` under the foreign keys of `answers`.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_cursors",
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", ondelete="CASCADE", name="fk_harvest_cursors_round"),
            primary_key=True,
        ),
        sa.Column("next_link", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("harvest_cursors")
