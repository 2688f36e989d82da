"""Counting answers where they are stored: card answers at the store, thread replies at the reply sink.

The same `SqlReplySink` serves replies that reach the bot directly (resource-specific consent) and replies
the harvest reads through Graph; app.py wraps it once for each, so the two sources are told apart.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from observability.metrics import Metrics
from rkk.answers import ReplyOutcome, ReplySink
from rkk.model import Member
from rkk.rounds import CardAnswerSaved
from rkk.store.rounds import SqlStore

logger = logging.getLogger(__name__)


class CountingStore(SqlStore):
    """The SQL store, counting each card answer it adds or updates."""

    def __init__(self, engine: AsyncEngine, metrics: Metrics) -> None:
        super().__init__(engine)
        self._metrics = metrics

    async def save_card_answer(self, round_id: int, member: Member, text: str, now: datetime) -> CardAnswerSaved:
        """Store the member's card answer (see SqlStore) and count it."""
        saved = await super().save_card_answer(round_id, member, text, now)
        self._metrics.answer_stored("card", "added" if saved.is_new else "updated")
        return saved


class CountingReplySink:
    """A ReplySink that counts the replies it adds or updates, under one source name."""

    def __init__(self, sink: ReplySink, metrics: Metrics, source: str) -> None:
        self._sink = sink
        self._metrics = metrics
        self._source = source

    async def upsert_reply(
        self,
        round_id: int,
        message_id: str,
        member_aad_id: str,
        member_name: str,
        bestuur: str,
        text: str,
        created: datetime,
        modified: datetime,
    ) -> ReplyOutcome:
        """Store the reply as an answer and count it when it was added or changed."""
        outcome = await self._sink.upsert_reply(
            round_id, message_id, member_aad_id, member_name, bestuur, text, created, modified
        )
        if outcome != "unchanged":
            self._metrics.answer_stored(self._source, outcome)
        return outcome

    async def hide_reply(self, round_id: int, message_id: str) -> bool:
        """Hide the answer of a deleted reply."""
        return await self._sink.hide_reply(round_id, message_id)

    async def harvest_cursor(self, round_id: int) -> str | None:
        """Where an interrupted harvest of this round stopped."""
        return await self._sink.harvest_cursor(round_id)

    async def set_harvest_cursor(self, round_id: int, cursor: str | None) -> None:
        """Remember where to resume."""
        await self._sink.set_harvest_cursor(round_id, cursor)
