"""`verwijder mijn gegevens` against a real store: afterwards no table holds the member's id, name or mail.

The check walks every table the database has (reflected, not listed), so a table another capability
adds later is covered without changing this test; a second test fails for any column that looks like
it holds a person and that rkk/store/personal_data.py does not erase.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from botbuilder.core import InvokeResponse
from sqlalchemy import MetaData, insert, select

from i18n.catalog import Catalog
from rkk.store import personal_data
from rkk.store.crosspost import ThemeStore  # noqa: F401 - loads the crosspost tables into the metadata
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import metadata
from tests.doubles.teams import card_action, channel_message, installed, user
from tests.integration.test_bot import Harness

BANK = (("q1", "Hoe testen jullie jullie back-ups?"), ("q2", "Welke tools gebruiken jullie voor MFA?"))
ERASED = user("29:coord", "Coördinator Kempen", "aad-coord")  # answers, steers and decides: everywhere
OTHER = user("29:an", "An Peeters", "aad-an")
ERASED_MAIL = "coord.kempen@brasschaat.be"
# Columns whose name suggests a person but that never hold one.
NOT_PERSONAL = {
    "teams.name",
    "channels.name",
    "rkks.name",
    "install_secrets.name",
    "theme_leases.name",
    "rounds.owner",  # the process holding a claim
    "theme_leases.holder",  # host:pid of the process holding the lease
    "theme_crossposts.owner",  # host:pid of the process holding a cross-post claim
    "scoring_posts.owner",  # host:pid of the process holding a ballot's claim
    "themes.name",  # the name a coordinator gave a theme, not a person's name
}
PERSONAL_NAME = re.compile(
    r"(member|actor|author|user|person|owner|holder|sender|voter|attendee|name|mail|upn|_by$|^by_)"
)


def _register_personal_columns() -> set[str]:
    """The table.column names rkk/store/personal_data.py erases or pseudonymises."""
    columns = {f"{table}.{column}" for table, column in personal_data.DELETE_ROWS.items()}
    columns |= {
        f"{table}.{column}" for table, (ids, name) in personal_data.PSEUDONYMISE.items() for column in (*ids, name)
    }
    columns |= {f"{table}.{column}" for table, names in personal_data.NAME_TEXT.items() for column in names}
    deleted_tables = set(personal_data.DELETE_ROWS)
    return columns | {f"{table}.*" for table in deleted_tables}


def _harness(store: SqlStore, texts: Catalog, now: datetime) -> Harness:
    """The bot on a TestAdapter; the roster knows the erased member's mail."""
    harness = Harness(store, texts, now)
    harness.deps.roster.emails.update({"29:coord": ERASED_MAIL})  # type: ignore[attr-defined]
    return harness


async def _answer(harness: Harness, sender: Any, text: str) -> None:
    round_ = await harness.store.round_for_week("kempen", "2026-W48")
    assert round_ is not None
    await harness.send(
        card_action("answer", {"roundId": round_.id, "answer": text}, round_.conversation_id or "", sender)
    )


async def _everything(store: SqlStore) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the database has, found by reflection."""
    async with store.engine.connect() as conn:
        reflected = MetaData()
        await conn.run_sync(reflected.reflect)
        return {
            name: [dict(row._mapping) for row in (await conn.execute(select(table))).all()]
            for name, table in reflected.tables.items()
        }


async def _person_everywhere(harness: Harness, now: datetime) -> None:
    """The member answers, queues a question, pauses, decides on a theme and forwards a thread."""
    await harness.send(channel_message("post nu", ERASED))
    await _answer(harness, ERASED, "Wij testen elk kwartaal een restore.")
    await _answer(harness, OTHER, "Wij gebruiken een externe partner.")
    await harness.send(channel_message("vraag toevoegen Hoe plannen jullie de patches?", ERASED))
    await harness.send(channel_message("pauze tot volgende week", ERASED))
    round_ = await harness.store.round_for_week("kempen", "2026-W48")
    assert round_ is not None
    tables = metadata.tables
    async with harness.store.engine.begin() as conn:
        await conn.execute(
            insert(tables["themes"]).values(
                key="t1",
                label="back-ups",
                terms="[]",
                rkks='["kempen"]',
                besturen="[]",
                first_week="2026-W48",
                last_week="2026-W48",
                recurring=False,
                state="dismissed",
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(
            insert(tables["theme_decisions"]).values(
                theme_key="t1",
                decision="dismiss",
                by_id="aad-coord",
                by_name=ERASED.name,
                decided_at=now,
                rkks="[]",
                besturen="[]",
            )
        )
        await conn.execute(
            insert(tables["thread_forwards"]).values(
                round_id=round_.id, state="posted", by_id="aad-coord", by_name=ERASED.name, claimed_at=now
            )
        )


async def test_after_erasure_no_table_holds_the_members_id_name_or_mail(
    store: SqlStore, texts: Catalog, now: datetime
) -> None:
    """Every table, walked generically, is free of the member's object id, Teams id, name and mail."""
    await store.sync_question_bank(BANK)
    harness = _harness(store, texts, now)
    await harness.send(installed())
    await _person_everywhere(harness, now)

    [reply] = await harness.send(card_action("delete_confirm", {}, "a:personal", ERASED, team_id=None))

    assert isinstance(reply.value, InvokeResponse) and "1 antwoord en je gegevens zijn gewist" in reply.value.body.value
    dump = json.dumps(await _everything(store), default=str).casefold()
    for trace in ("aad-coord", "29:coord", ERASED.name, ERASED_MAIL):
        assert trace.casefold() not in dump, f"{trace!r} is still stored"
    assert "An Peeters".casefold() in dump and "externe partner" in dump  # only that member is erased


async def test_the_erasure_is_audited_under_a_pseudonym_only(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """The audit log says that an erasure happened, under a stable pseudonym, with no name or conversation."""
    await store.sync_question_bank(BANK)
    harness = _harness(store, texts, now)
    await harness.send(installed())
    await harness.send(card_action("delete_confirm", {}, "a:personal", ERASED, team_id=None))
    await harness.send(card_action("delete_confirm", {}, "a:personal", ERASED, team_id=None))

    entries = [e for e in await harness.deps.admin.audit_entries() if e.action == "delete_my_data"]
    assert len(entries) == 2 and entries[0].actor_id == entries[1].actor_id
    assert entries[0].actor_id.startswith("pseudoniem-") and entries[0].conversation_id is None
    assert "aad-coord" not in entries[0].actor_id and entries[0].actor_name == entries[0].actor_id


async def test_every_personal_looking_column_is_erased_or_declared_not_personal(store: SqlStore) -> None:
    """A column whose name suggests a person (member, author, *_by, name, mail...) is known to the erasure."""
    async with store.engine.connect() as conn:
        reflected = MetaData()
        await conn.run_sync(reflected.reflect)
    covered = _register_personal_columns() | NOT_PERSONAL
    unknown = [
        f"{table.name}.{column.name}"
        for table in reflected.tables.values()
        for column in table.columns
        if PERSONAL_NAME.search(column.name)
        and f"{table.name}.{column.name}" not in covered
        and f"{table.name}.*" not in covered
        and table.name != "alembic_version"
    ]
    assert unknown == [], "add these to rkk/store/personal_data.py (or to NOT_PERSONAL here, with a reason)"
