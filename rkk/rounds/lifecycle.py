"""The round state machine: claimed → (sending) → posted → reminded → closed, with its side exits.

`rounds.state` keeps the four stored states of `RoundState`; the finer phases here are derived
from timestamps next to it (sending_at, uncertain_at, reminded_at), so code that only knows
"posted" (answering accepts answers while posted) keeps working through the reminder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from rkk.errors import PostFailed
from rkk.model import Round, RoundState
from rkk.rounds.weeks import WeekTimes, end_of_day

logger = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=5)  # an unsent claim older than this may be taken over
DEFAULT_UNCERTAIN_AFTER = timedelta(minutes=15)  # longer than any call with its retries can take


class Phase(StrEnum):
    """Where a round is, as coordinators see it."""

    CLAIMED = "claimed"  # owned by a process, nothing sent yet
    SENDING = "sending"  # the HTTP call to Teams is under way
    UNCERTAIN = "uncertain"  # the process died inside that call: was the card posted? a coordinator decides
    FAILED = "failed"  # Teams refused; a later attempt may claim it again
    POSTED = "posted"
    REMINDED = "reminded"
    CLOSED = "closed"


TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.CLAIMED: frozenset({Phase.SENDING, Phase.CLAIMED}),  # CLAIMED→CLAIMED: takeover after the lease
    Phase.SENDING: frozenset({Phase.POSTED, Phase.FAILED, Phase.UNCERTAIN}),
    Phase.UNCERTAIN: frozenset({Phase.SENDING, Phase.POSTED, Phase.CLOSED}),  # post anyway, adopt, dismiss
    Phase.FAILED: frozenset({Phase.CLAIMED}),
    Phase.POSTED: frozenset({Phase.REMINDED, Phase.CLOSED}),
    Phase.REMINDED: frozenset({Phase.CLOSED}),
    Phase.CLOSED: frozenset(),
}


def may_move(current: Phase, target: Phase) -> bool:
    """Whether the state machine allows going from `current` to `target`."""
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class RoundFacts:
    """A round with the lifecycle timestamps stored next to it."""

    round: Round
    claimed_at: datetime
    owner: str | None = None
    lease_until: datetime | None = None
    sending_at: datetime | None = None
    uncertain_at: datetime | None = None
    reminded_at: datetime | None = None
    closed_at: datetime | None = None
    card_closed_at: datetime | None = None
    final_count: int | None = None


def phase_of(facts: RoundFacts, now: datetime, uncertain_after: timedelta = DEFAULT_UNCERTAIN_AFTER) -> Phase:
    """The round's phase at `now` (a call under way for too long counts as uncertain)."""
    state = facts.round.state
    if state is RoundState.CLOSED:
        return Phase.CLOSED
    if state is RoundState.FAILED:
        return Phase.FAILED
    if state is RoundState.POSTED:
        return Phase.REMINDED if facts.reminded_at else Phase.POSTED
    if facts.uncertain_at or (facts.sending_at and now - facts.sending_at >= uncertain_after):
        return Phase.UNCERTAIN
    return Phase.SENDING if facts.sending_at else Phase.CLAIMED


class Due(StrEnum):
    """What the lifecycle job should do with a round now."""

    NOTHING = "nothing"
    RESUME = "resume"  # an abandoned claim whose lease ran out: post it
    FLAG_UNCERTAIN = "flag_uncertain"
    REMIND = "remind"
    CLOSE = "close"
    CLOSE_CARD = "close_card"  # closed, but the card update did not get through yet


def due(
    facts: RoundFacts, times: WeekTimes, now: datetime, uncertain_after: timedelta = DEFAULT_UNCERTAIN_AFTER
) -> Due:
    """The one step the round needs at `now`, given its week's times."""
    phase = phase_of(facts, now, uncertain_after)
    if phase is Phase.CLOSED:
        return Due.CLOSE_CARD if facts.card_closed_at is None and facts.round.message_id else Due.NOTHING
    if phase in (Phase.POSTED, Phase.REMINDED):
        if now >= times.closes:
            return Due.CLOSE
        if phase is Phase.POSTED and times.remind is not None and now >= times.remind:
            return Due.REMIND
        return Due.NOTHING
    if phase is Phase.UNCERTAIN:
        return Due.FLAG_UNCERTAIN if facts.uncertain_at is None else Due.NOTHING
    if phase is Phase.CLAIMED and facts.lease_until is not None and now >= facts.lease_until and now < times.closes:
        return Due.RESUME
    return Due.NOTHING


class CatchUp(StrEnum):
    """What start-up does about a week whose scheduled moment has no round."""

    NOT_YET = "not_yet"  # the scheduled moment is still ahead
    POST = "post"  # missed, but within the grace window
    SKIP = "skip"  # missed for too long: skip the week and tell the coordinators


def catch_up(times: WeekTimes, now: datetime, grace: timedelta | None = None) -> CatchUp:
    """Post a missed round within the grace window (default: the rest of its opening day), else skip."""
    if now < times.opens:
        return CatchUp.NOT_YET
    deadline = times.opens + grace if grace is not None else end_of_day(times.opens)
    return CatchUp.POST if now < min(deadline, times.closes) else CatchUp.SKIP


class Fenced(Exception):
    """The fence refused this process: it must not send (another one owns the round now)."""


class Stopped(Exception):
    """This process is stopping: the request was not sent, and its claim goes back to the others."""


@dataclass(frozen=True)
class Notice:
    """Something coordinators must hear about one RKK's week (rendered from `rounds_notice_{kind}`)."""

    kind: str  # "skipped", "no_question", "uncertain", "post_failed"
    week: str
    params: tuple[tuple[str, str], ...] = ()


class PostUncertain(PostFailed):
    """The process lost track inside the call to Teams: the card may or may not be in the channel."""

    code = "rounds_post_uncertain"
