"""theme names: each theme's one-sentence description, and the name a coordinator gave it

The refresh writes `label` and `description` from the engine every run; `name` is set only by a
coordinator ("Naam aanpassen") and shown instead of the label. Who set it and when is in audit_log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    # In place (SQLite >= 3.35 drops a plain column itself): batch mode's copy-and-move would drop
    # the table, which SQLite refuses while theme_answers, cross-posts and decisions refer to it.
    with op.batch_alter_table("themes", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("name")
        batch_op.drop_column("description")
