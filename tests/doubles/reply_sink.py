"""An in-memory ReplySink: the answers harvested from thread replies, as the SQL store keeps them.

Answers are keyed by (round id, message id). Tests assert on `answers` and `cursors`; `writes` counts
every upsert and hide so a test can tell that a resumed harvest did not redo work.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from rkk.answers.replies import Outcome

logger = logging.getLogger(__name__)


@dataclass
class StoredReply:
    """One answer that came from a thread reply."""

    member_aad_id: str
    member_name: str
    bestuur: str
    text: str
    created: datetime
    modified: datetime
    hidden: bool = False


@dataclass
class InMemoryReplySink:
    """ReplySink kept in dictionaries."""

    answers: dict[tuple[int, str], StoredReply] = field(default_factory=dict)
    cursors: dict[int, str] = field(default_factory=dict)
    writes: Counter[str] = field(default_factory=Counter)

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
    ) -> Outcome:
        """Add the answer, update it when the reply was modified later, else leave it."""
        self.writes["upsert"] += 1
        key = (round_id, message_id)
        stored = self.answers.get(key)
        if stored is None:
            self.answers[key] = StoredReply(member_aad_id, member_name, bestuur, text, created, modified)
            return "added"
        if modified <= stored.modified and not stored.hidden:
            return "unchanged"
        self.answers[key] = StoredReply(member_aad_id, member_name, bestuur, text, created, modified)
        return "updated"

    async def hide_reply(self, round_id: int, message_id: str) -> bool:
        """Hide a visible answer."""
        self.writes["hide"] += 1
        stored = self.answers.get((round_id, message_id))
        if stored is None or stored.hidden:
            return False
        stored.hidden = True
        return True

    async def harvest_cursor(self, round_id: int) -> str | None:
        """Where the last harvest of the round stopped."""
        return self.cursors.get(round_id)

    async def set_harvest_cursor(self, round_id: int, cursor: str | None) -> None:
        """Remember (or forget) where to resume."""
        if cursor is None:
            self.cursors.pop(round_id, None)
        else:
            self.cursors[round_id] = cursor

    def visible(self, round_id: int) -> dict[str, StoredReply]:
        """The round's visible answers by message id."""
        return {m: a for (r, m), a in self.answers.items() if r == round_id and not a.hidden}
