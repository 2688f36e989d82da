"""Copying a whole database to another one (SQLite to PostgreSQL, say), every row, checked by counting.

The tables are found by reflecting the target after it was migrated to the newest schema, so every table
the migrations create is copied, whichever module declares it (or none: `harvest_cursors` lives only in
its migration). Rows go in foreign-key order in one transaction on the target: a failure leaves it empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, MetaData, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.store.migrate import migrate

logger = logging.getLogger(__name__)

BATCH_ROWS = 1000
SKIPPED = frozenset({"alembic_version"})  # each side's own migration bookkeeping, written by `migrate`


class TransferError(Exception):
    """The copy could not be made; the target holds no copied row."""


class TargetNotEmpty(TransferError):
    """The target already holds rows: copying into it would mix two databases."""

    def __init__(self, filled: dict[str, int]) -> None:
        super().__init__(", ".join(f"{name}: {count}" for name, count in sorted(filled.items())))
        self.filled = filled


class CountMismatch(TransferError):
    """A table's row count differs between the source and the copy."""


@dataclass(frozen=True)
class TableCopy:
    """One table copied, with the rows counted in the source and in the target (equal)."""

    name: str
    rows: int


async def copy_database(
    source: AsyncEngine, target: AsyncEngine, progress: Callable[[TableCopy], None] | None = None
) -> list[TableCopy]:
    """Migrate both databases, then copy every table's rows from source to target and check the counts."""
    await migrate(source)
    await migrate(target)
    async with source.connect() as src, target.begin() as dst:
        source_tables = await src.run_sync(_reflect)
        target_tables = await dst.run_sync(_reflect)
        order = [table for table in target_tables.sorted_tables if table.name not in SKIPPED]
        missing = sorted(set(source_tables.tables) - set(target_tables.tables) - SKIPPED)
        if missing:
            raise TransferError(f"the target lacks tables the source has: {', '.join(missing)}")
        filled = {table.name: count for table in order if (count := await _count(dst, table))}
        if filled:
            raise TargetNotEmpty(filled)
        copies = []
        for table in order:
            copy = await _copy_table(src, dst, source_tables.tables.get(table.name), table)
            copies.append(copy)
            if progress is not None:
                progress(copy)
        if dst.dialect.name == "postgresql":
            await _advance_sequences(dst, order)
    return copies


def _reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


async def _count(conn: AsyncConnection, table: Table) -> int:
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _copy_table(src: AsyncConnection, dst: AsyncConnection, source: Table | None, target: Table) -> TableCopy:
    """Copy one table in batches (read with the source's types, written with the target's) and count both."""
    if source is None:  # a table only the newest schema has, and the source did not: nothing to copy
        return TableCopy(target.name, 0)
    aware = {column.name for column in target.columns if isinstance(column.type, DateTime) and column.type.timezone}
    columns = [source.c[column.name] for column in target.columns if column.name in source.c]
    order = list(source.primary_key.columns) or columns
    copied = 0
    stream = await src.stream(select(*columns).order_by(*order))
    async for rows in stream.partitions(BATCH_ROWS):
        batch = [_row(row._mapping, aware) for row in rows]
        await dst.execute(insert(target), batch)
        copied += len(batch)
    expected, landed = await _count(src, source), await _count(dst, target)
    if not expected == copied == landed:
        raise CountMismatch(f"{target.name}: {expected} rows in the source, {copied} read, {landed} in the target")
    return TableCopy(target.name, landed)


def _row(values: Any, aware: set[str]) -> dict[str, Any]:
    """A row for the target; SQLite hands back naive datetimes, and everything stored is UTC."""
    row = dict(values)
    for name in aware:
        moment = row.get(name)
        if isinstance(moment, datetime) and moment.tzinfo is None:
            row[name] = moment.replace(tzinfo=UTC)
    return row


async def _advance_sequences(dst: AsyncConnection, tables: list[Table]) -> None:
    """Set each integer key's sequence past the copied ids, or the next insert would collide with one."""
    preparer = dst.dialect.identifier_preparer
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            name = preparer.format_table(table)
            found = await dst.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": column.name})
            sequence = found.scalar_one_or_none()
            if sequence is None:
                continue
            top = (await dst.execute(select(func.max(column)))).scalar_one_or_none()
            if top is not None:
                await dst.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": top})
