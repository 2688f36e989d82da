"""A harvest whose token request fails (Entra ID unreachable): the project's Graph error, one log line, `status`."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.graph.adapter import MsGraph, connect_graph
from bot.graph.client import credential_from_env
from bot.graph.retry import RetryPolicy
from rkk.store.answers.replies import SqlReplySink
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import ThreadRounds
from rkk.store.tables import rounds
from scheduler.harvest import ReplyHarvester
from tests.doubles.graph_double import GraphDouble, GraphState
from tests.integration.graph.conftest import DOMAINS
from tests.integration.harvest.conftest import posted_round, reply_rows, seed_replies

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: connecting to it is refused, as to an unreachable Entra ID."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def unreachable_entra(monkeypatch: pytest.MonkeyPatch, double: GraphDouble) -> AsyncIterator[MsGraph]:
    """The real adapter on the Graph double, its managed-identity token endpoint refusing connections."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"http://127.0.0.1:{closed_port()}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", "identity-header")
    graph = connect_graph(credential_from_env({}), double.base_url, timeout=2.0, retry=RetryPolicy(attempts=2))
    yield graph
    await graph.close()


async def last_errors(store: SqlStore) -> list[str | None]:
    """Each round's last error, by id."""
    async with store.engine.connect() as conn:
        return [row.last_error for row in await conn.execute(select(rounds.c.last_error).order_by(rounds.c.id))]


async def test_failing_token_request_fails_the_rounds_with_one_log_line(
    unreachable_entra: MsGraph,
    store: SqlStore,
    sink: SqlReplySink,
    threads: ThreadRounds,
    round_id: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The harvest ends normally; both open rounds are reported failed for want of a token, in one error line."""
    other = await posted_round(store, "2026-W49", "1764496800000")
    harvester = ReplyHarvester(unreachable_entra, sink, threads, DOMAINS, sink)

    with caplog.at_level(logging.WARNING):
        report = await harvester.harvest_open_rounds()

    ours = [r for r in caplog.records if r.name.startswith(("scheduler", "bot"))]
    assert [(r.levelname, r.name) for r in ours] == [("ERROR", "scheduler.harvest")]
    assert "2 rounds not read" in ours[0].getMessage() and "no access token" in ours[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    assert set(report.failed) == {round_id, other} and report.pages == 0


async def test_failing_token_request_is_the_rounds_last_error_until_a_harvest_works(
    unreachable_entra: MsGraph,
    graph: MsGraph,
    state: GraphState,
    store: SqlStore,
    sink: SqlReplySink,
    threads: ThreadRounds,
    round_id: int,
) -> None:
    """`status` shows the harvest error on the round; the next harvest that reads the thread clears it."""
    await ReplyHarvester(unreachable_entra, sink, threads, DOMAINS, sink).harvest_open_rounds()
    failed = await last_errors(store)
    seed_replies(state, 2)

    await ReplyHarvester(graph, sink, threads, DOMAINS, sink).harvest_open_rounds()

    assert failed[0] is not None and failed[0].startswith("oogst: GET replies of")
    assert "no access token for Microsoft Graph (ServiceRequestError" in failed[0]
    assert await last_errors(store) == [None]
    assert len(await reply_rows(store)) == 2


async def test_sync_without_a_token_tells_the_operator_what_to_check(unreachable_entra: MsGraph) -> None:
    """`sync` shows the failed token request on the row instead of a traceback."""
    from bot.graph.sync import Status, SyncEntry, sync_report

    [row] = await sync_report(unreachable_entra, [SyncEntry("kempen", "RKK Kempen", "Vraag van de week")], "app")

    assert row.status is Status.ERROR
    assert row.fixes[0].startswith("Geen toegangstoken voor Microsoft Graph (ServiceRequestError: ")
