"""The kennismoment store on SQLite and PostgreSQL: one live meeting per subject, one card per place, answers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, insert, inspect

from rkk.crosspost import Actor, ThemeStatus
from rkk.meetings import Details, MeetingState, Mode, Rsvp, Subject
from rkk.model import ChannelTarget, Erasure
from rkk.ports import Posted
from rkk.store.admin_store import AdminStore
from rkk.store.crosspost import ThemeStore
from rkk.store.crosspost.tables import themes
from rkk.store.meetings import MeetingStore
from rkk.store.migrate import MIGRATIONS
from rkk.store.rounds.sql_store import SqlStore

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
SUBJECT = Subject("topic:privacy", "Privacy bij camera's", "", ("antwerpen", "kempen"), 4)
DETAILS = Details("Camera's en de AVG", NOW + timedelta(days=10), 60, "", Mode.ONLINE, "", "", "https://t.example/x")
GRIET = Actor("aad-griet", "Griet Globaal")
TARGET = ChannelTarget("http://127.0.0.1:9/teams/", "tenant", "19:team", "19:kempen@thread.tacv2")


def rsvp(meeting_id: int, who: str, bestuur: str, going: bool = True) -> Rsvp:
    """An answer from the Kempen card."""
    return Rsvp(meeting_id, f"aad-{who}", f"29:{who}", who, bestuur, "kempen", going)


async def test_the_first_claim_owns_the_subject_and_a_second_gets_the_live_one(store: SqlStore) -> None:
    """Two presses at once: exactly one claim is the owner."""
    meetings = MeetingStore(store.engine)
    claims = await asyncio.gather(
        *(meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE) for _ in range(4))
    )
    assert sorted(c.mine for c in claims) == [False, False, False, True]
    assert len({c.meeting.id for c in claims}) == 1


async def test_a_failed_attempt_is_taken_over_with_the_same_transaction_id(store: SqlStore) -> None:
    """The retry's Graph create carries the transaction id of the first attempt."""
    meetings = MeetingStore(store.engine)
    first = await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, "kennis@v-ict-or.be", NOW, LEASE)
    await meetings.mark_failed(first.meeting.id, "Graph answered 403")
    retry = await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, "kennis@v-ict-or.be", NOW, LEASE)
    assert retry.mine and retry.meeting.id == first.meeting.id
    assert retry.meeting.transaction_id == first.meeting.transaction_id


async def test_an_attempt_that_died_is_taken_over_after_its_lease(store: SqlStore) -> None:
    """Within the lease the row is someone else's; after it, the next attempt owns it."""
    meetings = MeetingStore(store.engine)
    await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)
    assert not (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW + timedelta(minutes=1), LEASE)).mine
    assert (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW + timedelta(minutes=6), LEASE)).mine


async def test_after_a_cancellation_the_subject_can_be_planned_again(store: SqlStore) -> None:
    """The uniqueness holds for live meetings only."""
    meetings = MeetingStore(store.engine)
    first = await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)
    await meetings.mark_scheduled(first.meeting.id, None, DETAILS.join_url, NOW)
    cancelled = await meetings.mark_cancelled(first.meeting.id, NOW)
    again = await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)
    assert cancelled.state is MeetingState.CANCELLED and again.mine and again.meeting.id != first.meeting.id


async def test_an_announcement_is_claimed_once_per_place(store: SqlStore) -> None:
    """Concurrent claims: one wins; after a failure the place can be claimed again, after a post never."""
    meetings = MeetingStore(store.engine)
    meeting = (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)).meeting
    won = await asyncio.gather(*(meetings.claim_announcement(meeting.id, "kempen", NOW) for _ in range(3)))
    assert sorted(won) == [False, False, True]
    await meetings.mark_announcement_failed(meeting.id, "kempen", "Teams answered 503")
    assert await meetings.claim_announcement(meeting.id, "kempen", NOW)
    await meetings.mark_announced(meeting.id, "kempen", TARGET, Posted("19:k;messageid=5", "5"), 1, NOW)
    assert not await meetings.claim_announcement(meeting.id, "kempen", NOW)
    [announcement] = await meetings.announcements(meeting.id)
    assert (announcement.state, announcement.message_id, announcement.target) == ("posted", "5", TARGET)


async def test_answers_count_members_and_distinct_known_besturen(store: SqlStore) -> None:
    """Three coming from two besturen (an unknown bestuur counts as member only); a change of mind is one answer."""
    meetings = MeetingStore(store.engine)
    meeting = (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)).meeting
    for who, bestuur in (("an", "Gemeente Mol"), ("jan", "Gemeente Mol"), ("els", "Stad Geel"), ("x", "onbekend")):
        await meetings.save_rsvp(rsvp(meeting.id, who, bestuur), NOW)
    attendance = await meetings.save_rsvp(rsvp(meeting.id, "jan", "Gemeente Mol", going=False), NOW)
    assert (attendance.members, attendance.besturen) == (3, 2)
    fresh = await meetings.get_meeting(meeting.id)
    assert fresh is not None and fresh.revision == meeting.revision + 5
    assert (await meetings.rsvp_of(meeting.id, "aad-jan")).going is False  # type: ignore[union-attr]


async def test_the_latest_answerers_come_first_for_the_card_refresh(store: SqlStore) -> None:
    """The per-viewer refresh lists the newest answers (Teams takes at most 60)."""
    meetings = MeetingStore(store.engine)
    meeting = (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)).meeting
    for minute, who in enumerate(("an", "jan", "els")):
        await meetings.save_rsvp(rsvp(meeting.id, who, "Gemeente Mol"), NOW + timedelta(minutes=minute))
    assert await meetings.recent_responders(meeting.id, 2) == ["29:els", "29:jan"]


async def test_a_reply_is_claimed_once_and_can_be_given_back(store: SqlStore) -> None:
    """A refused reply is released, so the next run sends it."""
    meetings = MeetingStore(store.engine)
    meeting = (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)).meeting
    assert await meetings.claim_notice(meeting.id, "kempen", "reminder", "2026-12-03", NOW)
    assert not await meetings.claim_notice(meeting.id, "kempen", "reminder", "2026-12-03", NOW)
    await meetings.release_notice(meeting.id, "kempen", "reminder", "2026-12-03")
    assert await meetings.claim_notice(meeting.id, "kempen", "reminder", "2026-12-03", NOW)


async def test_a_scheduled_meeting_shows_on_its_theme(store: SqlStore) -> None:
    """The theme store reads the planned date and title for the card and `thema's`."""
    async with store.engine.begin() as conn:
        await conn.execute(
            insert(themes).values(
                key="t-1",
                label="MAGDA",
                terms="[]",
                rkks=json.dumps(["kempen"]),
                besturen="[]",
                first_week="2026-W40",
                last_week="2026-W47",
                recurring=True,
                state=ThemeStatus.CROSSPOSTED.value,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    meetings = MeetingStore(store.engine)
    subject = Subject("theme:t-1", "MAGDA", "", ("kempen",), 5, "t-1")
    meeting = (await meetings.claim_meeting(subject, DETAILS, GRIET, None, NOW, LEASE)).meeting
    assert await ThemeStore(store.engine).planned_meetings(["t-1"]) == {}  # still being created
    await meetings.mark_scheduled(meeting.id, None, DETAILS.join_url, NOW)
    [planned] = (await ThemeStore(store.engine).planned_meetings(["t-1"])).values()
    assert (planned.starts_at, planned.title) == (DETAILS.starts_at, DETAILS.title)


async def test_erasing_a_member_erases_their_answers_and_the_count_follows(store: SqlStore) -> None:
    """`verwijder mijn gegevens` also removes "Ik kom"; the meeting gets a new revision so cards redraw."""
    meetings = MeetingStore(store.engine)
    meeting = (await meetings.claim_meeting(SUBJECT, DETAILS, GRIET, None, NOW, LEASE)).meeting
    await meetings.save_rsvp(rsvp(meeting.id, "an", "Gemeente Mol"), NOW)
    before = await meetings.get_meeting(meeting.id)
    erasure = Erasure("aad-an", frozenset({"aad-an"}), frozenset({"an"}), frozenset())
    await AdminStore(store.engine).delete_member_data(erasure, NOW)
    assert (await meetings.attendance(meeting.id)).members == 0
    after = await meetings.get_meeting(meeting.id)
    assert before is not None and after is not None and after.revision == before.revision + 1


async def test_migration_0011_goes_down_and_up_again(store: SqlStore) -> None:
    """Downgrading to 0010 removes the meeting tables; upgrading restores them."""

    def run(connection: Connection, target: str, up: bool) -> set[str]:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        (command.upgrade if up else command.downgrade)(config, target)
        return set(inspect(connection).get_table_names())

    async with store.engine.begin() as conn:
        down = await conn.run_sync(run, "0010", False)
        up = await conn.run_sync(run, "heads", True)
    tables = {"meetings", "meeting_announcements", "meeting_rsvps", "meeting_notices"}
    assert not tables & down and tables <= up and "themes" in down
