"""`crosspost` and `themes` while another run holds the themes lease: a plain message and exit 75."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from rkk.store.engine import create_engine
from rkk.store.leases import theme_leases
from rkk.store.migrate import migrate

ROOT = Path(__file__).resolve().parents[2]


async def hold_lease(url: str) -> None:
    """Another replica took the themes lease a minute ago."""
    engine = create_engine(url)
    await migrate(engine)
    async with engine.begin() as conn:
        until = datetime.now(UTC) + timedelta(minutes=14)
        await conn.execute(insert(theme_leases).values(name="themes", holder="replica-b:4242", expires_at=until))
    await engine.dispose()


@pytest.mark.parametrize("command", ["crosspost", "themes"])
def test_run_turned_away_by_the_lease_says_so_and_exits_75(tmp_path: Path, command: str) -> None:
    """No "0 rode draden": the operator reads that another run holds the lease, and the exit status is 75."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    asyncio.run(hold_lease(url))
    env = {**os.environ, "RKKBOT_CONFIG": str(ROOT / "config" / "demo.yaml"), "DATABASE_URL": url}

    result = subprocess.run(
        [sys.executable, "app.py", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )

    assert result.returncode == 75, result.stderr
    assert "een andere run houdt de lease 'themes'" in result.stderr
    assert "rode draden" not in result.stdout and "Traceback" not in result.stderr
