"""Fixtures: the Graph double on 127.0.0.1, the real adapter on it, and a SQL store with one posted round."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

with warnings.catch_warnings():
    # msgraph-sdk's generated request builders warn about their own deprecated classes when imported.
    warnings.simplefilter("ignore", DeprecationWarning)
    from tests.doubles.graph_double import GraphState
    from tests.integration.graph.conftest import APP_ID, CHANNEL_ID, PRIVATE_ID, ROOT_ID, TEAM_ID, double, graph, state

from rkk.model import Installation
from rkk.store.answers.replies import SqlReplySink
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import ThreadRounds
from rkk.store.tables import answers
from tests.doubles import rounds as test_rounds

TEAMS_ID = "19:kempen-general@thread.tacv2"  # the team as the Bot Connector names it (General's channel id)
POSTED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
__all__ = [
    "APP_ID",
    "CHANNEL_ID",
    "PRIVATE_ID",
    "ROOT_ID",
    "TEAM_ID",
    "double",
    "graph",
    "state",
]  # fixtures shared with graph/


@pytest.fixture
async def round_id(store: SqlStore) -> int:
    """Kempen's question of week 2026-W48, posted in its channel with ROOT_ID as the thread's root."""
    return await posted_round(store, "2026-W48", ROOT_ID)


async def posted_round(store: SqlStore, week: str, message_id: str) -> int:
    """Install the Kempen team (once), and post a round of `week` whose card is `message_id`."""
    installation = Installation(
        TEAMS_ID, "RKK Kempen", TEAM_ID, "tenant", "http://127.0.0.1:9/", "28:bot", ((CHANNEL_ID, "Vraag"),)
    )
    await store.register_installation(installation, POSTED_AT)
    await store.upsert_rkk("kempen", "RKK Kempen", TEAMS_ID, CHANNEL_ID)
    await store.sync_question_bank([("q1", "Welke tools gebruiken jullie?"), ("q2", "Hoe werken jullie samen?")])
    return (await test_rounds.posted_round(store, "kempen", week, POSTED_AT, CHANNEL_ID, message_id)).id


@pytest.fixture
def sink(store: SqlStore) -> SqlReplySink:
    """The SQL reply sink on the test store."""
    return SqlReplySink(store.engine)


@pytest.fixture
def threads(store: SqlStore) -> ThreadRounds:
    """The open-rounds queries on the test store."""
    return ThreadRounds(store.engine)


async def reply_rows(store: SqlStore) -> dict[str, Any]:
    """Every stored reply answer by message id."""
    query = select(answers).where(answers.c.source == "reply")
    async with store.engine.connect() as conn:
        return {row.message_id: row for row in (await conn.execute(query)).all()}


def seed_replies(state: GraphState, count: int, user_id: str = "aad-an", prefix: str = "r") -> None:
    """`count` replies by one member under the round's question."""
    for n in range(count):
        state.add_reply(
            (TEAM_ID, CHANNEL_ID, ROOT_ID), f"{prefix}{n:03d}", user_id=user_id, html=f"<p>Antwoord {n}</p>"
        )
