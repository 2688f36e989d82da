"""Shared set-up of the round tests: RKKs reachable at a loopback address, the example config."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.rkk_config import BotConfig, load_config
from rkk.model import ChannelTarget
from rkk.store.rounds.sql_store import SqlStore

EXAMPLE = Path(__file__).resolve().parents[3] / "config" / "rkks.example.yaml"
SERVICE_URL = "http://127.0.0.1:9/teams/"


@pytest.fixture
def config() -> BotConfig:
    """The example config: Antwerpen Monday 09:00-Friday 17:00, Kempen Tuesday 08:30-Friday 12:00."""
    return load_config(EXAMPLE)


async def add_rkks(store: SqlStore, config: BotConfig, keys: tuple[str, ...] = ("antwerpen", "kempen")) -> None:
    """The config's question bank and RKKs, installed in their channels."""
    await store.sync_question_bank(config.questions)
    for key in keys:
        name = next((rkk.name for rkk in config.rkks if rkk.key == key), key)
        channel = f"19:{key}@thread.tacv2"
        await store.upsert_rkk(key, name, channel, channel)
        await store.set_rkk_target(key, ChannelTarget(SERVICE_URL, "tenant", channel, channel))
