"""The generic owner's fence (rkk.ports.OwnerGuard) over the stores that claim cards: rounds and scoring."""

from __future__ import annotations

from datetime import datetime, timedelta

from rkk.ports import OwnerGuard
from rkk.rounds.rotation import QuestionSource
from rkk.store.rounds.sql_store import SqlStore

LEASE = timedelta(minutes=5)


async def test_only_the_owner_of_a_round_enters_and_a_refusal_lets_it_try_again(store: SqlStore, now: datetime) -> None:
    """The weekly round's store is a SendingFence too: one entry at a time, for its owner only."""
    await store.sync_question_bank([("q1", "Hoe pakken jullie dit aan?")])
    await store.upsert_rkk("kempen", "RKK Kempen", None, None)
    question = (await store.rotation_pool("kempen")).bank[0]
    round_ = await store.claim_round_as("kempen", "2026-W48", question, QuestionSource.BANK, "me", now, LEASE)
    assert round_ is not None
    mine, theirs = OwnerGuard(store, round_.id, "me", now, LEASE), OwnerGuard(store, round_.id, "other", now, LEASE)
    assert not await theirs.enter()
    assert await mine.enter()
    assert not await mine.enter()  # already under way
    await mine.leave()  # Teams refused outright
    assert await mine.enter()
