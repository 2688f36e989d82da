"""RKK keys made from team names."""

from __future__ import annotations

import pytest

from rkk.rounds.installs import slug


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("RKK Kempen", "rkk-kempen"),
        ("  RKK   Zuid-West-Vlaanderen ", "rkk-zuid-west-vlaanderen"),
        ("Coördinatie Leuven & Halle", "coordinatie-leuven-halle"),
        ("RKK 2026!", "rkk-2026"),
        ("Één team", "een-team"),
    ],
)
def test_slug_makes_lower_case_ascii_keys_with_hyphens(name: str, key: str) -> None:
    """Accents fall away, runs of other characters become one hyphen, no hyphens at the ends."""
    assert slug(name) == key


@pytest.mark.parametrize("name", ["", "!!!", "日本"])
def test_slug_falls_back_to_rkk_when_nothing_is_left(name: str) -> None:
    """A name with no usable letters still gives a key."""
    assert slug(name) == "rkk"


def test_slug_is_stable() -> None:
    """The same name always gives the same key."""
    assert slug("RKK Kempen") == slug("RKK Kempen")
