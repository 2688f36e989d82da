"""Pacing of Bot Connector calls to Teams' rate limits, with a fake clock and a fake sleep."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.outbound.pacing import Pacer


@dataclass
class FakeTime:
    """A clock that only moves when something sleeps; remembers every sleep."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Record the sleep and let the time pass at once."""
        self.sleeps.append(seconds)
        self.now += seconds


def pacer_with(time: FakeTime) -> Pacer:
    """A pacer with Teams' default windows on the fake time."""
    return Pacer(clock=time.clock, sleep=time.sleep)


async def acquire_times(pacer: Pacer, time: FakeTime, conversations: list[str]) -> list[float]:
    """The fake time at which each acquire, in order, was granted."""
    granted = []
    for conversation in conversations:
        await pacer.acquire(conversation)
        granted.append(time.now)
    return granted


async def test_seven_calls_to_one_conversation_go_at_once() -> None:
    """Seven calls fit the per-conversation limit of 7 per second without waiting."""
    time = FakeTime()
    assert await acquire_times(pacer_with(time), time, ["a"] * 7) == [0.0] * 7
    assert time.sleeps == []


async def test_eighth_call_to_one_conversation_waits_until_one_second_after_the_first() -> None:
    """The 8th call in a burst waits for the first to leave the 1-second window."""
    time = FakeTime()
    granted = await acquire_times(pacer_with(time), time, ["a"] * 8)
    assert granted[-1] == 1.0
    assert time.sleeps == [1.0]


async def test_ninth_call_respects_eight_per_two_seconds() -> None:
    """After 7 at t=0 and 1 at t=1, the 9th waits for the 8-per-2-seconds window (t=2)."""
    time = FakeTime()
    granted = await acquire_times(pacer_with(time), time, ["a"] * 9)
    assert granted[7:] == [1.0, 2.0]


async def test_sixty_first_call_waits_until_thirty_seconds_after_the_first() -> None:
    """At most 60 calls per conversation in any 30 seconds."""
    time = FakeTime()
    granted = await acquire_times(pacer_with(time), time, ["a"] * 61)
    assert granted[59] < 30.0
    assert granted[60] == 30.0


async def test_no_window_is_ever_exceeded_in_a_long_burst() -> None:
    """In 130 calls no 1 s holds more than 7, no 2 s more than 8, no 30 s more than 60."""
    time = FakeTime()
    granted = await acquire_times(pacer_with(time), time, ["a"] * 130)
    for limit, seconds in ((7, 1.0), (8, 2.0), (60, 30.0)):
        for start in granted:
            assert sum(start <= t < start + seconds for t in granted) <= limit


async def test_different_conversations_do_not_block_each_other() -> None:
    """A full conversation does not delay calls to another one."""
    time = FakeTime()
    granted = await acquire_times(pacer_with(time), time, ["a"] * 7 + ["b"] * 7)
    assert granted == [0.0] * 14
    assert time.sleeps == []


async def test_all_conversations_together_stay_under_fifty_per_second() -> None:
    """The 51st call in a second waits even when it goes to a fresh conversation."""
    time = FakeTime()
    conversations = [f"c{i}" for i in range(51)]
    granted = await acquire_times(pacer_with(time), time, conversations)
    assert granted[:50] == [0.0] * 50
    assert granted[50] == 1.0


async def test_back_off_pauses_every_conversation() -> None:
    """After Teams throttles, no conversation gets a slot until the pause is over."""
    time = FakeTime()
    pacer = pacer_with(time)
    pacer.back_off(5.0)
    granted = await acquire_times(pacer, time, ["a", "b", "never-used-before"])
    assert granted == [5.0, 5.0, 5.0]


async def test_shorter_back_off_does_not_shorten_a_running_pause() -> None:
    """A second, shorter back-off keeps the longer pause."""
    time = FakeTime()
    pacer = pacer_with(time)
    pacer.back_off(5.0)
    pacer.back_off(2.0)
    assert await acquire_times(pacer, time, ["a"]) == [5.0]


async def test_longer_back_off_extends_the_pause() -> None:
    """A later, longer back-off pushes the pause further out."""
    time = FakeTime()
    pacer = pacer_with(time)
    pacer.back_off(2.0)
    pacer.back_off(8.0)
    assert await acquire_times(pacer, time, ["a"]) == [8.0]


async def test_back_off_is_over_once_its_time_has_passed() -> None:
    """A pause that has run out delays nothing."""
    time = FakeTime()
    pacer = pacer_with(time)
    pacer.back_off(1.0)
    time.now = 10.0
    assert await acquire_times(pacer, time, ["a"]) == [10.0]
    assert time.sleeps == []


async def test_slot_within_reach_is_taken_and_one_further_away_is_left() -> None:
    """acquire_within counts a call only when its slot comes within the given time, and never waits longer."""
    time = FakeTime()
    pacer = pacer_with(time)
    pacer.back_off(5.0)

    far = await pacer.acquire_within("19:kempen", 0.1)
    waited_for_far = time.now
    time.now = 4.95
    near = await pacer.acquire_within("19:kempen", 0.1)

    assert (far, waited_for_far) == (False, 0.0)
    assert near and time.now == pytest.approx(5.0)
