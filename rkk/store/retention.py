"""Deleting answers past the retention period, with every row derived from them (SQLite and PostgreSQL).

`ANSWER_DERIVED` is the one list of what derives from an answer. A capability that stores something
read from answers (features, theme memberships, scores, ...) adds its column here; a test fails when
a table refers to `answers.id` without being listed. Answers go in batches, each batch in one
transaction with its derived rows, so a large first run does not hold SQLite's write lock for long.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.answers import RetentionReport
from rkk.store.crosspost import theme_answers, theme_features, themes
from rkk.store.tables import answers, members, metadata

logger = logging.getLogger(__name__)

# Every column that holds an answer's id in a table derived from that answer.
ANSWER_DERIVED: tuple[Column[Any], ...] = (
    theme_features.c.answer_id,  # what was read from the text: lemmas, n-grams, the embedding vector
    theme_answers.c.answer_id,  # the theme the answer belongs to
)
BATCH = 500  # answers a transaction (also well below SQLite's limit on bound parameters)


class SqlRetention:
    """The `RetentionStore` port on the real tables."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def delete_answers_before(self, cutoff: datetime, now: datetime) -> RetentionReport:
        """Delete answers given before `cutoff`, their derived rows, and members left with nothing."""
        async with self._engine.connect() as conn:
            old = [row.id for row in await conn.execute(select(answers.c.id).where(answers.c.created_at < cutoff))]
        derived = {column.table.name: 0 for column in ANSWER_DERIVED}
        themes_ended = 0
        for start in range(0, len(old), BATCH):
            async with self._engine.begin() as conn:
                themes_ended += await _delete_batch(conn, old[start : start + BATCH], derived, now)
        async with self._engine.begin() as conn:
            gone = await conn.execute(delete(members).where(members.c.updated_at < cutoff, *_unreferenced()))
        return RetentionReport(cutoff, len(old), derived, int(gone.rowcount), themes_ended)


async def _delete_batch(conn: AsyncConnection, ids: Sequence[int], derived: dict[str, int], now: datetime) -> int:
    """Delete one batch of answers and what derives from them; the number of themes that ended."""
    touched = {
        row.theme_key
        for row in await conn.execute(select(theme_answers.c.theme_key).where(theme_answers.c.answer_id.in_(ids)))
    }
    for column in ANSWER_DERIVED:
        result = await conn.execute(delete(column.table).where(column.in_(ids)))
        derived[column.table.name] += int(result.rowcount)
    await conn.execute(delete(answers).where(answers.c.id.in_(ids)))
    if not touched:
        return 0
    # A theme whose every answer is gone ends, as when its answers were deleted or regrouped: it is no
    # longer listed, its card and decision stay in the channel as they were.
    ended = await conn.execute(
        update(themes)
        .where(
            themes.c.key.in_(sorted(touched)),
            themes.c.ended_at.is_(None),
            ~exists().where(theme_answers.c.theme_key == themes.c.key),
        )
        .values(ended_at=now, updated_at=now)
    )
    return int(ended.rowcount)


def _unreferenced() -> list[Any]:
    """Conditions that no table (answers, or another capability's) still refers to a member."""
    return [
        ~exists().where(fk.parent == members.c.aad_object_id)
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column is members.c.aad_object_id
    ]
