"""Shared pieces of the SQL adapters: turning rows into domain records, inserting once under races."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from rkk.model import ChannelTarget, Rkk, Round, RoundState
from rkk.ports import Posted
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


def rkk_from(row: Row[Any]) -> Rkk:
    """An `rkks` row as an Rkk, with its channel target once the bot was installed there."""
    target = target_from(row) if row.tenant_id is not None else None
    return Rkk(row.key, row.name, row.team_id, row.channel_id, target)


async def insert_once(conn: AsyncConnection, table: Any, **values: Any) -> bool:
    """Insert in a savepoint; False if a unique constraint shows another writer was first."""
    try:
        async with conn.begin_nested():
            await conn.execute(insert(table).values(**values))
    except IntegrityError:
        return False
    return True


async def retake_or_insert(conn: AsyncConnection, table: Any, key: Any, values: dict[str, Any], **new: Any) -> bool:
    """Claim a row: take over the one with this key whose state is "failed", or insert it (`new` only then).

    False when the row exists in another state, or another writer inserted it first.
    """
    retaken = await conn.execute(update(table).where(key, table.c.state == "failed").values(state="claimed", **values))
    if retaken.rowcount == 1:
        return True
    return await insert_once(conn, table, state="claimed", **values, **new)
