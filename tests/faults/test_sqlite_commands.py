"""Two commands at the same instant on one SQLite file: both finish, or one says it is busy (exit 75).

Each pair starts from a database nobody has migrated yet, so both processes also migrate, load the
question bank and register the RKKs at the same moment: the writes SQLite used to refuse with
"database is locked" when a read-then-write transaction could not upgrade its lock.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.faults.harness import (
    ROOT,
    Double,
    Serve,
    command_at_go,
    release_when_ready,
    round_rows,
    seeded,
    serve_config,
    wait_until,
)

EXAMPLE = ROOT / "config" / "rkks.example.yaml"
BUSY = ("een andere run houdt de lease", "de database is bezet")
RKKS = 20


def finished_well(code: int, stderr: str) -> bool:
    """Exit 0, or 75 with one of the two busy messages; never a traceback."""
    return "Traceback" not in stderr and (code == 0 or (code == 75 and any(text in stderr for text in BUSY)))


@pytest.mark.parametrize("attempt", [1, 2])
@pytest.mark.parametrize(
    "pair", [("crosspost", "crosspost"), ("status", "export")], ids=["crosspost+crosspost", "status+export"]
)
def test_two_commands_started_together_both_finish_or_one_is_busy(
    tmp_path: Path, pair: tuple[str, str], attempt: int
) -> None:
    """Neither crashes with "database is locked"; a crosspost turned away by the other's lease exits 75."""
    db, go = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tmp_path / "go"
    processes = [command_at_go(go, db, EXAMPLE, command) for command in pair]
    release_when_ready(go, len(processes))

    results = [(process.wait(timeout=300), process.communicate()[1]) for process in processes]

    assert all(finished_well(code, err) for code, err in results), [err[-2000:] for _, err in results]
    assert sum(code == 0 for code, _ in results) >= 1


def test_command_beside_serve_catching_up_a_fan_out(tmp_path: Path) -> None:
    """`status` started the moment `serve` starts posting 20 RKKs: both work, every RKK gets its card once."""
    double = Double("--delay", "0.2")
    try:
        db, go = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tmp_path / "go"
        seeded(db, double.url, RKKS)
        config = serve_config(tmp_path, RKKS)
        serve = Serve(db, config, tmp_path / "serve.log", go=go)
        try:
            status = command_at_go(go, db, config, "status")
            release_when_ready(go, 2)
            code, err = status.wait(timeout=300), status.communicate()[1]
            wait_until(lambda: all(row.message_id for row in round_rows(db).values()), what="every card")
            serve.signal(signal.SIGTERM)
            assert serve.wait() == 0
        finally:
            serve.kill()
        assert finished_well(code, err) and code == 0, err[-2000:]
        assert "Traceback" not in serve.output() and "database is locked" not in serve.output()
        assert double.cards(RKKS) == [1] * RKKS
    finally:
        double.stop()
