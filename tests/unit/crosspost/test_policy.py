"""The pure rules of cross-posting: growth, substantial growth, the umbrella resolver, thread matching."""

from __future__ import annotations

import pytest

from rkk.crosspost.model import InstalledTeam, Spread, grew, grew_substantially, resolve_umbrella, same_thread
from rkk.model import ChannelTarget


def spread(rkks: str, besturen: int) -> Spread:
    """RKKs named by letters, besturen b0..b{n-1}."""
    return Spread(frozenset(rkks), frozenset(f"b{i}" for i in range(besturen)))


@pytest.mark.parametrize(
    ("shown", "now", "expected"),
    [
        (spread("ab", 5), spread("ab", 5), False),
        (spread("ab", 5), spread("ab", 6), True),
        (spread("ab", 5), spread("abc", 5), True),
        (spread("ab", 5), spread("a", 4), False),  # shrinking is not news
    ],
)
def test_a_card_is_updated_only_for_new_rkks_or_besturen(shown: Spread, now: Spread, expected: bool) -> None:
    """Growth means an RKK or bestuur the card does not show yet."""
    assert grew(shown, now) is expected


@pytest.mark.parametrize(
    ("dismissed", "now", "expected"),
    [
        (spread("ab", 5), spread("ab", 7), False),  # +40%
        (spread("ab", 5), spread("ab", 8), True),  # +60%: ceil(7.5) = 8
        (spread("ab", 5), spread("abc", 5), True),  # a new region
        (spread("ab", 2), spread("ab", 3), True),  # small themes need at least one more
        (spread("ab", 6), spread("ab", 9), True),  # exactly +50%
    ],
)
def test_a_dismissed_theme_returns_only_after_substantial_growth(
    dismissed: Spread, now: Spread, expected: bool
) -> None:
    """Substantial: a new RKK, or at least 50% more besturen than at dismissal."""
    assert grew_substantially(dismissed, now) is expected


TEAMS = [
    InstalledTeam("19:kempen", "RKK Kempen", "g-k", "t", "http://127.0.0.1:9/", (("19:kempen", "General"),)),
    InstalledTeam(
        "19:over",
        "RKK Overkoepelend",
        "g-o",
        "t",
        "http://127.0.0.1:9/",
        (("19:over", "General"), ("19:rode", "Rode draden")),
    ),
]


@pytest.mark.parametrize(
    ("team", "channel", "expected_channel"),
    [
        ("RKK Overkoepelend", None, "19:over"),  # General when no channel is named
        ("rkk overkoepelend", "rode draden", "19:rode"),  # names ignore case
        ("19:over", "19:rode", "19:rode"),  # ids work too
        ("g-o", None, "19:over"),  # the Graph group id names the team as well
        ("RKK Overkoepelend", "Bestaat niet", None),  # a named channel that is missing: no fallback
        ("RKK Nergens", None, None),
    ],
)
def test_the_umbrella_channel_is_resolved_from_installed_teams(
    team: str, channel: str | None, expected_channel: str | None
) -> None:
    """The team by id or name, the channel by id or name, General if none is configured."""
    target = resolve_umbrella(TEAMS, team, channel)
    if expected_channel is None:
        assert target is None
    else:
        assert target == ChannelTarget("http://127.0.0.1:9/", "t", "19:over", expected_channel)


@pytest.mark.parametrize(
    ("incoming", "expected"),
    [
        ("19:over;messageid=17", True),
        ("19:over;messageid=18", False),
        ("19:other;messageid=17", False),
        ("19:over", False),
        (None, False),
    ],
)
def test_an_action_belongs_to_the_card_thread_it_names(incoming: str | None, expected: bool) -> None:
    """Channel and root message must both match the stored card."""
    assert same_thread("19:over;messageid=17", "17", incoming) is expected
