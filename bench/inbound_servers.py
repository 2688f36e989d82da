"""The two servers `bench/inbound.py` compares, each run as its own process:
`python -m bench.inbound_servers bot|reference DATABASE_URL CONFIG [PROFILE]` prints `LISTENING port`."""

from __future__ import annotations

import asyncio
import cProfile
import json
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, insert, select, update

from rkk.store.engine import create_engine
from rkk.store.rows import insert_once
from rkk.store.tables import answers, members

logger = logging.getLogger(__name__)


def serve(kind: str, database_url: str, config_path: Path, profile: str | None) -> None:
    """Run one server until terminated, printing `LISTENING port` once it accepts requests."""
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
    from app import build_runtime  # imported here: the reference process loads none of the bot
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


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    serve(sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
