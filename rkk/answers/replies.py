"""The port through which thread replies become answers (the Graph harvest and direct replies share it)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

Outcome = Literal["added", "updated", "unchanged"]


class ReplySink(Protocol):
    """Where harvested replies go: the answers of a round, keyed by (round id, message id)."""

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
        """Store a reply as an answer (source "reply"): "added" if new, "updated" if `modified` is later
        than what is stored (a hidden answer becomes visible again), else "unchanged"."""
        ...

    async def hide_reply(self, round_id: int, message_id: str) -> bool:
        """Hide the answer of a deleted reply; True if a visible answer was hidden."""
        ...

    async def harvest_cursor(self, round_id: int) -> str | None:
        """The next link where an interrupted harvest of this round stopped, or None."""
        ...

    async def set_harvest_cursor(self, round_id: int, cursor: str | None) -> None:
        """Remember where to resume (None: the last harvest read every page)."""
        ...
