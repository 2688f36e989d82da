"""The world of `bench/inbound.py`: RKKs with a posted round each, the invokes members send, the Bot
Connector's member lookup, fresh databases, and counting what was stored."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from config.rkk_config import load_config
from rkk.model import Installation
from rkk.rounds import register_installation
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds import SqlStore
from rkk.store.tables import answers
from tests.doubles.rounds import posted_round

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("RKKBOT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TENANT = "tenant-bench"
BOT_ID = "28:bench-bot"
DOMAIN = "bench.example"
WEEK = "2026-W48"


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
