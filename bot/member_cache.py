"""Who a member is (name, mail, UPN, bestuur), remembered for a day so a card answer needs no roster call.

Teams' roster lookup is an HTTP round trip per turn; members answer and edit in bursts when the
question goes out. A day is short enough that a renamed person or a changed domain map shows up by
the next question. `verwijder mijn gegevens` forgets the member at once. The cache is per process:
another replica may still hold a member for up to a day, which only ever names them to the bot
itself again when they act there.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta

from rkk.model import Member

logger = logging.getLogger(__name__)

LIFETIME = timedelta(days=1)
MAX_MEMBERS = 20_000  # more than all RKK members together; the oldest entry goes first beyond that


class MemberCache:
    """Members by the key their activities carry (Entra object id, else Teams user id), for a limited time."""

    def __init__(
        self,
        lifetime: timedelta = LIFETIME,
        max_members: int = MAX_MEMBERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lifetime = lifetime.total_seconds()
        self._max = max_members
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Member]] = OrderedDict()

    def get(self, key: str) -> Member | None:
        """The member if looked up less than a lifetime ago."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, member = entry
        if self._clock() - stored_at >= self._lifetime:
            del self._entries[key]
            return None
        return member

    def put(self, key: str, member: Member) -> None:
        """Remember a member just looked up."""
        self._entries[key] = (self._clock(), member)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def forget(self, *keys: str) -> None:
        """Drop a member (after erasure) under every key they were known by."""
        for key in keys:
            self._entries.pop(key, None)
        for key, (_, member) in list(self._entries.items()):
            if member.aad_object_id in keys:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
