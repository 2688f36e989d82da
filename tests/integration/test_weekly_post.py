"""The weekly job against a real store: it posts where due, skips pauses, and never posts twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from config.rkk_config import Pause, load_config
from rkk.model import ChannelTarget
from rkk.store.rounds.sql_store import SqlStore
from scheduler.weekly import WeeklyPoster
from tests.doubles.teams import SERVICE_URL, FakePublisher

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rkks.example.yaml"
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def _store_with_rkks(store: SqlStore) -> None:
    config = load_config(EXAMPLE)
    await store.sync_question_bank(config.questions)
    for rkk in config.rkks:
        team = f"19:{rkk.key}@thread.tacv2"
        await store.upsert_rkk(rkk.key, rkk.name, team, team)
        await store.set_rkk_target(rkk.key, ChannelTarget(SERVICE_URL, "tenant", team, team))


async def test_weekly_job_posts_each_due_rkk_once_even_when_fired_twice(store: SqlStore) -> None:
    """Firing the Monday job twice posts Antwerpen once and leaves Kempen (Tuesday) alone."""
    config = load_config(EXAMPLE)
    await _store_with_rkks(store)
    publisher = FakePublisher()
    poster = WeeklyPoster(store, publisher, config, lambda: MONDAY)
    await poster.post_due(config.schedule)
    await poster.post_due(config.schedule)
    assert [key for key, _ in publisher.posted] == ["antwerpen"]


async def test_paused_rkk_gets_no_question(store: SqlStore) -> None:
    """During a pause the job posts nothing and no round is created."""
    config = load_config(EXAMPLE)
    config = replace(config, pauses=(Pause(date(2026, 11, 1), date(2026, 11, 30), "test"),))
    await _store_with_rkks(store)
    publisher = FakePublisher()
    await WeeklyPoster(store, publisher, config, lambda: MONDAY).post_due(config.schedule)
    assert publisher.posted == []
    assert await store.round_for_week("antwerpen", "2026-W48") is None
