"""Tables of recurring themes and cross-posts; migration 0003 creates them, 0006 adds themes.ended_at,
0007 the owner, lease and sending mark of a cross-post's claim, 0009 themes.description and themes.name.

Same metadata as tables.py.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    text,
)

from rkk.store.tables import metadata

# An answer's features, computed once when it is first seen (again only after an edit or a
# new FEATURES_VERSION); `clustered` says whether the stored theme state already holds them.
theme_features = Table(
    "theme_features",
    metadata,
    Column("answer_id", Integer, ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("source_updated_at", DateTime(timezone=True), nullable=False),  # answers.updated_at when read
    Column("meta", Text, nullable=False),
    Column("words", LargeBinary, nullable=False),
    Column("chars", LargeBinary, nullable=False),
    Column("vector", LargeBinary),
    Column("clustered", Boolean, nullable=False, server_default=text("false")),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

themes = Table(
    "themes",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("label", String(300), nullable=False),
    Column("terms", Text, nullable=False),  # JSON list
    Column("rkks", Text, nullable=False),  # JSON list of RKK keys
    Column("besturen", Text, nullable=False),  # JSON list
    Column("first_week", String(8), nullable=False),
    Column("last_week", String(8), nullable=False),
    Column("recurring", Boolean, nullable=False),
    Column("state", String(20), nullable=False),  # active, crossposted, dismissed, planned, merged
    Column("merged_into", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Set when the theme left the answers (every answer removed or regrouped): no longer listed,
    # while `state` keeps where it stood, so a card and its decision stay as they were.
    Column("ended_at", DateTime(timezone=True)),
    # The engine's one-sentence description (rewritten every run, like the label), and the name a
    # coordinator gave the theme: shown instead of the label, never touched by a refresh.
    Column("description", Text, nullable=False, server_default=""),
    Column("name", String(80)),
)

theme_answers = Table(
    "theme_answers",
    metadata,
    Column("answer_id", Integer, ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_key", String(100), ForeignKey("themes.key"), nullable=False),
)
Index("ix_theme_answers_theme", theme_answers.c.theme_key)

# One row per theme: the primary key is what makes "posted once" hold across replicas.
theme_crossposts = Table(
    "theme_crossposts",
    metadata,
    Column("theme_key", String(100), ForeignKey("themes.key"), primary_key=True),
    Column("state", String(20), nullable=False),  # claimed, posted, failed
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("posted_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
    Column("service_url", String(500)),
    Column("tenant_id", String(100)),
    Column("team_id", String(200)),
    Column("channel_id", String(200)),
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("rkks", Text, nullable=False),  # JSON: what the card shows now
    Column("besturen", Text, nullable=False),
    Column("revision", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    # As for rounds: an unsent claim whose owner is gone may be retaken once the lease ran out;
    # a claim whose request may have reached Teams (sending_at set) is never retaken on its own.
    Column("owner", String(200)),
    Column("lease_until", DateTime(timezone=True)),
    Column("sending_at", DateTime(timezone=True)),
)
Index("ix_theme_crossposts_conversation", theme_crossposts.c.conversation_id)

theme_decisions = Table(
    "theme_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("theme_key", String(100), ForeignKey("themes.key"), nullable=False),
    Column("decision", String(20), nullable=False),  # plan, dismiss
    Column("by_id", String(200), nullable=False),
    Column("by_name", String(300), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("rkks", Text, nullable=False),  # JSON: the theme as it stood (a dismissal's baseline)
    Column("besturen", Text, nullable=False),
)
Index("ix_theme_decisions_theme", theme_decisions.c.theme_key)

thread_forwards = Table(
    "thread_forwards",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id"), primary_key=True),
    Column("state", String(20), nullable=False),  # claimed, posted, failed
    Column("by_id", String(200), nullable=False),
    Column("by_name", String(300), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("team_id", String(200)),  # the umbrella team the forward went to
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("last_error", Text),
)
