"""A POST that creates a message is never repeated when Teams may have taken it; the guard sees each attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from bot.outbound.draining import Drain, WireGate
from bot.outbound.retry import ConnectorError, ConnectorHttpError, OutcomeUnknown, RetryPolicy, call_with_retry
from rkk.rounds.lifecycle import Fenced, Stopped


@dataclass
class Pacer:
    """Grants every slot; remembers readiness waits, slots and back-offs."""

    events: list[str] = field(default_factory=list)
    backed_off: list[float] = field(default_factory=list)

    async def ready(self, conversation: str, lead: float = 0.0) -> None:
        """Record the wait for a slot to come near."""
        self.events.append("ready")

    async def acquire(self, conversation: str) -> None:
        """Record the slot."""
        self.events.append("acquire")

    async def acquire_within(self, conversation: str, within: float) -> bool:
        """Record the slot, granted at once."""
        await self.acquire(conversation)
        return True

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


def refused_connection() -> aiohttp.ClientConnectorError:
    """What aiohttp raises when Teams' host refuses the connection (nothing was sent)."""
    key = ConnectionKey("smba.trafficmanager.net", 443, True, True, None, None, None)
    return aiohttp.ClientConnectorError(key, OSError(111, "Connection refused"))


REFUSED = refused_connection()


def script(*outcomes: Any, events: list[str] | None = None) -> Any:
    """An operation giving the outcomes in turn, like the connector: a refused connection never opens the gate."""
    pending = list(outcomes)

    async def operation(gate: WireGate) -> Any:
        outcome = pending.pop(0)
        if outcome is not REFUSED:
            await gate.open()
            if events is not None:
                events.append("body")
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return operation


async def nap(_seconds: float) -> None:
    """No sleeping in tests."""


async def call(operation: Any, pacer: Pacer, guard: Guard | None = None, drain: Drain | None = None) -> Any:
    """call_with_retry for a non-repeatable post."""
    policy = RetryPolicy(attempts=3, rng=random.Random(1))
    return await call_with_retry(pacer, "c", operation, policy, "post", nap, idempotent=False, guard=guard, drain=drain)


def http(status: int, retry_after: str | None = None) -> ConnectorHttpError:
    """The error the connector raises for a status."""
    return ConnectorHttpError(status, retry_after)


async def test_round_is_marked_only_when_the_body_goes() -> None:
    """Unmarked, the post waits for a slot to come near; then the round is marked, the slot taken, the body sent."""
    pacer = Pacer()
    assert await call(script("ok", events=pacer.events), pacer, Guard(pacer.events)) == "ok"
    assert pacer.events == ["ready", "enter", "acquire", "body"]


async def test_timeout_raises_outcome_unknown_without_retrying() -> None:
    """After a timeout the card may be in the channel: no second POST, and the guard is not told 'refused'."""
    pacer = Pacer()
    with pytest.raises(OutcomeUnknown):
        await call(script(TimeoutError(), "never"), pacer, Guard(pacer.events))
    assert pacer.events == ["ready", "enter", "acquire"]


async def test_refused_connection_is_retried_without_marking_the_round() -> None:
    """A connection that was never made proves nothing was sent: retry, and the round was never marked."""
    pacer = Pacer()
    assert await call(script(REFUSED, "ok"), pacer, Guard(pacer.events)) == "ok"
    assert pacer.events == ["ready", "ready", "enter", "acquire"]


async def test_timeout_before_the_body_went_is_retried() -> None:
    """Waiting for a connection timed out: the request never left, so a POST may be tried again."""

    async def first_times_out_before_the_body(gate: WireGate) -> Any:
        pacer.events.append("connect")
        if pacer.events.count("connect") == 1:
            raise TimeoutError
        await gate.open()
        return "ok"

    pacer = Pacer()
    assert await call(first_times_out_before_the_body, pacer, Guard(pacer.events)) == "ok"
    assert pacer.events == ["ready", "connect", "ready", "connect", "enter", "acquire"]


async def test_throttled_post_is_retried_after_a_shared_back_off() -> None:
    """429 means Teams did not take it: the guard hears so, everybody pauses for Retry-After, then retry."""
    pacer = Pacer()
    assert await call(script(http(429, "2"), "ok"), pacer, Guard(pacer.events)) == "ok"
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


async def test_fenced_guard_stops_before_the_body() -> None:
    """When another process owns the round, the body is never written."""
    pacer = Pacer()
    with pytest.raises(Fenced):
        await call(script("never", events=pacer.events), pacer, Guard(pacer.events, allow=False))
    assert "body" not in pacer.events


async def test_stopping_process_sends_nothing_and_marks_nothing() -> None:
    """Once the process stops, a post ends with Stopped before its round is marked."""
    pacer, drain = Pacer(), Drain()
    drain.stop()
    with pytest.raises(Stopped):
        await call(script("never", events=pacer.events), pacer, Guard(pacer.events), drain)
    assert pacer.events == []


async def test_stopping_during_the_back_off_ends_the_wait() -> None:
    """A post waiting to retry after a 503 is not retried once the process stops."""
    pacer, drain = Pacer(), Drain()

    async def refused_then_stop(gate: WireGate) -> Any:
        await gate.open()
        drain.stop()
        raise http(503)

    with pytest.raises(Stopped):
        await call(refused_then_stop, pacer, Guard(pacer.events), drain)
    assert pacer.events == ["ready", "enter", "acquire", "leave"]


async def test_slot_taken_by_another_request_takes_the_mark_back_and_waits_again() -> None:
    """Marked, but the slot went elsewhere: the mark is undone, nothing is sent, and no attempt is used up."""

    @dataclass
    class Contended(Pacer):
        misses: int = 1

        async def acquire_within(self, conversation: str, within: float) -> bool:
            """Miss the slot `misses` times first."""
            self.events.append("acquire?")
            if self.misses:
                self.misses -= 1
                return False
            return True

    pacer = Contended()
    assert await call(script("ok", "ok", events=pacer.events), pacer, Guard(pacer.events)) == "ok"
    assert pacer.events == ["ready", "enter", "acquire?", "leave", "ready", "enter", "acquire?", "body"]
