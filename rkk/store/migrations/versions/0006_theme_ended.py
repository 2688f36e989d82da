"""themes that ended: a theme whose answers all left it is marked, not listed, its card kept

Also joins the heads 0002 to 0005, which each branch from 0001, into one line again.

Revision ID: 0006
Revises: 0002, 0003, 0004, 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = ("0002", "0003", "0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
