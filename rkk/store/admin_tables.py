"""Tables for what coordinators steer: per-RKK controls and the audit log (migration 0004), and install secrets."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from rkk.store.tables import metadata

rkk_controls = Table(
    "rkk_controls",
    metadata,
    Column("rkk_key", String(100), ForeignKey("rkks.key"), primary_key=True),
    Column("paused_until", Date),  # inclusive; no question while today <= paused_until
    Column("pause_reason", String(300)),
    Column("skipped_week", String(8)),  # ISO week a coordinator skipped
    Column("schedule_weekday", Integer),  # 0 = Monday; overrides the config when set
    Column("schedule_time", String(5)),  # "HH:MM", Brussels time
    Column("updated_by", String(300)),
    Column("updated_at", DateTime(timezone=True)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_name", String(300), nullable=False),
    Column("action", String(50), nullable=False),
    Column("rkk_key", String(100)),
    Column("detail", Text, nullable=False),
    Column("conversation_id", String(400)),
)

# Secrets made by the install itself (migration 0008): the key of erased members' pseudonyms when the
# environment sets none. Never shown or logged.
install_secrets = Table(
    "install_secrets",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
