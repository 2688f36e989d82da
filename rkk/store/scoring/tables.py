"""Tables of the scoring round; migration 0010 creates them. Same metadata as rkk/store/tables.py."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from rkk.store.tables import metadata

scoring_rounds = Table(
    "scoring_rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(10), nullable=False),  # open, closed
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("threshold", Float, nullable=False),  # the top-3 share "hoog", as it was at the start
    Column("share_with_rkks", Boolean, nullable=False, server_default=text("false")),
    Column("started_by_id", String(200), nullable=False),
    Column("started_by", String(300), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)
# One open round at a time, whoever starts it: a second insert in state "open" fails.
Index(
    "uq_scoring_rounds_open",
    scoring_rounds.c.state,
    unique=True,
    sqlite_where=scoring_rounds.c.state == "open",
    postgresql_where=scoring_rounds.c.state == "open",
)

scoring_audience = Table(
    "scoring_audience",
    metadata,
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("rkk_key", String(100), ForeignKey("rkks.key"), nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("scoring_id", "rkk_key", name="pk_scoring_audience"),
)

# A topic's label, description and spread are copied at the start: a ballot never changes while open.
scoring_topics = Table(
    "scoring_topics",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("theme_key", String(100)),  # the rode draad; NULL for a topic added by hand
    Column("label", String(300), nullable=False),
    Column("description", String(500), nullable=False, server_default=""),
    Column("besturen", Integer, nullable=False),
    Column("rkks", Integer, nullable=False),
    Column("local_impact", Boolean, nullable=False),
    UniqueConstraint("scoring_id", "position", name="uq_scoring_topics_position"),
)

# Every card a round posts; the primary key is what makes "posted once" hold across replicas, and
# owner/lease/sending_at are the rounds' fence (see rkk/scoring/posting.py).
scoring_posts = Table(
    "scoring_posts",
    metadata,
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),  # ballot, results
    Column("target_key", String(100), nullable=False),  # an RKK key, or "overkoepelend"
    Column("state", String(10), nullable=False),  # claimed, posted, failed
    Column("owner", String(64)),
    Column("lease_until", DateTime(timezone=True)),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("1")),
    Column("sending_at", DateTime(timezone=True)),
    Column("uncertain_at", DateTime(timezone=True)),
    Column("posted_at", DateTime(timezone=True)),
    Column("service_url", String(500)),
    Column("tenant_id", String(100)),
    Column("team_id", String(200)),
    Column("channel_id", String(200)),
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("reminded_for", DateTime(timezone=True)),  # the deadline the reminder was sent for
    Column("reminded_at", DateTime(timezone=True)),
    Column("shown_deadline", DateTime(timezone=True)),
    Column("card_closed_at", DateTime(timezone=True)),
    Column("closed_link", String(200)),  # the results message the closed card links to ("" none yet)
    Column("last_error", Text),
    PrimaryKeyConstraint("scoring_id", "kind", "target_key", name="pk_scoring_posts"),
)

# Every submission is kept (audit); score_sets points at the one that counts for each bestuur.
score_submissions = Table(
    "score_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("rkk_key", String(100), nullable=False),
    Column("bestuur", String(200), nullable=False),
    Column("member_id", String(100), nullable=False),
    Column("member_teams_id", String(200), nullable=False),
    Column("member_name", String(300), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)
Index("ix_score_submissions_round", score_submissions.c.scoring_id, score_submissions.c.rkk_key)

score_values = Table(
    "score_values",
    metadata,
    Column("submission_id", Integer, ForeignKey("score_submissions.id", ondelete="CASCADE"), nullable=False),
    Column("topic_id", Integer, ForeignKey("scoring_topics.id", ondelete="CASCADE"), nullable=False),
    Column("score", Integer),  # NULL: the topic was left empty ("not scored")
    CheckConstraint("score IS NULL OR (score >= 0 AND score <= 10)", name="ck_score_values_range"),
    PrimaryKeyConstraint("submission_id", "topic_id", name="pk_score_values"),
)

score_sets = Table(
    "score_sets",
    metadata,
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("bestuur", String(200), nullable=False),
    Column("submission_id", Integer, ForeignKey("score_submissions.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("scoring_id", "bestuur", name="pk_score_sets"),
)

# Members who acted on a ballot: the card lists them in refresh.userIds (Teams allows 60).
scoring_viewers = Table(
    "scoring_viewers",
    metadata,
    Column("scoring_id", Integer, ForeignKey("scoring_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("rkk_key", String(100), nullable=False),
    Column("teams_id", String(200), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("scoring_id", "rkk_key", "teams_id", name="pk_scoring_viewers"),
)
