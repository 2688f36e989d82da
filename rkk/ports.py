"""The core ports every capability shares: where Teams put a message, and the guard around a send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Posted:
    """Where Teams put a posted question card."""

    conversation_id: str  # "{channelId};messageid={messageId}"
    message_id: str


class SendGuard(Protocol):
    """Marks the moment a non-repeatable call to Teams starts and ends without effect."""

    async def enter(self) -> bool:
        """Just before the request's body is written: False means another process owns the round now (do not send)."""
        ...

    async def leave(self) -> None:
        """Teams refused the request outright, so nothing was posted."""
        ...
