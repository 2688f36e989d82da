"""SQLAlchemy Core tables; Alembic migrations create them (see migrations/versions)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

teams = Table(
    "teams",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("aad_group_id", String(100)),  # the team's id in Microsoft Graph
    Column("tenant_id", String(100), nullable=False),
    Column("service_url", String(500), nullable=False),
    Column("bot_id", String(200), nullable=False),
    Column("installed_at", DateTime(timezone=True), nullable=False),
    Column("greeted_at", DateTime(timezone=True)),
)

channels = Table(
    "channels",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("team_id", String(200), ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
)

rkks = Table(
    "rkks",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("team_id", String(200)),
    Column("channel_id", String(200)),
    Column("service_url", String(500)),
    Column("tenant_id", String(100)),
)

questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("source", String(20), nullable=False),  # bank (later: rkk queue, shared queue)
    Column("position", Integer, nullable=False, server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rkk_key", String(100), ForeignKey("rkks.key"), nullable=False),
    Column("week", String(8), nullable=False),
    Column("question_id", Integer, ForeignKey("questions.id"), nullable=False),
    Column("question_text", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("posted_at", DateTime(timezone=True)),
    Column("conversation_id", String(400)),
    Column("message_id", String(200)),
    Column("attempts", Integer, nullable=False, server_default=text("1")),
    Column("last_error", Text),
    UniqueConstraint("rkk_key", "week", name="uq_rounds_rkk_week"),
)

members = Table(
    "members",
    metadata,
    Column("aad_object_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("email", String(320)),
    Column("bestuur", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id"), nullable=False),
    Column("member_id", String(100), ForeignKey("members.aad_object_id"), nullable=False),
    Column("member_name", String(300), nullable=False),
    Column("bestuur", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("source", String(10), nullable=False),
    Column("message_id", String(200)),
    Column("hidden", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One card answer per member per round; replies are keyed by their Teams message id.
Index(
    "uq_answers_card_member",
    answers.c.round_id,
    answers.c.member_id,
    unique=True,
    sqlite_where=answers.c.source == "card",
    postgresql_where=answers.c.source == "card",
)
Index("uq_answers_message", answers.c.message_id, unique=True)


# --- round lifecycle (migration 0002) -----------------------------------------
# Appended to the tables above so every existing query keeps working unchanged.

questions.append_column(Column("rkk_key", String(100)))  # queued for one RKK; NULL: shared queue (or the bank)
questions.append_column(Column("state", String(20), nullable=False, server_default="active"))  # queued/asked/removed
questions.append_column(Column("author", String(300)))
questions.append_column(Column("created_at", DateTime(timezone=True)))
Index("ix_questions_queue", questions.c.source, questions.c.rkk_key, questions.c.state, questions.c.position)

rounds.append_column(Column("owner", String(64)))  # the process that holds the claim (fencing token)
rounds.append_column(Column("lease_until", DateTime(timezone=True)))  # others may take an unsent claim after this
rounds.append_column(Column("sending_at", DateTime(timezone=True)))  # the HTTP call to Teams started
rounds.append_column(Column("uncertain_at", DateTime(timezone=True)))  # died inside that call: a coordinator decides
rounds.append_column(Column("reminded_at", DateTime(timezone=True)))
rounds.append_column(Column("reminder_message_id", String(200)))
rounds.append_column(Column("closed_at", DateTime(timezone=True)))
rounds.append_column(Column("card_closed_at", DateTime(timezone=True)))  # the card shows "afgesloten"
rounds.append_column(Column("final_count", Integer))
Index("ix_rounds_state", rounds.c.state)

round_notices = Table(
    "round_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rkk_key", String(100), ForeignKey("rkks.key"), nullable=False),
    Column("week", String(8), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("detail", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("rkk_key", "week", "kind", name="uq_round_notices_rkk_week_kind"),
)
