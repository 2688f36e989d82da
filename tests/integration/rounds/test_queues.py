"""The question queues coordinators fill and rotation empties, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from config.rkk_config import BotConfig
from rkk.rounds.posting import post_question
from rkk.store.rounds.sql_store import SqlStore
from tests.integration.rounds.conftest import add_rkks
from tests.unit.rounds.fakes import FakeTeams


async def test_enqueue_lists_in_order_per_queue(store: SqlStore, config: BotConfig) -> None:
    """An RKK's queue and the shared queue are separate and keep their order."""
    await add_rkks(store, config)
    first = await store.enqueue_question("kempen", "Hoe archiveren jullie e-mails?", "An")
    second = await store.enqueue_question("kempen", "Wie beheert jullie website?", "An")
    shared = await store.enqueue_question(None, "Hoe pakken jullie NIS2 aan?", "Coördinator")
    assert [q.id for q in await store.queued_questions("kempen")] == [first.id, second.id]
    assert [q.id for q in await store.queued_questions(None)] == [shared.id]
    assert await store.queued_questions("antwerpen") == []
    assert first.key == f"queue-{first.id}"


async def test_move_and_remove(store: SqlStore, config: BotConfig) -> None:
    """Moving swaps neighbours; the edges and removed questions refuse."""
    await add_rkks(store, config)
    a, b, c = [await store.enqueue_question("kempen", f"Vraag nummer {n} voor de kring?", "An") for n in "abc"]
    assert await store.move_queued(c.id, up=True)
    assert [q.id for q in await store.queued_questions("kempen")] == [a.id, c.id, b.id]
    assert not await store.move_queued(a.id, up=True)
    assert await store.remove_queued(c.id)
    assert not await store.remove_queued(c.id)
    assert not await store.move_queued(c.id, up=False)
    assert [q.id for q in await store.queued_questions("kempen")] == [a.id, b.id]


async def test_rotation_takes_own_queue_then_shared_then_bank(
    store: SqlStore, config: BotConfig, now: datetime
) -> None:
    """Week by week: Kempen's own question, the shared one, then the first bank question; the own one is used up."""
    await add_rkks(store, config)
    own = await store.enqueue_question("kempen", "Hoe archiveren jullie e-mails?", "An")
    shared = await store.enqueue_question(None, "Hoe pakken jullie NIS2 aan?", "Coördinator")
    teams = FakeTeams()
    from datetime import timedelta

    asked = []
    for week in range(3):
        result = await post_question(store, teams, "kempen", now + timedelta(weeks=week))
        asked.append(result.round.question_id)
    bank = (await store.rotation_pool("kempen")).bank
    assert asked == [own.id, shared.id, bank[0].id]
    assert await store.queued_questions("kempen") == []
    assert [q.id for q in await store.queued_questions(None)] == [shared.id]  # still waiting for other RKKs
    antwerpen = await post_question(store, teams, "antwerpen", now)
    assert antwerpen.round.question_id == shared.id
