"""The `digest` setting: on with a default moment, on at a chosen weekday and time, off, and line-precise errors."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from config.rkk_config import Digest, load_config
from tests.unit.test_rkk_config import CONFIG, config_error, line_of, write

UMBRELLA = "overkoepelend:\n  team: RKK Overkoepelend\n"


def test_digest_is_off_unless_asked(tmp_path: Path) -> None:
    """Without `digest` there is no digest."""
    assert load_config(write(tmp_path, CONFIG + UMBRELLA)).digest is None


def test_digest_true_posts_mondays_at_eight(tmp_path: Path) -> None:
    """`digest: true` means Monday 08:00."""
    assert load_config(write(tmp_path, CONFIG + UMBRELLA + "digest: true\n")).digest == Digest(0, time(8, 0))


def test_digest_weekday_and_time_are_read(tmp_path: Path) -> None:
    """A mapping sets the weekday (Dutch or English) and the time."""
    text = CONFIG + UMBRELLA + 'digest:\n  weekday: vrijdag\n  time: "16:30"\n'
    assert load_config(write(tmp_path, text)).digest == Digest(4, time(16, 30))


@pytest.mark.parametrize(
    ("tail", "needle", "message"),
    [
        ('digest:\n  weekday: vrydag\n  time: "16:30"\n', "vrydag", "is not a weekday"),
        ("digest:\n  weekday: vrijdag\n  time: 25u\n", "25u", "must be a time"),
        ("digest: ja\n", "digest: ja", "must be true, false, or a mapping"),
        ("digest:\n  day: vrijdag\n", "  day: vrijdag", "unknown setting"),
    ],
)
def test_a_bad_digest_names_its_line(tmp_path: Path, tail: str, needle: str, message: str) -> None:
    """A misspelt weekday, a bad time, a bad value or an unknown key is reported at its own line."""
    file = write(tmp_path, CONFIG + UMBRELLA + tail)
    error = config_error(file)
    assert error.line == line_of(file, needle)
    assert message in str(error)


def test_digest_needs_the_umbrella_team(tmp_path: Path) -> None:
    """A digest without RKK Overkoepelend configured is refused at the `digest` line."""
    file = write(tmp_path, CONFIG + "digest: true\n")
    error = config_error(file)
    assert error.line == line_of(file, "digest: true")
    assert "overkoepelend" in str(error)
