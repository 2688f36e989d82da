"""Coordinators steer a scoring round: start it, close it early, extend it; each action is audited."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from rkk.crosspost import UmbrellaMissing, resolve_umbrella
from rkk.model import AuditEntry, ChannelTarget
from rkk.rounds import InvalidDate, parse_date
from rkk.scoring.context import Scoring, ScoringSettings
from rkk.scoring.errors import ForeignScoringAction, InvalidSetup, NoScoringRound, ScoringAlreadyOpen
from rkk.scoring.model import NewTopic, PostKind, ScoringRound
from rkk.scoring.ports import NewRound, PostKey
from rkk.scoring.topics import rode_draden, topic_from_theme

logger = logging.getLogger(__name__)

MAX_TOPICS = 20
_TIME = re.compile(r"^(\d{1,2})[:.hu](\d{2})$|^(\d{1,2})(?:u|uur|h)$")
MIN_LEAD = timedelta(hours=1)  # a deadline sooner than this leaves nobody time to score


@dataclass(frozen=True)
class Actor:
    """Who steers: a stable id and a name for the audit log, and where they typed or pressed."""

    id: str
    name: str
    conversation_id: str | None = None


@dataclass(frozen=True)
class StartRequest:
    """What the setup card (or `scoring start`) asks for; None means the default."""

    theme_keys: tuple[str, ...]
    manual: tuple[NewTopic, ...] = ()
    not_local: frozenset[str] = field(default_factory=frozenset)  # theme keys without lokale impact
    deadline: datetime | None = None
    audience: tuple[str, ...] | None = None  # None: every RKK the bot is installed in
    share_with_rkks: bool = False


def parse_deadline(text: str, now: datetime, settings: ScoringSettings) -> datetime:
    """A deadline typed as a date and an optional time ("15 december", "15/12 17:00", "2026-12-15 9u30"),
    in Brussels time; without a time, the default hour (17:00)."""
    words = text.split()
    at = time(settings.default_hour)
    found = _TIME.match(words[-1].lower()) if words else None
    if found:
        hour, minute = int(found[1] or found[3]), int(found[2] or 0)
        if hour > 23:
            raise InvalidSetup(text, reason="deadline_unreadable")
        at, words = time(hour, minute), words[:-1]
    try:
        day = parse_date(" ".join(words), now.astimezone(settings.timezone).date())
    except InvalidDate as error:
        reason = "deadline_past" if error.params.get("reason") == "past" else "deadline_unreadable"
        raise InvalidSetup(text, reason=reason) from error
    return datetime.combine(day, at, settings.timezone)


def default_deadline(now: datetime, settings: ScoringSettings) -> datetime:
    """Two weeks from today at 17:00, Brussels time."""
    day = now.astimezone(settings.timezone).date() + timedelta(days=settings.default_days)
    return datetime.combine(day, time(settings.default_hour), settings.timezone)


async def umbrella(s: Scoring) -> ChannelTarget:
    """The RKK Overkoepelend channel the results go to; UmbrellaMissing when it cannot be reached."""
    team, channel = s.settings.umbrella_team, s.settings.umbrella_channel
    target = resolve_umbrella(await s.themes.installed_teams(), team, channel) if team else None
    if target is None:
        raise UmbrellaMissing(f"overkoepelend team {team!r} channel {channel!r} not installed", team=team or "")
    return target


async def start_scoring(s: Scoring, request: StartRequest, actor: Actor, now: datetime) -> ScoringRound:
    """Open a round with the chosen rode draden and hand-made topics; refuse when one is open."""
    await _refuse_if_open(s)
    candidates = {theme.key: theme for theme in rode_draden(await s.themes.list_themes())}
    unknown = [key for key in request.theme_keys if key not in candidates]
    if unknown:
        raise InvalidSetup(f"not a current rode draad: {unknown}", reason="unknown_theme")
    topics = [topic_from_theme(candidates[k], k not in request.not_local) for k in dict.fromkeys(request.theme_keys)]
    topics.extend(request.manual)
    if not topics:
        raise InvalidSetup("no topics", reason="no_topics")
    if len(topics) > MAX_TOPICS:
        raise InvalidSetup("too many topics", reason="too_many_topics", limit=MAX_TOPICS)
    deadline = (request.deadline or default_deadline(now, s.settings)).astimezone(UTC)  # stored as UTC
    _check_deadline(deadline, now, s.settings)
    audience = await _audience(s, request.audience)
    await umbrella(s)
    new = NewRound(deadline, s.settings.threshold, request.share_with_rkks, audience, actor.id, actor.name)
    created = await s.repo.create_round(new, topics, now)
    if created is None:
        await _refuse_if_open(s)
        raise ScoringAlreadyOpen("another round was started at the same moment")
    detail = f"scoreronde {created.id}: {len(topics)} onderwerpen, {len(audience)} RKK's, tot {deadline.isoformat()}"
    await s.audit.record(_entry(actor, "scoring_start", detail, now))
    logger.info("scoring round %s started by %s", created.id, actor.id)
    return created


async def close_scoring(s: Scoring, actor: Actor, now: datetime, scoring_id: object = None) -> ScoringRound:
    """Close the open round now (the keeper then posts the results); NoScoringRound when none is open.

    `scoring_id` is the round a confirmation card names: a card of an earlier round closes nothing.
    """
    round_ = await s.repo.open_round()
    if round_ is not None and scoring_id is not None and scoring_id != round_.id:
        raise ForeignScoringAction(f"confirmation for round {scoring_id!r}, open is {round_.id}")
    if round_ is None or not await s.repo.close_round(round_.id, now):
        raise NoScoringRound("no open scoring round")
    await s.audit.record(_entry(actor, "scoring_close", f"scoreronde {round_.id} vervroegd afgesloten", now))
    closed = await s.repo.get_round(round_.id)
    assert closed is not None
    return closed


async def extend_scoring(s: Scoring, actor: Actor, deadline: datetime, now: datetime) -> ScoringRound:
    """Move the deadline of the open round later."""
    round_ = await s.repo.open_round()
    if round_ is None:
        raise NoScoringRound("no open scoring round")
    deadline = deadline.astimezone(UTC)  # stored as UTC
    if deadline <= round_.deadline:
        raise InvalidSetup("not later than the current deadline", reason="not_later", current=round_.deadline)
    _check_deadline(deadline, now, s.settings)
    if not await s.repo.extend_round(round_.id, deadline):
        raise NoScoringRound("the round closed meanwhile")
    detail = f"scoreronde {round_.id}: deadline {round_.deadline.isoformat()} -> {deadline.isoformat()}"
    await s.audit.record(_entry(actor, "scoring_extend", detail, now))
    extended = await s.repo.get_round(round_.id)
    assert extended is not None
    return extended


async def repost_ballot(s: Scoring, actor: Actor, scoring_id: object, rkk_key: str, now: datetime) -> bool:
    """A coordinator found no ballot in the channel after an uncertain post: the next step posts it again.

    Only an uncertain ballot of the open round qualifies (one that may be in the channel is never
    re-posted on our own); False when there is none. Audited.
    """
    round_ = await s.repo.open_round()
    if round_ is None or scoring_id != round_.id:
        return False
    key = PostKey(round_.id, PostKind.BALLOT, rkk_key)
    if not await s.repo.release_uncertain(key, f"opnieuw te posten volgens {actor.name}"):
        return False
    await s.audit.record(_entry(actor, "scoring_repost", f"scoreronde {round_.id}: stembiljet {rkk_key}", now))
    return True


def _check_deadline(deadline: datetime, now: datetime, settings: ScoringSettings) -> None:
    if deadline < now + MIN_LEAD:
        raise InvalidSetup("deadline too soon", reason="deadline_past")
    if deadline > now + timedelta(days=settings.max_days):
        raise InvalidSetup("deadline too far", reason="deadline_far", days=settings.max_days)


async def _audience(s: Scoring, wanted: Sequence[str] | None) -> tuple[str, ...]:
    """The RKKs that get a ballot: the ones asked for (each must exist and be reachable), or every reachable one."""
    rkks = {rkk.key: rkk for rkk in await s.rkks.list_rkks()}
    if wanted is None:
        keys = tuple(key for key, rkk in sorted(rkks.items()) if rkk.reachable)
    else:
        keys = tuple(dict.fromkeys(wanted))
        for key in keys:
            if key not in rkks:
                raise InvalidSetup(f"unknown RKK {key}", reason="unknown_rkk", rkk=key)
            if not rkks[key].reachable:
                raise InvalidSetup(f"RKK {key} not installed", reason="not_installed", rkk=rkks[key].name)
    if not keys:
        raise InvalidSetup("no RKK to send ballots to", reason="no_audience")
    return keys


async def _refuse_if_open(s: Scoring) -> None:
    current = await s.repo.open_round()
    if current is not None:
        raise ScoringAlreadyOpen(
            f"scoring round {current.id} is open",
            started_by=current.started_by,
            started=current.started_at,
            deadline=current.deadline,
        )


def _entry(actor: Actor, action: str, detail: str, now: datetime) -> AuditEntry:
    return AuditEntry(now, actor.id, actor.name, action, None, detail, actor.conversation_id)
