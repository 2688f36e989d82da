"""The SQL store on SQLite and PostgreSQL: rounds are unique per RKK and week, answers are upserts."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from rkk.model import ChannelTarget, Installation, Member, Round, RoundState
from rkk.rounds.rotation import QuestionSource
from rkk.store.rounds.sql_store import SqlStore
from tests.doubles.rounds import posted_round

BANK = (("q1", "Eerste vraag over MAGDA?"), ("q2", "Tweede vraag over back-ups?"))
TARGET = ChannelTarget("https://smba.example/emea/", "tenant-1", "19:team@thread.tacv2", "19:team@thread.tacv2")
MEMBER = Member("aad-1", "An Peeters", "an@brasschaat.be", "Gemeente Brasschaat")


async def _rkk(store: SqlStore) -> None:
    await store.sync_question_bank(BANK)
    await store.upsert_rkk("kempen", "RKK Kempen", TARGET.team_id, TARGET.channel_id)
    await store.set_rkk_target("kempen", TARGET)


async def test_rkk_target_round_trips(store: SqlStore) -> None:
    """An RKK pointed at a channel comes back reachable with the same target."""
    await _rkk(store)
    rkk = await store.get_rkk("kempen")
    assert rkk is not None and rkk.target == TARGET
    assert (await store.rkk_for_team(TARGET.team_id)) == rkk


async def _claim(store: SqlStore, week: str, now: datetime, owner: str = "p1") -> Round | None:
    question = (await store.rotation_pool("kempen")).bank[0]
    return await store.claim_round_as("kempen", week, question, QuestionSource.BANK, owner, now, timedelta(minutes=5))


async def test_second_claim_in_same_week_is_refused(store: SqlStore, now: datetime) -> None:
    """The database allows one round per RKK per ISO week."""
    await _rkk(store)
    first = await _claim(store, "2026-W48", now)
    second = await _claim(store, "2026-W48", now, owner="p2")
    assert first is not None and first.state is RoundState.CLAIMED
    assert second is None
    assert (await _claim(store, "2026-W49", now)) is not None


async def test_concurrent_claims_give_exactly_one_round(store: SqlStore, now: datetime) -> None:
    """Ten simultaneous claims for the same week produce exactly one round."""
    await _rkk(store)
    results = await asyncio.gather(*(_claim(store, "2026-W48", now, owner=f"p{i}") for i in range(10)))
    assert sum(result is not None for result in results) == 1


async def test_answering_twice_edits_the_answer(store: SqlStore, now: datetime) -> None:
    """A member's second card answer replaces the first; the count stays one."""
    await _rkk(store)
    round_ = await posted_round(store, "kempen", "2026-W48", now, "19:team", "1")
    first = await store.save_card_answer(round_.id, MEMBER, "Eerste versie", now)
    second = await store.save_card_answer(round_.id, MEMBER, "Tweede versie", now + timedelta(minutes=5))
    assert (first.is_new, second.is_new) == (True, False)
    assert second.answer.id == first.answer.id and second.answer.text == "Tweede versie"
    assert second.answer.updated_at > second.answer.created_at
    assert (first.count, second.count) == (1, 1)
    assert await store.count_answers(round_.id) == 1


async def test_a_double_click_stores_one_answer(store: SqlStore, now: datetime) -> None:
    """Two first answers of one member arriving at once give one answer: one is new, the other its edit."""
    await _rkk(store)
    round_ = await posted_round(store, "kempen", "2026-W48", now, "19:team", "1")
    first, second = await asyncio.gather(
        store.save_card_answer(round_.id, MEMBER, "Klik een", now),
        store.save_card_answer(round_.id, MEMBER, "Klik twee", now),
    )
    assert sorted([first.is_new, second.is_new]) == [False, True]
    assert first.answer.id == second.answer.id
    assert await store.count_answers(round_.id) == 1


async def test_export_rows_carry_rkk_week_question_and_bestuur(store: SqlStore, now: datetime) -> None:
    """Every stored answer is exported with the context an analyst needs."""
    await _rkk(store)
    round_ = await _claim(store, "2026-W48", now)
    assert round_ is not None
    await store.save_card_answer(round_.id, MEMBER, "Wij gebruiken de documentendienst al.", now)
    [row] = await store.export_rows()
    assert (row.rkk, row.week, row.question, row.bestuur, row.member_name, row.source) == (
        "kempen",
        "2026-W48",
        BANK[0][1],
        "Gemeente Brasschaat",
        "An Peeters",
        "card",
    )


async def test_export_rows_of_some_rkks_up_to_a_moment(store: SqlStore, now: datetime) -> None:
    """A coordinator's export holds their RKK's answers given up to the moment they asked, no others."""
    await _rkk(store)
    await store.upsert_rkk("limburg", "RKK Limburg", "19:other@thread.tacv2", "19:other@thread.tacv2")
    kempen = await _claim(store, "2026-W48", now)
    limburg = await posted_round(store, "limburg", "2026-W48", now, "19:other", "2")
    assert kempen is not None
    await store.save_card_answer(kempen.id, MEMBER, "Voor het moment van de export.", now)
    await store.save_card_answer(limburg.id, MEMBER, "Uit een andere RKK.", now)
    later = Member("aad-2", "Bart Claes", "bart@brasschaat.be", "Gemeente Brasschaat")
    await store.save_card_answer(kempen.id, later, "Na het moment van de export.", now + timedelta(minutes=5))
    rows = await store.export_rows(["kempen"], now + timedelta(minutes=1))
    assert [row.text for row in rows] == ["Voor het moment van de export."]
    assert len(await store.export_rows()) == 3


async def test_greeting_is_claimed_once_per_team(store: SqlStore, now: datetime) -> None:
    """Only the first claim to greet a team succeeds, also after re-registration."""
    installation = Installation(
        TARGET.team_id,
        "RKK Kempen",
        "group-1",
        "tenant-1",
        TARGET.service_url,
        "28:bot",
        ((TARGET.team_id, "General"),),
    )
    await store.register_installation(installation, now)
    assert await store.claim_greeting(TARGET.team_id, now) is True
    await store.register_installation(installation, now)
    assert await store.claim_greeting(TARGET.team_id, now) is False
    assert await store.team_channels(TARGET.team_id) == [(TARGET.team_id, "General")]


async def test_question_bank_sync_is_idempotent_and_retires_removed_questions(store: SqlStore) -> None:
    """Syncing the bank twice keeps one row per key; a question dropped from the file is no longer offered."""
    await store.sync_question_bank(BANK)
    await store.sync_question_bank(BANK)
    assert [q.key for q in (await store.rotation_pool("x")).bank] == ["q1", "q2"]
    await store.sync_question_bank(BANK[1:])
    assert [q.key for q in (await store.rotation_pool("x")).bank] == ["q2"]
