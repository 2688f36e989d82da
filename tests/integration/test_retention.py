"""The daily retention run on SQLite and PostgreSQL: old answers go with what was derived from them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from i18n.catalog import Catalog
from rkk.model import Member
from rkk.store.admin_store import AdminStore
from rkk.store.crosspost.tables import theme_answers, theme_features, themes
from rkk.store.leases import SqlLeases
from rkk.store.retention import SqlRetention
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import answers, members
from scheduler.retention import ONCE_A_DAY, RETENTION_LEASE, RetentionJob
from scheduler.turns import leased_turn
from tests.doubles.rounds import posted_round

NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
OLD = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)  # 27 months ago
RECENT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
AN = Member("aad-an", "An Peeters", "an@brasschaat.be", "Gemeente Brasschaat")  # answered long ago only
JAN = Member("aad-jan", "Jan Janssens", "jan@mol.be", "Gemeente Mol")  # answered long ago and recently
ELS = Member("aad-els", "Els Maes", "els@geel.be", "Stad Geel")  # answered recently only


async def seed(store: SqlStore) -> dict[str, int]:
    """Two rounds, two years apart, their answers with features and themes: answer ids by name."""
    await store.sync_question_bank([("q1", "Hoe beveiligen jullie de mail?"), ("q2", "Welke back-ups?")])
    await store.upsert_rkk("kempen", "RKK Kempen", "19:kempen@thread.tacv2", "19:kempen@thread.tacv2")
    old = await posted_round(store, "kempen", "2024-W36", OLD, "19:kempen@thread.tacv2", "1725264000000")
    new = await posted_round(store, "kempen", "2026-W48", RECENT, "19:kempen@thread.tacv2", "1763884800000")
    ids = {}
    for name, round_, member, at in (
        ("an-old", old, AN, OLD),
        ("jan-old", old, JAN, OLD),
        ("jan-new", new, JAN, RECENT),
        ("els-new", new, ELS, RECENT),
    ):
        saved = await store.save_card_answer(round_.id, member, f"MFA en phishingtests ({name})", at)
        ids[name] = saved.answer.id
    async with store.engine.begin() as conn:
        for key, week in (("t-old", "2024-W36"), ("t-mixed", "2026-W48")):
            await conn.execute(
                insert(themes).values(
                    key=key, label="MFA", terms="[]", rkks='["kempen"]', besturen="[]", first_week="2024-W36",
                    last_week=week, recurring=False, state="active", created_at=OLD, updated_at=RECENT,
                )
            )  # fmt: skip
        for name, answer_id in ids.items():
            await conn.execute(
                insert(theme_features).values(
                    answer_id=answer_id, version=1, source_updated_at=OLD, meta="{}", words=b"w", chars=b"c",
                    vector=b"v", clustered=True, computed_at=OLD,
                )
            )  # fmt: skip
            theme = "t-old" if name == "an-old" else "t-mixed"
            await conn.execute(insert(theme_answers).values(answer_id=answer_id, theme_key=theme))
    return ids


def job(store: SqlStore, texts: Catalog, holder: str = "replica-a:1") -> RetentionJob:
    """The daily job as app.py builds it, at NOW, taking its turn from the lease."""
    turn = leased_turn(SqlLeases(store.engine), RETENTION_LEASE, holder, lambda: NOW, ONCE_A_DAY)
    return RetentionJob(SqlRetention(store.engine), AdminStore(store.engine), texts, 24, lambda: NOW, turn)


async def column(store: SqlStore, selected: object) -> list[object]:
    """One column of a table, sorted."""
    async with store.engine.connect() as conn:
        return sorted(row[0] for row in await conn.execute(select(selected)))  # type: ignore[call-overload]


async def test_answers_older_than_24_months_go_with_their_features_and_memberships(
    store: SqlStore, texts: Catalog
) -> None:
    """Answers of 27 months ago are deleted with their features and theme memberships; recent ones stay."""
    ids = await seed(store)

    report = await job(store, texts).run()

    recent = sorted([ids["jan-new"], ids["els-new"]])
    assert report is not None and report.answers == 2
    assert dict(report.derived) == {"theme_features": 2, "theme_answers": 2}
    assert await column(store, answers.c.id) == recent
    assert await column(store, theme_features.c.answer_id) == recent
    assert await column(store, theme_answers.c.answer_id) == recent


async def test_theme_left_without_answers_ends_and_members_without_answers_go(store: SqlStore, texts: Catalog) -> None:
    """The theme built from old answers only is no longer listed; An, who only answered long ago, is erased."""
    await seed(store)

    report = await job(store, texts).run()

    async with store.engine.connect() as conn:
        ended = {row.key: row.ended_at is not None for row in await conn.execute(select(themes))}
    assert report is not None and (report.themes_ended, report.members) == (1, 1)
    assert ended == {"t-old": True, "t-mixed": False}
    assert await column(store, members.c.aad_object_id) == ["aad-els", "aad-jan"]


async def test_each_run_is_in_the_audit_log_and_runs_once_a_day_across_replicas(
    store: SqlStore, texts: Catalog
) -> None:
    """The run writes one audit entry with what it deleted; a second replica the same night does nothing."""
    await seed(store)

    first = await job(store, texts, "replica-a:1").run()
    second = await job(store, texts, "replica-b:2").run()

    [entry] = await AdminStore(store.engine).audit_entries()
    assert first is not None and second is None
    assert (entry.actor_name, entry.action, entry.rkk_key) == ("Vraag van de week (bewaartermijn)", "retentie", None)
    assert entry.detail.startswith("Bewaartermijn 24 maanden: 2 antwoorden van vóór 2024-12-01 gewist")
    assert "theme_answers 2, theme_features 2" in entry.detail


async def test_a_run_with_nothing_to_delete_is_recorded_too(store: SqlStore, texts: Catalog) -> None:
    """Nothing is old enough: no row goes, and the audit log still shows that the run happened."""
    await store.sync_question_bank([("q1", "Hoe beveiligen jullie de mail?")])

    report = await job(store, texts).run()

    [entry] = await AdminStore(store.engine).audit_entries()
    assert report is not None and report.answers == 0
    assert "0 antwoorden" in entry.detail and entry.at == NOW
