"""The table of weekly digests and the index the aggregates need (migration 0012).

Same metadata as tables.py.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Text

from rkk.store.tables import answers, metadata

# Answers by round: without it, one RKK's numbers scan every answer once per round (SQLite nests the loops).
Index("ix_answers_round", answers.c.round_id, answers.c.hidden, answers.c.bestuur)

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
