"""The member cache: a day's lifetime, a bound on its size, forgetting after erasure."""

from __future__ import annotations

from datetime import timedelta

from bot.member_cache import MemberCache
from rkk.model import Member

AN = Member("aad-an", "An Peeters", "an@brasschaat.be", "Gemeente Brasschaat", upn="apeeters@victor.be")


class Clock:
    """Seconds that the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_member_is_remembered_for_a_day() -> None:
    """Within a day the cached member comes back; after it, they are looked up again."""
    clock = Clock()
    cache = MemberCache(clock=clock)
    cache.put("aad-an", AN)
    clock.now = timedelta(hours=23).total_seconds()
    assert cache.get("aad-an") == AN
    clock.now = timedelta(days=1, seconds=1).total_seconds()
    assert cache.get("aad-an") is None


def test_forget_drops_the_member_under_every_key() -> None:
    """After `verwijder mijn gegevens` nothing of the member stays, whichever key they were cached under."""
    cache = MemberCache(clock=Clock())
    cache.put("29:an", AN)
    cache.put("aad-an", AN)
    cache.forget("aad-an")
    assert (cache.get("29:an"), cache.get("aad-an"), len(cache)) == (None, None, 0)


def test_the_oldest_member_goes_first_beyond_the_bound() -> None:
    """The cache never holds more members than its bound."""
    cache = MemberCache(max_members=2, clock=Clock())
    for key in ("a", "b", "c"):
        cache.put(key, AN)
    assert (cache.get("a"), len(cache)) == (None, 2)
