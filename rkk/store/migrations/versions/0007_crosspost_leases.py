"""cross-post claims with an owner, a lease and a sending mark, so a dead process's unsent claim is retaken

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("theme_crossposts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("theme_crossposts", schema=None) as batch_op:
        batch_op.drop_column("sending_at")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("owner")
