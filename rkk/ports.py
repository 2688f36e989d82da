"""The core ports every capability shares: where Teams put a message, and the guard around a send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

K = TypeVar("K")
K_contra = TypeVar("K_contra", contravariant=True)


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


class SendingFence(Protocol[K_contra]):
    """A store that lets only the owner of a claimed card into the HTTP call that posts it."""

    async def start_sending(self, key: K_contra, owner: str, now: datetime) -> bool:
        """Mark the card "sending"; True for exactly one caller, the owner of an unsent claim."""
        ...

    async def stop_sending(self, key: K_contra, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the attempt outright: the claim is unsent again, its lease renewed."""
        ...


class OwnerGuard(Generic[K]):
    """The SendGuard of one claimed card: its owner's fence in a `SendingFence`, per HTTP attempt."""

    def __init__(self, fence: SendingFence[K], key: K, owner: str, now: datetime, lease: timedelta) -> None:
        self._fence, self._key, self._owner, self._now, self._lease = fence, key, owner, now, lease

    async def enter(self) -> bool:
        """Mark the card as being sent; False if this process no longer owns it."""
        return await self._fence.start_sending(self._key, self._owner, self._now)

    async def leave(self) -> None:
        """Teams refused the attempt: the claim is unsent again."""
        await self._fence.stop_sending(self._key, self._owner, self._now, self._lease)
