"""Retry of Bot Connector calls: Retry-After, backoff with jitter, which failures are retried."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from bot.outbound.draining import WireGate
from bot.outbound.pacing import Pacer
from bot.outbound.retry import ConnectorError, ConnectorHttpError, RetryPolicy, call_with_retry, retry_after_seconds

NOW = datetime(2015, 10, 21, 7, 26, 0, tzinfo=UTC)


# --- doubles ----------------------------------------------------------------------------


def refused_connection() -> aiohttp.ClientConnectorError:
    """What aiohttp raises when Teams' host refuses the connection (nothing was sent)."""
    key = ConnectionKey("smba.trafficmanager.net", 443, True, True, None, None, None)
    return aiohttp.ClientConnectorError(key, OSError(111, "Connection refused"))


def http_error(status: int, headers: dict[str, str] | None = None) -> ConnectorHttpError:
    """The error the connector raises when Teams answers with this status."""
    return ConnectorHttpError(status, (headers or {}).get("Retry-After"))


@dataclass
class FakePacer:
    """Grants every slot at once; remembers slots asked for and back-offs."""

    acquired: list[str] = field(default_factory=list)
    backed_off: list[float] = field(default_factory=list)

    async def ready(self, conversation: str, lead: float = 0.0) -> None:
        """A slot is always near."""

    async def acquire(self, conversation: str) -> None:
        """Record the slot."""
        self.acquired.append(conversation)

    async def acquire_within(self, conversation: str, within: float) -> bool:
        """Record the slot, granted at once."""
        await self.acquire(conversation)
        return True

    def back_off(self, seconds: float) -> None:
        """Record the pause."""
        self.backed_off.append(seconds)


@dataclass
class Script:
    """An operation that raises or returns the scripted outcomes in turn."""

    outcomes: list[Any]
    calls: int = 0

    async def __call__(self, gate: WireGate) -> Any:
        """The next outcome; the request went out unless the connection was refused."""
        outcome = self.outcomes[self.calls]
        self.calls += 1
        if not isinstance(outcome, aiohttp.ClientConnectorError):
            await gate.open()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@dataclass
class Sleeps:
    """A sleep that returns at once and records the delay."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        """Record the delay."""
        self.delays.append(seconds)


def policy(attempts: int = 6) -> RetryPolicy:
    """A retry policy with a seeded random generator."""
    return RetryPolicy(attempts=attempts, base=1.0, cap=60.0, rng=random.Random(20261123))


async def run(script: Script, pacer: FakePacer, sleeps: Sleeps, attempts: int = 6) -> Any:
    """call_with_retry on the script with the fakes."""
    return await call_with_retry(pacer, "19:kempen", script, policy(attempts), "post question", sleep=sleeps)


# --- retry_after_seconds ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [("3", 3.0), ("0", 0.0), (" 12 ", 12.0), ("1.5", 1.5), ("-4", 0.0)])
def test_retry_after_reads_delta_seconds(value: str, seconds: float) -> None:
    """A number of seconds is read as such; negative values mean now."""
    assert retry_after_seconds(value) == seconds


def test_retry_after_reads_an_http_date() -> None:
    """An HTTP date two minutes ahead means 120 seconds."""
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=NOW) == 120.0


def test_retry_after_in_the_past_means_now() -> None:
    """An HTTP date already gone by means no wait."""
    assert retry_after_seconds("Wed, 21 Oct 2015 07:00:00 GMT", now=NOW) == 0.0


def test_retry_after_reads_the_obsolete_rfc_850_date() -> None:
    """The RFC 850 date form, which recipients must accept, is read too."""
    assert retry_after_seconds("Wednesday, 21-Oct-15 07:28:00 GMT", now=NOW) == 120.0


def test_retry_after_reads_the_obsolete_asctime_date() -> None:
    """The asctime date form, which HTTP recipients must accept (as UTC), is read too."""
    assert retry_after_seconds("Wed Oct 21 07:28:00 2015", now=NOW) == 120.0


@pytest.mark.parametrize("value", [None, "", "soon", "3 seconds", "Wed, 99 Foo 2015"])
def test_retry_after_is_none_when_absent_or_unreadable(value: str | None) -> None:
    """A missing or garbled header gives None, so normal backoff applies."""
    assert retry_after_seconds(value, now=NOW) is None


# --- RetryPolicy.delay ------------------------------------------------------------------


def test_delay_honours_retry_after_with_a_little_jitter() -> None:
    """With Retry-After the wait is at least that long, plus at most a quarter of the base."""
    rules = policy()
    delays = [rules.delay(attempt, 7.0) for attempt in range(6)]
    assert all(7.0 <= delay <= 7.0 + rules.base / 4 for delay in delays)


def test_delay_caps_an_absurd_retry_after() -> None:
    """A Retry-After of an hour is cut to five times the cap."""
    rules = policy()
    assert rules.cap * 5 <= rules.delay(0, 3600.0) <= rules.cap * 5 + rules.base / 4


@pytest.mark.parametrize("attempt", range(10))
def test_delay_without_retry_after_stays_within_the_exponential_bound(attempt: int) -> None:
    """Without Retry-After the wait lies in [0, min(cap, base * 2**attempt)]."""
    rules = policy()
    bound = min(rules.cap, rules.base * 2**attempt)
    assert all(0.0 <= rules.delay(attempt, None) <= bound for _ in range(200))


def test_delay_is_reproducible_with_a_seeded_generator() -> None:
    """Two policies with the same seed wait the same."""
    assert [policy().delay(a, None) for a in range(6)] == [policy().delay(a, None) for a in range(6)]


def test_delay_is_jittered() -> None:
    """Full jitter: repeated waits for the same attempt differ."""
    rules = policy()
    assert len({rules.delay(5, None) for _ in range(20)}) > 1


# --- call_with_retry --------------------------------------------------------------------


async def test_success_returns_the_result_without_sleeping() -> None:
    """A call that works is made once, after one paced slot."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script(["activity-1"])
    assert await run(script, pacer, sleeps) == "activity-1"
    assert (script.calls, pacer.acquired, sleeps.delays) == (1, ["19:kempen"], [])


async def test_throttled_call_is_retried_after_retry_after_and_pauses_everyone() -> None:
    """A 429 with Retry-After: 3 waits about 3 s and makes the pacer pause every conversation as long."""
    pacer, sleeps = FakePacer(), Sleeps()
    script = Script([http_error(429, {"Retry-After": "3"}), "activity-1"])
    assert await run(script, pacer, sleeps) == "activity-1"
    assert len(sleeps.delays) == 1
    assert 3.0 <= sleeps.delays[0] <= 3.25
    assert pacer.backed_off == sleeps.delays


async def test_throttled_call_without_retry_after_still_backs_off() -> None:
    """A 429 without Retry-After uses backoff and still pauses the pacer."""
    pacer, sleeps = FakePacer(), Sleeps()
    await run(Script([http_error(429), "ok"]), pacer, sleeps)
    assert pacer.backed_off == sleeps.delays
    assert 0.0 <= sleeps.delays[0] <= 1.0


@pytest.mark.parametrize("status", [412, 502, 503, 504])
async def test_transient_statuses_are_retried_without_pausing_everyone(status: int) -> None:
    """412, 502, 503 and 504 are retried; only 429 pauses the other conversations."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([http_error(status), "ok"])
    assert await run(script, pacer, sleeps) == "ok"
    assert script.calls == 2
    assert len(sleeps.delays) == 1
    assert pacer.backed_off == []


async def test_retry_after_is_honoured_for_503() -> None:
    """A 503 with Retry-After waits at least that long."""
    pacer, sleeps = FakePacer(), Sleeps()
    await run(Script([http_error(503, {"Retry-After": "10"}), "ok"]), pacer, sleeps)
    assert sleeps.delays[0] >= 10.0


async def test_throttled_call_with_an_asctime_retry_after_is_retried() -> None:
    """A 429 whose Retry-After is an (obsolete but valid) asctime date is retried, not a crash."""
    pacer, sleeps = FakePacer(), Sleeps()
    script = Script([http_error(429, {"Retry-After": "Wed Oct 21 07:28:00 2015"}), "ok"])
    assert await run(script, pacer, sleeps) == "ok"


async def test_every_attempt_takes_a_paced_slot() -> None:
    """Retries go through the pacer too."""
    pacer, sleeps = FakePacer(), Sleeps()
    await run(Script([http_error(503), http_error(502), "ok"]), pacer, sleeps)
    assert pacer.acquired == ["19:kempen"] * 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_not_retried(status: int) -> None:
    """A refusal is final: one call, no sleep, ConnectorError with the status and the cause."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([http_error(status)])
    with pytest.raises(ConnectorError) as caught:
        await run(script, pacer, sleeps)
    assert caught.value.status == status
    assert isinstance(caught.value.__cause__, ConnectorHttpError)
    assert (script.calls, sleeps.delays) == (1, [])


async def test_gives_up_after_the_policy_attempts() -> None:
    """Always 503: exactly `attempts` calls, one sleep between each, then ConnectorError."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([http_error(503)] * 3)
    with pytest.raises(ConnectorError, match="gave up after 3 attempts") as caught:
        await run(script, pacer, sleeps, attempts=3)
    assert caught.value.status == 503
    assert (script.calls, len(sleeps.delays)) == (3, 2)


async def test_backoff_grows_within_its_bounds_between_attempts() -> None:
    """The n-th wait without Retry-After lies within [0, min(cap, base * 2**n)]."""
    pacer, sleeps = FakePacer(), Sleeps()
    with pytest.raises(ConnectorError):
        await run(Script([http_error(503)] * 6), pacer, sleeps)
    assert all(0.0 <= delay <= min(60.0, 2.0**n) for n, delay in enumerate(sleeps.delays))


@pytest.mark.parametrize(
    "failure",
    [
        aiohttp.ClientConnectionError("reset by peer"),
        aiohttp.ServerDisconnectedError(),
        TimeoutError(),
        refused_connection(),
    ],
    ids=["connection", "disconnected", "timeout", "refused"],
)
async def test_transport_errors_are_retried(failure: Exception) -> None:
    """Network failures and timeouts are retried like a 503."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([failure, "ok"])
    assert await run(script, pacer, sleeps) == "ok"
    assert (script.calls, len(sleeps.delays), pacer.backed_off) == (2, 1, [])


async def test_transport_errors_give_up_with_connector_error_without_status() -> None:
    """After the last failed attempt a network error becomes a ConnectorError with no status."""
    pacer, sleeps = FakePacer(), Sleeps()
    with pytest.raises(ConnectorError) as caught:
        await run(Script([TimeoutError()] * 2), pacer, sleeps, attempts=2)
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, TimeoutError)


async def test_cancellation_is_never_swallowed() -> None:
    """A cancelled call stops at once instead of being retried."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([asyncio.CancelledError(), "ok"])
    with pytest.raises(asyncio.CancelledError):
        await run(script, pacer, sleeps)
    assert (script.calls, sleeps.delays) == (1, [])


async def test_unexpected_errors_are_not_retried() -> None:
    """A programming error surfaces as itself, after one call."""
    pacer, sleeps, script = FakePacer(), Sleeps(), Script([KeyError("conversation"), "ok"])
    with pytest.raises(KeyError):
        await run(script, pacer, sleeps)
    assert script.calls == 1


async def test_works_with_the_real_pacer_on_fake_time() -> None:
    """The real Pacer's back-off and the retry sleep cooperate on injected time."""
    now = [0.0]
    pacer_sleeps: list[float] = []

    async def pacer_sleep(seconds: float) -> None:
        pacer_sleeps.append(seconds)
        now[0] += seconds

    pacer = Pacer(clock=lambda: now[0], sleep=pacer_sleep)
    retry_sleeps = Sleeps()
    script = Script([http_error(429, {"Retry-After": "2"}), "ok"])
    result = await call_with_retry(pacer, "19:kempen", script, policy(), "post question", sleep=retry_sleeps)
    assert result == "ok"
    assert sum(pacer_sleeps) == pytest.approx(retry_sleeps.delays[0])
