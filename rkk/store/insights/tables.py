"""The table of weekly digests (migration 0011): one row per ISO week, so the digest is posted once a week.

Same metadata as tables.py.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text

from rkk.store.tables import metadata

insight_digests = Table(
    "insight_digests",
    metadata,
    Column("week", String(8), primary_key=True),  # the primary key is what makes "once a week" hold
    Column("state", String(20), nullable=False),  # claimed, posted, failed, uncertain
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("posted_at", DateTime(timezone=True)),
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("last_error", Text),
)
