"""The round state machine with an injected clock: phases, allowed moves, due steps, catch-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from rkk.model import Round, RoundState
from rkk.rounds.lifecycle import CatchUp, Due, Phase, RoundFacts, catch_up, due, may_move, phase_of
from rkk.rounds.weeks import BRUSSELS, week_times

TIMES = week_times("2026-W48", (0, time(9, 0)), (4, time(17, 0)))
OPENS = TIMES.opens
ROUND = Round(1, "kempen", "2026-W48", 10, "Vraag?", RoundState.POSTED, "19:c;messageid=5", "5", OPENS, 1, None)
POSTED = RoundFacts(ROUND, claimed_at=OPENS)


def claimed(**changes: object) -> RoundFacts:
    """A claimed round with the given lifecycle timestamps."""
    round_ = replace(ROUND, state=RoundState.CLAIMED, conversation_id=None, message_id=None, posted_at=None)
    return replace(RoundFacts(round_, claimed_at=OPENS, lease_until=OPENS + timedelta(minutes=5)), **changes)  # type: ignore[arg-type]


def test_phases_follow_the_stored_state_and_timestamps() -> None:
    """Claimed, sending, uncertain (flagged or stale), posted, reminded, closed."""
    assert phase_of(claimed(), OPENS) is Phase.CLAIMED
    assert phase_of(claimed(sending_at=OPENS), OPENS + timedelta(seconds=5)) is Phase.SENDING
    assert phase_of(claimed(sending_at=OPENS), OPENS + timedelta(minutes=15)) is Phase.UNCERTAIN
    assert phase_of(claimed(sending_at=OPENS, uncertain_at=OPENS), OPENS) is Phase.UNCERTAIN
    assert phase_of(POSTED, OPENS) is Phase.POSTED
    assert phase_of(replace(POSTED, reminded_at=OPENS), OPENS) is Phase.REMINDED
    assert phase_of(replace(POSTED, round=replace(ROUND, state=RoundState.CLOSED)), OPENS) is Phase.CLOSED


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Phase.CLAIMED, Phase.SENDING, True),
        (Phase.SENDING, Phase.POSTED, True),
        (Phase.SENDING, Phase.UNCERTAIN, True),
        (Phase.UNCERTAIN, Phase.SENDING, True),
        (Phase.POSTED, Phase.REMINDED, True),
        (Phase.REMINDED, Phase.CLOSED, True),
        (Phase.CLAIMED, Phase.POSTED, False),
        (Phase.UNCERTAIN, Phase.CLAIMED, False),
        (Phase.REMINDED, Phase.POSTED, False),
        (Phase.CLOSED, Phase.POSTED, False),
    ],
)
def test_state_machine_allows_only_its_moves(current: Phase, target: Phase, allowed: bool) -> None:
    """A reminded round never goes back; an uncertain one is never silently re-claimed."""
    assert may_move(current, target) is allowed


def test_posted_round_is_reminded_once_then_closed() -> None:
    """Before Wednesday 17:00 nothing, then the reminder, and from Friday 17:00 the closing."""
    assert due(POSTED, TIMES, TIMES.remind - timedelta(minutes=1)) is Due.NOTHING  # type: ignore[operator]
    assert due(POSTED, TIMES, TIMES.remind) is Due.REMIND  # type: ignore[arg-type]
    reminded = replace(POSTED, reminded_at=TIMES.remind)
    assert due(reminded, TIMES, TIMES.closes - timedelta(minutes=1)) is Due.NOTHING
    assert due(reminded, TIMES, TIMES.closes) is Due.CLOSE


def test_round_posted_after_the_reminder_moment_skips_the_reminder_at_closing() -> None:
    """A round still unreminded at closing time is closed, not reminded."""
    assert due(POSTED, TIMES, TIMES.closes + timedelta(hours=1)) is Due.CLOSE


def test_closed_round_whose_card_was_not_updated_gets_the_card_update_again() -> None:
    """Closing the card is repeated until it got through."""
    closed = replace(POSTED, round=replace(ROUND, state=RoundState.CLOSED), closed_at=TIMES.closes)
    assert due(closed, TIMES, TIMES.closes) is Due.CLOSE_CARD
    assert due(replace(closed, card_closed_at=TIMES.closes), TIMES, TIMES.closes) is Due.NOTHING


def test_stale_send_is_flagged_once_and_never_resumed() -> None:
    """A process that died inside the call leaves the round for a coordinator, not for a re-post."""
    stale = claimed(sending_at=OPENS)
    later = OPENS + timedelta(minutes=20)
    assert due(stale, TIMES, later) is Due.FLAG_UNCERTAIN
    assert due(claimed(sending_at=OPENS, uncertain_at=later), TIMES, later) is Due.NOTHING


def test_abandoned_unsent_claim_is_resumed_after_its_lease() -> None:
    """A claim that never reached the HTTP call is safe to post once its lease ran out."""
    assert due(claimed(), TIMES, OPENS + timedelta(minutes=4)) is Due.NOTHING
    assert due(claimed(), TIMES, OPENS + timedelta(minutes=5)) is Due.RESUME


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 23, 8, 59, tzinfo=BRUSSELS), CatchUp.NOT_YET),
        (datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS), CatchUp.POST),
        (datetime(2026, 11, 23, 23, 59, tzinfo=BRUSSELS), CatchUp.POST),
        (datetime(2026, 11, 24, 0, 0, tzinfo=BRUSSELS), CatchUp.SKIP),
        (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), CatchUp.SKIP),
    ],
)
def test_catch_up_posts_within_the_same_working_day_else_skips(moment: datetime, expected: CatchUp) -> None:
    """The default grace window is the rest of the opening day (Brussels time)."""
    assert catch_up(TIMES, moment) is expected


def test_catch_up_grace_is_configurable_and_never_past_closing() -> None:
    """A two-day grace allows Wednesday morning; no grace reaches past the closing moment."""
    assert catch_up(TIMES, OPENS + timedelta(days=1, hours=20), grace=timedelta(days=2)) is CatchUp.POST
    assert catch_up(TIMES, TIMES.closes, grace=timedelta(days=30)) is CatchUp.SKIP
