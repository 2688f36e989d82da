"""Shared pieces of the SQL adapters: turning rows into domain records, inserting once under races."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Row, Table, TextClause, insert, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from rkk.model import ChannelTarget, Rkk, Round, RoundState
from rkk.ports import Posted
from rkk.rounds import RoundFacts
from rkk.store.timestamps import as_utc_or_none


def round_from(row: Row[Any]) -> Round:
    """A `rounds` row as a Round."""
    return Round(
        id=row.id,
        rkk_key=row.rkk_key,
        week=row.week,
        question_id=row.question_id,
        question_text=row.question_text,
        state=RoundState(row.state),
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        posted_at=as_utc_or_none(row.posted_at),
        attempts=row.attempts,
        last_error=row.last_error,
    )


def facts_from(row: Row[Any]) -> RoundFacts:
    """A `rounds` row as a Round with its lifecycle timestamps."""
    claimed_at = as_utc_or_none(row.claimed_at)
    assert claimed_at is not None
    return RoundFacts(
        round=round_from(row),
        claimed_at=claimed_at,
        owner=row.owner,
        lease_until=as_utc_or_none(row.lease_until),
        sending_at=as_utc_or_none(row.sending_at),
        uncertain_at=as_utc_or_none(row.uncertain_at),
        reminded_at=as_utc_or_none(row.reminded_at),
        closed_at=as_utc_or_none(row.closed_at),
        card_closed_at=as_utc_or_none(row.card_closed_at),
        final_count=row.final_count,
    )


def target_from(row: Row[Any]) -> ChannelTarget | None:
    """The channel a row names (service_url, tenant_id, team_id, channel_id), once all but the tenant are known."""
    if row.service_url and row.team_id and row.channel_id:
        return ChannelTarget(row.service_url, row.tenant_id or "", row.team_id, row.channel_id)
    return None


def posted_values(target: ChannelTarget, posted: Posted) -> dict[str, str]:
    """The columns that say where a card landed: its channel and the message Teams gave it."""
    return {
        "service_url": target.service_url,
        "tenant_id": target.tenant_id,
        "team_id": target.team_id,
        "channel_id": target.channel_id,
        "conversation_id": posted.conversation_id,
        "message_id": posted.message_id,
    }


def rkk_from(row: Row[Any], prefix: str = "") -> Rkk:
    """An `rkks` row (its columns named with `prefix` when joined to another table) as an Rkk, with its channel
    target once the bot was installed there."""

    def value(name: str) -> Any:
        return getattr(row, prefix + name)

    service_url, tenant_id, team_id, channel_id = (
        value(n) for n in ("service_url", "tenant_id", "team_id", "channel_id")
    )
    target = None
    if service_url and tenant_id is not None and team_id and channel_id:
        target = ChannelTarget(service_url, tenant_id, team_id, channel_id)
    return Rkk(value("key"), value("name"), team_id, channel_id, target)


async def insert_once(conn: AsyncConnection, table: Any, **values: Any) -> bool:
    """Insert in a savepoint; False if a unique constraint shows another writer was first."""
    try:
        async with conn.begin_nested():
            await conn.execute(insert(table).values(**values))
    except IntegrityError:
        return False
    return True


async def insert_unless_conflict(
    conn: AsyncConnection,
    table: Table,
    key: tuple[list[Column[Any]], TextClause | None],
    values: dict[str, Any],
) -> Row[Any] | None:
    """Insert and return the new row; None if a unique index (`key`: its columns and partial WHERE) already holds
    one. One statement (INSERT ... ON CONFLICT DO NOTHING RETURNING), where `insert_once` needs a savepoint."""
    columns, where = key
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = (
        dialect_insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=columns, index_where=where)
        .returning(table)
    )
    row: Row[Any] | None = (await conn.execute(statement)).first()
    return row


async def update_or_insert(conn: AsyncConnection, table: Any, key: Any, values: dict[str, Any], **new: Any) -> None:
    """Update the row with this key, or insert it (`new` only then); a writer inserting it first is updated."""
    changed = await conn.execute(update(table).where(key).values(**values))
    if changed.rowcount == 0 and not await insert_once(conn, table, **values, **new):
        await conn.execute(update(table).where(key).values(**values))


async def retake_or_insert(
    conn: AsyncConnection, table: Any, key: Any, values: dict[str, Any], *, abandoned: Any = None, **new: Any
) -> bool:
    """Claim a row: take over the one with this key whose state is "failed" (or that is `abandoned`), or
    insert it (`new` only then).

    False when the row exists in another state, or another writer inserted it first.
    """
    retakable = table.c.state == "failed" if abandoned is None else or_(table.c.state == "failed", abandoned)
    retaken = await conn.execute(update(table).where(key, retakable).values(state="claimed", **values))
    if retaken.rowcount == 1:
        return True
    return await insert_once(conn, table, state="claimed", **values, **new)
