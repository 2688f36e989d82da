"""The per-member command limit, with an injected clock."""

from __future__ import annotations

from bot.rate_limit import CommandRateLimit


class Clock:
    """Seconds that the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_ten_commands_a_minute_pass_the_eleventh_is_refused_and_told_once() -> None:
    """Within a minute the eleventh and later commands are refused; only the first refusal is told."""
    clock = Clock()
    limit = CommandRateLimit(clock=clock)
    assert all(limit.check("an").allowed for _ in range(10))
    first, second = limit.check("an"), limit.check("an")
    assert (first.allowed, first.tell) == (False, True)
    assert (second.allowed, second.tell) == (False, False)


def test_the_window_slides() -> None:
    """A minute after the first commands, there is room again."""
    clock = Clock()
    limit = CommandRateLimit(clock=clock)
    for _ in range(10):
        limit.check("an")
        clock.now += 1
    assert not limit.check("an").allowed
    clock.now = 60.5
    assert limit.check("an").allowed


def test_members_are_counted_apart() -> None:
    """One member at the limit does not slow down another."""
    limit = CommandRateLimit(clock=Clock())
    for _ in range(11):
        limit.check("an")
    assert limit.check("bart").allowed
