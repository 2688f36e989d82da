"""A real bot process for fault tests and the benchmark: one fan-out against a connector double.

    python -m tests.faults.worker --db URL [--schema S] [--lease 1] [--timeout 2] [--step]

It posts this week's question in every RKK of the database through the real Connector
(botbuilder, the shared Pacer, our retry) and TeamsPublisher, then prints one JSON line with the
outcome per RKK. Every RKK's serviceUrl must point at 127.0.0.1 (see `seed`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.outbound.connector import Connector
from bot.outbound.pacing import PACING_MARGIN, Pacer
from bot.outbound.publisher import TeamsPublisher
from bot.outbound.retry import RetryPolicy
from config.rkk_config import load_questions
from i18n.catalog import load_catalog
from rkk.model import ChannelTarget
from rkk.rounds.posting import Policy
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore
from scheduler.fanout import fan_out

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TENANT = "tenant-double"


class _NoAuth:
    """botbuilder's configuration without an app id: no tokens, as against the Playground."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


def teams_publisher(timeout: float, retry: RetryPolicy, pacer: Pacer | None = None) -> tuple[Connector, TeamsPublisher]:
    """The production Connector and TeamsPublisher, unauthenticated (the double needs no token)."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    connector = Connector(adapter, "", pacer or Pacer(margin=PACING_MARGIN), retry, timeout=timeout)
    return connector, TeamsPublisher(connector, load_catalog())


def engine_for(url: str, schema: str | None) -> AsyncEngine:
    """An engine; on PostgreSQL bound to its own schema."""
    if schema:
        return create_async_engine(url, connect_args={"server_settings": {"search_path": schema}})
    return create_engine(url)


def channel_of(index: int) -> str:
    """The channel id of the index-th RKK."""
    return f"19:rkk{index:03d}@thread.tacv2"


async def seed(store: SqlStore, count: int, service_url: str) -> None:
    """Migrate, load the question bank and create `count` RKKs whose channels live in the double."""
    await migrate(store.engine)
    await store.sync_question_bank(load_questions(ROOT / "config" / "questions.yaml"))
    for index in range(count):
        key, channel = f"rkk-{index:03d}", channel_of(index)
        await store.upsert_rkk(key, f"RKK {index:03d}", channel, channel)
        await store.set_rkk_target(key, ChannelTarget(service_url, TENANT, channel, channel))


async def run(args: argparse.Namespace) -> dict[str, str]:
    """One fan-out over every RKK in the database."""
    store = SqlStore(engine_for(args.db, args.schema))
    connector, publisher = teams_publisher(args.timeout, RetryPolicy(attempts=args.attempts, base=args.retry_base))
    policy = Policy(lease=timedelta(seconds=args.lease), uncertain_after=timedelta(seconds=args.uncertain_after))
    try:
        keys = [rkk.key for rkk in await store.list_rkks()]
        report = await fan_out(
            store, publisher, keys, datetime.now(UTC), publisher, policy, concurrency=args.concurrency
        )
        return report.outcomes
    finally:
        await connector.close()
        await store.engine.dispose()


def main() -> int:
    """Parse the arguments, run, print the outcomes as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--lease", type=float, default=1.0)
    parser.add_argument("--uncertain-after", type=float, default=900.0)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--attempts", type=int, default=6)
    parser.add_argument("--retry-base", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    print(json.dumps(asyncio.run(run(args))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
