"""Benchmark of card answers through /api/messages against a minimal aiohttp + SQLAlchemy handler.

Both servers run as their own process on a freshly seeded database (R RKKs, each with a posted round),
one after the other, on SQLite and on PostgreSQL. The load is the same for both: every one of M members
answers every round once (`adaptiveCard/action`, verb `answer`), 32 requests in flight.

- **bot**: the production app as `serve` builds it (`app.build_runtime`, `bot.server.create_web_app`):
  botbuilder's CloudAdapter, the handler, the member lookup through a Bot Connector stub (the roster
  call Teams would answer; cached per member for a day), the store, the card the member sees.
- **reference**: aiohttp parses the same JSON and runs the same statements as the store's card answer
  (member profile upsert, answer upsert, count) in one plain SQLAlchemy transaction, and answers 200.

Prints answers/s, p50 and p99 latency, errors, whether every answer is stored exactly once, and the
ratio bot/reference. Each server runs `--trials` times, alternating with the other, and the best run of
each is shown: on a shared machine a busy moment would otherwise decide the ratio. Errors or lost
answers in any run fail the benchmark (exit 1). Run `python -m bench.inbound [--members 256] [--rounds 8] [--trials 2]
[--databases sqlite,postgresql]`;
`--profile` writes a cProfile of the bot process to the given file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.inbound_setup import ROOT, activity, config_yaml, connector_stub, count_stored, database, seed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    """One server's run."""

    name: str
    answers: int
    seconds: float
    latencies: list[float]
    errors: int
    stored: int
    distinct: int

    @property
    def rate(self) -> float:
        """Answers per second."""
        return self.answers / self.seconds

    def quantile(self, q: float) -> float:
        """A latency quantile in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def exactly_once(self) -> bool:
        """Every answer stored, none twice."""
        return self.stored == self.distinct == self.answers


@asynccontextmanager
async def server(kind: str, database_url: str, config: Path, profile: str | None) -> AsyncIterator[str]:
    """`python -m bench.inbound_servers KIND ...` as a process; yields its /api/messages URL."""
    command = [sys.executable, "-m", "bench.inbound_servers", kind, database_url, str(config)]
    command += [profile] if profile else []
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, env={**os.environ, "RKKBOT_LOG_LEVEL": "WARNING"}
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    if not line.startswith(b"LISTENING"):
        raise RuntimeError(f"{kind} server did not start: {line!r}")
    try:
        yield f"http://127.0.0.1:{int(line.split()[1])}/api/messages"
    finally:
        process.terminate()
        await process.wait()


async def load(
    url: str, bodies: list[dict[str, Any]], concurrency: int, card_answer: bool
) -> tuple[float, list[float], int]:
    """Send every body with `concurrency` in flight; elapsed seconds, latencies and errors."""
    queue = list(reversed(bodies))
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    raw = await response.read()
                answer = json.loads(raw) if response.content_type == "application/json" else {}
                latencies.append(time.perf_counter() - started)
                ok = response.status == 200
                if card_answer:
                    ok = ok and answer.get("type") == "application/vnd.microsoft.card.adaptive"
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors


async def run_one(
    kind: str, name: str, args: argparse.Namespace, workdir: Path, config: Path, service_url: str
) -> Result:
    """Seed a fresh database, start one server, send the load, count what was stored."""
    async with database(kind, workdir) as url:
        round_ids = await seed(url, config, service_url, args.rounds)
        bodies = [
            activity(service_url, team, round_, member)
            for member in range(args.members)
            for team, round_ in round_ids.items()
        ]
        warm = [
            activity(service_url, team, round_, args.members + i) for i, (team, round_) in enumerate(round_ids.items())
        ]
        profile = args.profile if name == "bot" and args.profile else None
        async with server(name, url, config, profile) as endpoint:
            await load(endpoint, warm, 4, card_answer=name == "bot")  # connections, JIT-free warm-up
            seconds, latencies, errors = await load(endpoint, bodies, args.concurrency, card_answer=name == "bot")
        stored, distinct = await count_stored(url)
    warmed = len(warm)
    return Result(name, len(bodies), seconds, latencies, errors, stored - warmed, distinct - warmed)


async def bench(args: argparse.Namespace) -> int:
    """Run both servers on each database and print the table; 1 if a run had errors or lost answers."""
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-inbound-") as tmp:
        workdir = Path(tmp)
        config = workdir / "rkks.yaml"
        config.write_text(config_yaml(args.rounds), encoding="utf-8")
        async with connector_stub() as service_url:
            print(
                f"{args.members} members x {args.rounds} rounds = {args.members * args.rounds} card answers, "
                f"{args.concurrency} in flight, best of {args.trials} alternated runs per server"
            )
            print(
                f"{'database':<11} {'server':<10} {'answers/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
                f"{'stored once':>12}"
            )
            for kind in args.databases.split(","):
                best: dict[str, Result] = {}
                for _ in range(args.trials):  # alternated, so a busy moment of the machine hits both alike
                    for name in ("reference", "bot"):
                        result = await run_one(kind, name, args, workdir, config, service_url)
                        failed |= result.errors > 0 or not result.exactly_once
                        if name not in best or result.rate > best[name].rate:
                            best[name] = result
                for name, result in best.items():
                    print(
                        f"{kind:<11} {name:<10} {result.rate:>10.0f} {result.quantile(0.5):>8.1f} "
                        f"{result.quantile(0.99):>8.1f} {result.errors:>7} {result.exactly_once!s:>12}"
                    )
                ratio = best["bot"].rate / best["reference"].rate
                print(f"{kind:<11} ratio bot/reference: {ratio:.2f} (target >= 0.5)")
    return 1 if failed else 0


def main() -> None:
    """Parse the arguments and run the benchmark (or, with --serve, one of its servers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--trials", type=int, default=2, help="alternated runs per server; the best is shown")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--profile", help="write a cProfile of the bot process to this file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sys.exit(asyncio.run(bench(args)))


if __name__ == "__main__":
    main()
