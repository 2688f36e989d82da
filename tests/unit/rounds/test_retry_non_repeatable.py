"""A POST that creates a message is never repeated when Teams may have taken it; the guard sees each attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.outbound.retry import ConnectorError, OutcomeUnknown, RetryPolicy, call_with_retry
from rkk.rounds.lifecycle import Fenced


@dataclass
class Response:
    """The parts of an HTTP response the retry code reads."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    reason: str = "x"

    def raise_for_status(self) -> None:
        """Like requests."""
        raise RuntimeError(self.reason)


@dataclass
class Pacer:
    """Grants every slot; remembers readiness checks, slots and back-offs."""

    events: list[str] = field(default_factory=list)
    backed_off: list[float] = field(default_factory=list)

    async def ready(self, conversation: str, lead: float = 0.0) -> None:
        """Record the readiness wait."""
        self.events.append("ready")

    async def acquire(self, conversation: str) -> None:
        """Record the slot."""
        self.events.append("acquire")

    def back_off(self, seconds: float) -> None:
        """Record the pause."""
        self.backed_off.append(seconds)


@dataclass
class Guard:
    """Records enter/leave; can refuse."""

    events: list[str]
    allow: bool = True

    async def enter(self) -> bool:
        """Record and answer."""
        self.events.append("enter")
        return self.allow

    async def leave(self) -> None:
        """Record."""
        self.events.append("leave")


def script(*outcomes: Any) -> Any:
    """An operation giving the outcomes in turn."""
    pending = list(outcomes)

    async def operation() -> Any:
        outcome = pending.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return operation


async def nap(_seconds: float) -> None:
    """No sleeping in tests."""


async def call(operation: Any, pacer: Pacer, guard: Guard | None = None) -> Any:
    """call_with_retry for a non-repeatable post."""
    policy = RetryPolicy(attempts=3, rng=random.Random(1))
    return await call_with_retry(pacer, "c", operation, policy, "post", nap, idempotent=False, guard=guard)


def http(status: int, **headers: str) -> HttpOperationError:
    """The error botbuilder raises for a status."""
    return HttpOperationError(None, Response(status, dict(headers)))


async def test_timeout_raises_outcome_unknown_without_retrying() -> None:
    """After a timeout the card may be in the channel: no second POST, and the guard is not told 'refused'."""
    pacer = Pacer()
    guard = Guard(pacer.events)
    with pytest.raises(OutcomeUnknown):
        await call(script(TimeoutError(), "never"), pacer, guard)
    assert pacer.events == ["ready", "enter", "acquire"]


async def test_refused_connection_is_retried() -> None:
    """A connection that was never made proves nothing was sent: retry."""
    refused = ClientRequestError("Error occurred in request.", aiohttp.ClientConnectorError(None, OSError(111, "x")))  # type: ignore[arg-type]
    pacer = Pacer()
    guard = Guard(pacer.events)
    assert await call(script(refused, "ok"), pacer, guard) == "ok"
    assert pacer.events == ["ready", "enter", "acquire", "leave", "ready", "enter", "acquire"]


async def test_throttled_post_is_retried_after_a_shared_back_off() -> None:
    """429 means Teams did not take it: the guard hears so, everybody pauses for Retry-After, then retry."""
    pacer = Pacer()
    guard = Guard(pacer.events)
    assert await call(script(http(429, **{"Retry-After": "2"}), "ok"), pacer, guard) == "ok"
    assert "leave" in pacer.events and pacer.backed_off and pacer.backed_off[0] >= 2.0


async def test_gateway_timeout_on_a_post_is_an_unknown_outcome() -> None:
    """504 says nothing about the backend: no repeat."""
    with pytest.raises(OutcomeUnknown):
        await call(script(http(504), "never"), Pacer(), Guard([]))


async def test_outright_refusal_tells_the_guard_and_fails() -> None:
    """403 is final: the guard learns nothing was posted."""
    pacer = Pacer()
    with pytest.raises(ConnectorError) as raised:
        await call(script(http(403)), pacer, Guard(pacer.events))
    assert not isinstance(raised.value, OutcomeUnknown)
    assert pacer.events[-1] == "leave"


async def test_fenced_guard_stops_before_sending() -> None:
    """When another process owns the round, no request goes out."""
    pacer = Pacer()
    with pytest.raises(Fenced):
        await call(script("never"), pacer, Guard(pacer.events, allow=False))
    assert "acquire" not in pacer.events
