"""Benchmark of the scoring results: 300 besturen x 20 topics aggregated from the database.

What is timed is what the results card, `scoring results` and the close step do: read every
counted score set from the database, aggregate and rank, and count participation per RKK. It
must be instant (target: well under 100 ms). Printed beside two references measured in the same
run: the aggregation alone (pure Python) and one `SELECT count(*)` round trip to the same database.
Run `python -m bench.scoring [--besturen 300] [--topics 20] [--database URL]` (default: a SQLite file).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from rkk.model import ChannelTarget
from rkk.scoring import NewRound, Scoring, ScoringSettings, Voter, aggregate, manual_topic, results_view
from rkk.store.admin_store import AdminStore
from rkk.store.crosspost import ThemeStore
from rkk.store.engine import create_engine, redact
from rkk.store.migrate import migrate
from rkk.store.rounds import SqlStore
from rkk.store.scoring import ScoringStore
from rkk.store.scoring.tables import score_values

logger = logging.getLogger(__name__)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RKKS = 15
TARGET_MS = 100.0


async def seed(engine: AsyncEngine, besturen: int, topics: int, seed_value: int = 7) -> tuple[Scoring, int]:
    """A round with `topics` topics for RKKS RKKs and one score set per bestuur (a few topics left empty)."""
    await migrate(engine)
    store = SqlStore(engine)
    keys = [f"rkk-{i:02d}" for i in range(RKKS)]
    for key in keys:
        await store.upsert_rkk(key, key.upper(), f"19:{key}", f"19:{key}")
        await store.set_rkk_target(key, ChannelTarget("http://127.0.0.1:9/", "t", f"19:{key}", f"19:{key}"))
    repo = ScoringStore(engine)
    new = NewRound(NOW + timedelta(days=14), 0.6, False, tuple(keys), "bench", "Bench")
    made = [manual_topic(f"Onderwerp {i}", "Eén zin.", i % 5 != 0) for i in range(topics)]
    round_ = await repo.create_round(new, made, NOW)
    assert round_ is not None, "the database already holds an open round: use an empty one"
    rng = random.Random(seed_value)
    for b in range(besturen):
        scores = {t.id: None if rng.random() < 0.05 else rng.randint(0, 10) for t in round_.topics}
        voter = Voter(f"aad-{b}", f"29:{b}", f"Lid {b}", f"Bestuur {b:03d}")
        await repo.save_scores(round_.id, keys[b % RKKS], voter, scores, NOW)
    publisher: Any = None  # nothing is posted: only the numbers are read
    scoring = Scoring(repo, store, ThemeStore(engine), publisher, AdminStore(engine), ScoringSettings())
    return scoring, round_.id


async def timed(work: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    """Milliseconds of each run (after one warm-up run)."""
    await work()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        out.append((time.perf_counter() - started) * 1000)
    return out


async def run(url: str, besturen: int, topics: int, runs: int) -> float:
    """Seed, time, print; the median of the full results read in ms (PostgreSQL: in a schema of its own)."""
    schema = f"bench_{uuid.uuid4().hex[:12]}" if url.startswith("postgresql") else None
    if schema is None:
        engine = create_engine(url)
    else:
        async with create_engine(url).begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = create_async_engine(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        return await _measure(engine, url, besturen, topics, runs)
    finally:
        await engine.dispose()
        if schema is not None:
            async with create_engine(url).begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


async def _measure(engine: AsyncEngine, url: str, besturen: int, topics: int, runs: int) -> float:
    scoring, scoring_id = await seed(engine, besturen, topics)
    round_ = await scoring.repo.get_round(scoring_id)
    assert round_ is not None
    sets = await scoring.repo.score_sets(scoring_id)

    async def full() -> object:
        return await results_view(scoring, round_)

    async def pure() -> object:
        return aggregate(round_.topics, sets, round_.threshold)

    async def round_trip() -> object:
        async with engine.connect() as conn:
            return (await conn.execute(select(func.count()).select_from(score_values))).scalar_one()

    full_ms, pure_ms, trip_ms = [await timed(w, runs) for w in (full, pure, round_trip)]
    median = statistics.median(full_ms)
    print(f"scoring bench: {besturen} besturen x {topics} topics ({len(sets)} score sets), {redact(url)}")
    print(
        f"  results from the database (score sets, aggregation, participation): median {median:.1f} ms, "
        f"max {max(full_ms):.1f} ms over {runs} runs (target: well under {TARGET_MS:.0f} ms)"
    )
    print(f"  reference, aggregation alone: median {statistics.median(pure_ms):.1f} ms")
    print(f"  reference, one SELECT count(*) round trip: median {statistics.median(trip_ms):.2f} ms")
    return median


def main() -> int:
    """Run the benchmark; exit 1 when the median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--besturen", type=int, default=300)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        median = asyncio.run(run(url, args.besturen, args.topics, args.runs))
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
