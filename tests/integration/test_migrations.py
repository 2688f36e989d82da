"""The newest migration runs down to 0006 and up again, on SQLite and PostgreSQL, keeping the rows."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, insert, inspect, select

from rkk.store.crosspost.tables import theme_crossposts, themes
from rkk.store.migrate import MIGRATIONS
from rkk.store.rounds.sql_store import SqlStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _alembic(connection: Connection, action: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


def _columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("theme_crossposts")}


async def test_0007_goes_down_and_up_again_keeping_the_cross_posts(store: SqlStore) -> None:
    """Down to 0006 drops the claim's owner, lease and mark; up again restores them; the card row survives."""
    async with store.engine.begin() as conn:
        await conn.execute(
            insert(themes).values(
                key="t1", label="MFA", terms="[]", rkks="[]", besturen="[]", first_week="2026-W40",
                last_week="2026-W48", recurring=True, state="crossposted", created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        await conn.execute(
            insert(theme_crossposts).values(theme_key="t1", state="posted", claimed_at=NOW, rkks="[]", besturen="[]")
        )
        await conn.run_sync(_alembic, "downgrade", "0006")
        down = await conn.run_sync(_columns)
        await conn.run_sync(_alembic, "upgrade", "heads")
        up = await conn.run_sync(_columns)
        kept = (await conn.execute(select(theme_crossposts.c.theme_key, theme_crossposts.c.state))).all()

    assert {"owner", "lease_until", "sending_at"} & down == set()
    assert {"owner", "lease_until", "sending_at"} <= up
    assert [tuple(row) for row in kept] == [("t1", "posted")]
