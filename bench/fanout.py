"""Benchmark of the weekly fan-out: 200 RKK channels against the connector double at Teams' limits.

The double (a separate process) enforces the limits per conversation and 50 requests a second
per tenant, and throttles 10% of requests with 429 + Retry-After. The bot side is the production
code: fan_out -> post_question -> TeamsPublisher -> Connector (botbuilder) with the shared Pacer.
Prints the elapsed time, the minimum the limits allow for the same throttling, their ratio, and
duplicates and misses. Run `python -m bench.fanout [--rkks 200] [--retry-after 0.5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import json
import logging
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.outbound.retry import RetryPolicy
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import rounds
from rkk.store.timestamps import as_utc
from scheduler.fanout import fan_out
from tests.doubles.connector_double import PER_TENANT
from tests.faults.worker import channel_of, engine_for, seed, teams_publisher


def minimum_seconds(posts: int, throttle: float, retry_after: float, seed_value: int) -> float:
    """The earliest the last card can be accepted: an ideal zero-latency client against the same double.

    It sends whenever the tenant window allows, retries a throttled post exactly at its Retry-After,
    and meets the same sequence of throttling draws (the double draws once per request it admits).
    """
    rng = random.Random(seed_value)
    limit, window = PER_TENANT[0]
    sent: deque[float] = deque(maxlen=limit)
    ready = [0.0] * posts  # a heap of the moments each pending post may go
    last_ok = 0.0
    while ready:
        moment = heapq.heappop(ready)
        if len(sent) == limit:
            moment = max(moment, sent[0] + window)
        sent.append(moment)
        if rng.random() < throttle:
            heapq.heappush(ready, moment + retry_after)
        else:
            last_ok = max(last_ok, moment)
    return last_ok


def _stats(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/_double/stats", timeout=10) as response:
        stats: dict[str, Any] = json.load(response)
        return stats


async def _marks(store: SqlStore) -> dict[str, float]:
    """When each round was marked "sending" (wall clock), by round id."""
    async with store.engine.connect() as conn:
        rows = (await conn.execute(select(rounds.c.id, rounds.c.sending_at))).all()
    return {str(row.id): as_utc(row.sending_at).timestamp() for row in rows if row.sending_at is not None}


def mark_to_wire(marks: dict[str, float], arrivals: dict[str, list[float]]) -> list[float]:
    """Seconds from each round's mark to its card reaching the double, sorted (the mark's commit included)."""
    return sorted(arrivals[key][-1] - mark for key, mark in marks.items() if arrivals.get(key))


async def _fan_out(db: str, base: str, rkks: int, concurrency: int) -> tuple[float, dict[str, str], dict[str, float]]:
    schema = f"bench_{uuid.uuid4().hex[:10]}" if db.startswith("postgresql") else None
    if schema:
        await _admin(db, f'CREATE SCHEMA "{schema}"')
    store = SqlStore(engine_for(db, schema))
    await seed(store, rkks, base + "/")
    connector, publisher = teams_publisher(timeout=10.0, retry=RetryPolicy(base=0.2))
    keys = [rkk.key for rkk in await store.list_rkks()]
    try:
        started = time.monotonic()
        report = await fan_out(store, publisher, keys, datetime.now(UTC), publisher, concurrency=concurrency)
        elapsed = time.monotonic() - started
        marks = await _marks(store)
    finally:
        await connector.close()
        await store.engine.dispose()
        if schema:
            await _admin(db, f'DROP SCHEMA "{schema}" CASCADE')
    return elapsed, report.outcomes, marks


async def _admin(db: str, statement: str) -> None:
    engine = create_async_engine(db)
    async with engine.begin() as conn:
        await conn.execute(text(statement))
    await engine.dispose()


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rkks", type=int, default=200)
    parser.add_argument("--throttle", type=float, default=0.1)
    parser.add_argument("--retry-after", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the retry warnings of 429s are expected here
    command = [
        sys.executable, "-m", "tests.doubles.connector_double", "--port", "0",
        "--throttle", str(args.throttle), "--retry-after", str(args.retry_after), "--seed", str(args.seed),
    ]  # fmt: skip
    double = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert double.stdout is not None
        port = int(double.stdout.readline().split()[1])
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as folder:
            db = args.db or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            elapsed, outcomes, marks = asyncio.run(_fan_out(db, base, args.rkks, args.concurrency))
        stats = _stats(base)
    finally:
        double.kill()
        double.wait()
    cards = stats["cards"]
    duplicates = sum(max(0, cards.get(channel_of(i), 0) - 1) for i in range(args.rkks))
    misses = sum(1 for i in range(args.rkks) if cards.get(channel_of(i), 0) == 0)
    floor = minimum_seconds(args.rkks, args.throttle, args.retry_after, args.seed)
    not_posted = sum(1 for outcome in outcomes.values() if outcome != "posted")
    print(f"fan-out to {args.rkks} RKK channels against the connector double (127.0.0.1)")
    print(
        f"  limits enforced: 7/1 s, 8/2 s, 60/30 s per conversation; 50/s per tenant; "
        f"{args.throttle:.0%} of requests throttled with 429 + Retry-After {args.retry_after} s "
        "(small on purpose, to keep the run short)"
    )
    print(f"  requests: {stats['requests']}, injected 429: {stats['throttled']}")
    print(f"  elapsed:  {elapsed:.2f} s")
    print(f"  minimum:  {floor:.2f} s (zero-latency client, same throttling)")
    print(f"  ratio:    {elapsed / floor:.2f} (target <= 1.2)" if floor else "  ratio: n/a")
    print(f"  duplicates: {duplicates}, misses: {misses}, rounds not posted: {not_posted}")
    print(f"  limit violations: {stats['violations']}, retries before Retry-After: {stats['early_retries']}")
    lags = mark_to_wire(marks, stats["round_arrivals"])
    if lags:
        p50, p99 = lags[len(lags) // 2], lags[min(len(lags) - 1, int(len(lags) * 0.99))]
        print(
            f"  round marked 'sending' -> card at the double: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
            f"max {lags[-1] * 1000:.0f} ms (the mark's commit included; ideal: only that commit)"
        )
    return 0 if duplicates == misses == not_posted == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
