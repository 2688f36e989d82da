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
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from rkk.model import Installation
from rkk.rounds import register_installation
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds import SqlStore
from rkk.store.rows import insert_once
from rkk.store.tables import answers, members

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("RKKBOT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TENANT = "tenant-bench"
BOT_ID = "28:bench-bot"
DOMAIN = "bench.example"
WEEK = "2026-W48"


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


def team_of(index: int) -> str:
    """The team (and General channel) id of RKK number `index`."""
    return f"19:bench-{index}@thread.tacv2"


def config_yaml(rounds: int) -> str:
    """A config with one RKK per round, named by its team id."""
    lines = [
        "timezone: Europe/Brussels",
        f"questions: {ROOT / 'config' / 'questions.yaml'}",
        "rkks:",
    ]
    for index in range(rounds):
        lines += [f"  - key: bench-{index}", f"    name: RKK Bench {index}", f'    team: "{team_of(index)}"']
    lines += ["domains:", f"  {DOMAIN}: Gemeente Bench"]
    return "\n".join(lines) + "\n"


async def seed(database_url: str, config_path: Path, service_url: str, rounds: int) -> dict[str, tuple[int, str]]:
    """Migrate, install the bot in every RKK team and post one round in each; (round id, thread) by team."""
    from config.rkk_config import load_config  # the config loader reads files; only the seeding needs it
    from tests.doubles.rounds import posted_round

    config = load_config(config_path)
    store = SqlStore(create_engine(database_url))
    now = datetime.now(UTC)
    await migrate(store.engine)
    await store.sync_question_bank(config.questions)
    round_ids = {}
    for index in range(rounds):
        team = team_of(index)
        installation = Installation(team, f"Bench {index}", None, TENANT, service_url, BOT_ID, ((team, "General"),))
        await register_installation(store, installation, config.rkk_specs(), False, now)
        round_ = await posted_round(store, f"bench-{index}", WEEK, now, team, str(1_700_000_000_000 + index))
        round_ids[team] = (round_.id, round_.conversation_id or "")
    await store.engine.dispose()
    return round_ids


def activity(service_url: str, team: str, round_: tuple[int, str], member: int) -> dict[str, Any]:
    """The invoke Teams sends when member `member` presses "Antwoord versturen" on the round's card."""
    round_id, thread = round_
    return {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:member-{member}", "name": f"Lid {member}", "aadObjectId": f"aad-{member}"},
        "recipient": {"id": BOT_ID, "name": "Vraag van de week"},
        "conversation": {
            "id": thread,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT,
        },
        "channelData": {"tenant": {"id": TENANT}, "team": {"id": team}, "channel": {"id": team}},
        "locale": "nl-BE",
        "value": {
            "action": {
                "type": "Action.Execute",
                "verb": "answer",
                "data": {"roundId": round_id, "answer": f"Antwoord van lid {member} op ronde {round_id}."},
            },
            "trigger": "manual",
        },
    }


@asynccontextmanager
async def connector_stub() -> AsyncIterator[str]:
    """The Bot Connector's member lookup (GET .../members/{id}), answering as Teams does; yields its URL."""

    async def member(request: web.Request) -> web.Response:
        user = request.match_info["member"]
        number = user.rsplit("-", 1)[1]
        return web.json_response(
            {
                "id": user,
                "name": f"Lid {number}",
                "aadObjectId": f"aad-{number}",
                "email": f"lid{number}@{DOMAIN}",
                "userPrincipalName": f"lid{number}@tenant.onmicrosoft.com",
                "tenantId": TENANT,
                "userRole": "user",
            }
        )

    app = web.Application()
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", member)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # aiohttp keeps the socket here
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def server(kind: str, database_url: str, config: Path, profile: str | None) -> AsyncIterator[str]:
    """`python -m bench.inbound --serve KIND` as a process; yields its /api/messages URL."""
    command = [sys.executable, "-m", "bench.inbound", "--serve", kind, "--database", database_url]
    command += ["--config", str(config)] + (["--profile", profile] if profile else [])
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


async def count_stored(database_url: str) -> tuple[int, int]:
    """Answers stored, and distinct (round, member) pairs among them."""
    engine = create_engine(database_url)
    async with engine.connect() as conn:
        stored = await conn.scalar(select(func.count()).select_from(answers))
        pairs = select(answers.c.round_id, answers.c.member_id).distinct().subquery()
        distinct = await conn.scalar(select(func.count()).select_from(pairs))
    await engine.dispose()
    return int(stored or 0), int(distinct or 0)


@asynccontextmanager
async def database(kind: str, workdir: Path) -> AsyncIterator[str]:
    """A fresh, empty database of this kind; dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"bench_inbound_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


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


def serve(kind: str, database_url: str, config_path: Path, profile: str | None) -> None:
    """Run one server until terminated, printing `LISTENING port` once it accepts requests."""
    import cProfile
    import signal

    profiler = cProfile.Profile() if profile else None

    async def main() -> None:
        app = await (bot_app(database_url, config_path) if kind == "bot" else reference_app(database_url))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        print(f"LISTENING {site._server.sockets[0].getsockname()[1]}", flush=True)  # type: ignore[union-attr]
        if profiler:
            profiler.enable()
        await stop.wait()
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        await runner.cleanup()

    asyncio.run(main())


async def bot_app(database_url: str, config_path: Path) -> web.Application:
    """The production web app without the scheduler (it plays no part in answering)."""
    from app import build_runtime
    from bot.server import create_web_app
    from config.rkk_config import load_config
    from config.settings import settings_from_env

    settings = settings_from_env({"DATABASE_URL": database_url, "RKKBOT_CONFIG": str(config_path)})
    runtime = build_runtime(settings, load_config(config_path))
    await runtime.open()
    app = create_web_app(runtime.adapter, runtime.bot, runtime.store, runtime.texts, auth_required=False)

    async def close(_app: web.Application) -> None:
        await runtime.close()

    app.on_cleanup.append(close)
    return app


async def reference_app(database_url: str) -> web.Application:
    """aiohttp + SQLAlchemy, nothing else: parse the invoke, upsert the member and the answer, count, answer 200.

    The same statements as the store's card answer, in one plain transaction per request.
    """
    engine = create_engine(database_url)

    async def messages(request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        sender, data = body["from"], body["value"]["action"]["data"]
        member_id, round_id, now = sender["aadObjectId"], data["roundId"], datetime.now(UTC)
        profile = {"name": sender["name"], "email": None, "bestuur": "onbekend", "updated_at": now}
        values = {"text": data["answer"], "member_name": sender["name"], "bestuur": "onbekend", "updated_at": now}
        mine = (answers.c.round_id == round_id) & (answers.c.member_id == member_id) & (answers.c.source == "card")
        async with engine.begin() as conn:
            known = await conn.execute(update(members).where(members.c.aad_object_id == member_id).values(**profile))
            if known.rowcount == 0:  # the member's first answer; another one of theirs may be inserting it now
                await insert_once(conn, members, aad_object_id=member_id, **profile)
            edited = await conn.execute(update(answers).where(mine).values(**values))
            if edited.rowcount == 0:
                new = {"round_id": round_id, "member_id": member_id, "source": "card", "created_at": now}
                await conn.execute(insert(answers).values(**new, **values))
            count = await conn.scalar(select(func.count()).select_from(answers).where(answers.c.round_id == round_id))
        return web.json_response({"statusCode": 200, "count": count})

    async def close(_app: web.Application) -> None:
        await engine.dispose()

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.on_cleanup.append(close)
    return app


def main() -> None:
    """Parse the arguments and run the benchmark (or, with --serve, one of its servers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--trials", type=int, default=2, help="alternated runs per server; the best is shown")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--profile", help="write a cProfile of the bot process to this file")
    parser.add_argument("--serve", choices=("bot", "reference"), help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.serve:
        serve(args.serve, args.database, args.config, args.profile)
        return
    sys.exit(asyncio.run(bench(args)))


if __name__ == "__main__":
    main()
