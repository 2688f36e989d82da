"""Putting a posted round in a real store for tests, through the store's own claim and post steps."""

from __future__ import annotations

from datetime import datetime, timedelta

from rkk.model import Round
from rkk.ports import Posted
from rkk.rounds.rotation import QuestionSource
from rkk.store.rounds.sql_store import SqlStore

TEST_OWNER = "test-process"


async def posted_round(
    store: SqlStore, rkk_key: str, week: str, now: datetime, channel_id: str, message_id: str
) -> Round:
    """Claim the week's round with the first bank question and record its card at "{channel};messageid={id}"."""
    question = (await store.rotation_pool(rkk_key)).bank[0]
    claimed = await store.claim_round_as(
        rkk_key, week, question, QuestionSource.BANK, TEST_OWNER, now, timedelta(minutes=5)
    )
    assert claimed is not None, f"round {rkk_key} {week} exists already"
    return await store.finish_posted(claimed.id, Posted(f"{channel_id};messageid={message_id}", message_id), now)
