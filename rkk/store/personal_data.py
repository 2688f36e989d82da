"""Where the bot keeps who someone is, and `verwijder mijn gegevens`: delete what is theirs, and put a
pseudonym where a record only says that they acted.

Every column that can hold a person's id, name or mail is named here. `tests/integration/test_erasure.py`
fails for any column of the schema that looks personal (by its name) and is neither listed here nor
declared not personal, and walks every table after an erasure: a table added later is covered or the
test says so. The rows of `theme_features` and `theme_answers` go with their answer (ON DELETE CASCADE).

The pseudonym is an HMAC-SHA256 of the Entra object id, keyed by RKKBOT_PSEUDONYM_SECRET, or when that
is not set by a random secret this install makes once and keeps in `install_secrets`. The same member
erased twice gets the same pseudonym; without the key nobody can tell whose it is.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Table, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import rkk.store.crosspost
import rkk.store.meetings
import rkk.store.scoring  # noqa: F401 - loads the scoring tables into the metadata erased below
from rkk.model import Erasure
from rkk.store.admin_tables import audit_log, install_secrets
from rkk.store.rows import insert_once
from rkk.store.tables import answers, members, metadata

logger = logging.getLogger(__name__)

# Rows that are the person's own: deleted.
DELETE_ROWS: dict[str, str] = {
    "answers": "member_id",
    "members": "aad_object_id",
    "scoring_viewers": "teams_id",
    "meeting_rsvps": "member_id",
}
# Records that someone acted (id columns, name column): kept, the person replaced by their pseudonym.
# A bestuur's score set stays: only who submitted it becomes the pseudonym.
PSEUDONYMISE: dict[str, tuple[tuple[str, ...], str]] = {
    "audit_log": (("actor_id",), "actor_name"),
    "theme_decisions": (("by_id",), "by_name"),
    "thread_forwards": (("by_id",), "by_name"),
    "scoring_rounds": (("started_by_id",), "started_by"),
    "score_submissions": (("member_id", "member_teams_id"), "member_name"),
    "meetings": (("planned_by_id",), "planned_by_name"),
}
# Columns that hold only a display name, or a name inside text: the name is replaced where it occurs.
NAME_TEXT: dict[str, tuple[str, ...]] = {
    "questions": ("author",),
    "rkk_controls": ("updated_by", "pause_reason"),
    "audit_log": ("detail",),
}
SECRET_NAME = "pseudonym"


def pseudonym(secret: str, member_id: str) -> str:
    """The stable pseudonym of a member id under a secret."""
    digest = hmac.new(secret.encode(), member_id.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"pseudoniem-{digest[:20]}"


async def install_secret(conn: AsyncConnection, now: datetime) -> str:
    """This install's own pseudonym key, made on first use (two replicas racing keep the first)."""
    await insert_once(conn, install_secrets, name=SECRET_NAME, value=secrets.token_hex(32), created_at=now)
    value = await conn.scalar(select(install_secrets.c.value).where(install_secrets.c.name == SECRET_NAME))
    return str(value)


async def known_as(conn: AsyncConnection, erasure: Erasure) -> Erasure:
    """The erasure widened with the names and mail the store itself holds for those ids."""
    ids = list(erasure.ids)
    profile = (
        await conn.execute(select(members.c.name, members.c.email).where(members.c.aad_object_id.in_(ids)))
    ).all()
    answered = await conn.execute(select(answers.c.member_name).where(answers.c.member_id.in_(ids)).distinct())
    names = {row.name for row in profile} | {row.member_name for row in answered}
    mails = {row.email for row in profile if row.email}
    return Erasure(erasure.member_id, erasure.ids, erasure.names | frozenset(names), erasure.mails | frozenset(mails))


async def erase(conn: AsyncConnection, erasure: Erasure, alias: str) -> int:
    """Delete the person's rows and put `alias` where they are recorded; the number of answers deleted."""
    lowered = sorted({value.lower() for value in erasure.ids})
    removed = 0
    for name, column in DELETE_ROWS.items():
        table = _table(name)
        result = await conn.execute(delete(table).where(func.lower(table.c[column]).in_(lowered)))
        removed = int(result.rowcount) if table is answers else removed
    for name, (id_columns, name_column) in PSEUDONYMISE.items():
        table = _table(name)
        await conn.execute(
            update(table)
            .where(or_(*(func.lower(table.c[column]).in_(lowered) for column in id_columns)))
            .values({**dict.fromkeys(id_columns, alias), name_column: alias})
        )
    for name, columns in NAME_TEXT.items():
        table = _table(name)
        for column in columns:
            await _replace_text(conn, table, column, _longest_first(erasure.names | erasure.mails), alias)
    return removed


async def record_erasure(conn: AsyncConnection, alias: str, at: datetime, answers_removed: int) -> None:
    """The audit row that says an erasure happened: the pseudonym, no name, no conversation."""
    await conn.execute(
        insert(audit_log).values(
            at=at,
            actor_id=alias,
            actor_name=alias,
            action="delete_my_data",
            rkk_key=None,
            detail=f"eigen gegevens gewist ({answers_removed} antwoorden)",
            conversation_id=None,
        )
    )


async def _replace_text(conn: AsyncConnection, table: Table, column: str, values: list[str], alias: str) -> None:
    target = table.c[column]
    for value in values:
        await conn.execute(
            update(table)
            .where(target.contains(value, autoescape=True))
            .values({column: func.replace(target, value, alias)})
        )
    if values:  # a name stored in another case (Teams is not consistent about it) goes too
        await conn.execute(
            update(table).where(or_(*(func.lower(target) == value.lower() for value in values))).values({column: alias})
        )


def _longest_first(values: Iterable[str]) -> list[str]:
    """Longer values first, so "An Peeters" is replaced before a shorter name inside it could split it."""
    return sorted({value for value in values if value and len(value.strip()) >= 3}, key=len, reverse=True)


def _table(name: str) -> Table:
    """A table of the schema by name (the crosspost tables register themselves when their package loads)."""
    return metadata.tables[name]
