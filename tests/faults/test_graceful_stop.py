"""SIGTERM to `serve` in the middle of a fan-out on PostgreSQL: nothing half-claimed, and the restart finishes it.

The connector double answers slowly and throttles half the first requests with a long Retry-After,
so at the SIGTERM some posts are on the wire and the others wait for the shared back-off.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.faults.harness import (
    PATIENCE,
    Double,
    Serve,
    postgres_database,
    round_rows,
    seeded,
    serve_config,
    wait_until,
)

RKKS = 20


@pytest.fixture
def database(postgres_problem: str | None) -> Iterator[str]:
    """A PostgreSQL database of its own."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    with postgres_database() as url:
        yield url


@pytest.fixture
def double() -> Iterator[Double]:
    """A slow connector double that throttles half the first wave with Retry-After 30 s."""
    double = Double("--delay", "2", "--throttle", "0.5", "--retry-after", "30")
    yield double
    double.stop()


def test_sigterm_mid_fan_out_leaves_nothing_half_claimed_and_the_restart_posts_the_rest(
    tmp_path: Path, database: str, double: Double
) -> None:
    """Posts on the wire finish and keep their ids, the others are released; the next `serve` posts them once."""
    seeded(database, double.url, RKKS)
    config = serve_config(tmp_path, RKKS)
    first = Serve(database, config, tmp_path / "first.log")
    try:
        wait_until(lambda: double.stats()["requests"] >= RKKS, what="the first wave of posts")
        first.signal(signal.SIGTERM)
        answers = []
        while first.process.poll() is None:  # while it stops, new activities are turned away
            answers.append(first.post_activity())
        assert first.wait() == 0, first.output()[-3000:]
    finally:
        first.kill()
    assert (503, "30") in answers, answers
    assert "scheduled daily-retention" in first.output()  # every job of app.py runs beside the fan-out
    stopped = round_rows(database)
    posted = {key for key, row in stopped.items() if row.message_id}
    released = {key for key, row in stopped.items() if not row.message_id}
    assert all(stopped[key].state == "posted" for key in posted)
    assert not any(row.state == "claimed" and row.sending for row in stopped.values()), stopped  # none half-sent
    assert all(stopped[key].lease_until <= datetime.now(UTC) for key in released)  # free at once
    assert posted and released, "the SIGTERM should land mid fan-out"
    assert sum(double.cards(RKKS)) == len(posted)

    double.set_faults(throttle=0.0, delay=0.0)
    second = Serve(database, config, tmp_path / "second.log")
    try:
        wait_until(lambda: all(row.message_id for row in round_rows(database).values()), what="the restart's posts")
        second.signal(signal.SIGTERM)
        assert second.wait(PATIENCE) == 0, second.output()[-3000:]
    finally:
        second.kill()
    assert double.cards(RKKS) == [1] * RKKS
    assert not any(row.uncertain for row in round_rows(database).values())
