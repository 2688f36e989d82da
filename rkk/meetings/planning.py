"""Use case: a global coordinator plans a kennismoment for a rode draad (or for a topic named by hand).

Order matters, so that nothing is announced half-way and a retry never makes a second meeting:
1. check the form and the coordinator, before anything is stored;
2. claim the subject's row (one live kennismoment per subject; a failed one is taken over with its
   transaction id);
3. create the Teams meeting through Graph with that transaction id (Graph does not create a second
   event for a repeated transaction id), or take the typed link without Graph;
4. record it as scheduled, with the theme's status "kennismoment gepland";
5. announce it in every place, and redraw the theme's card.
A failure in 3 marks the row failed and announces nothing; a crash between 3 and 4 leaves the row
"creating" until its lease lapses, and the next attempt repeats 3 with the same transaction id.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from rkk.crosspost import Actor, Decision, DecisionRecord, StoredTheme, ThemeStatus
from rkk.meetings.announcing import AnnounceReport, announce, refresh_theme_card
from rkk.meetings.context import MeetingPorts, MeetingSettings
from rkk.meetings.errors import AlreadyPlanned, CalendarError, MeetingNotAllowed, PlanningInProgress
from rkk.meetings.form import parse_details
from rkk.meetings.model import Meeting, MeetingState, Subject

logger = logging.getLogger(__name__)

CREATE_LEASE = timedelta(minutes=5)  # longer than Graph's retries of one create take


@dataclass(frozen=True)
class PlanOutcome:
    """The scheduled kennismoment and where it was announced."""

    meeting: Meeting
    report: AnnounceReport


def theme_description(theme: StoredTheme) -> str:
    """The theme's description to prefill the form with, or "" when the stored theme has none.

    The one place that reads it: themes gain a `description` elsewhere, and until then there is none.
    """
    return str(getattr(theme, "description", "") or "")


def subject_of_theme(theme: StoredTheme) -> Subject:
    """The subject of a kennismoment about a rode draad: its label, description, RKKs and besturen."""
    return Subject(
        key=f"theme:{theme.key}",
        label=theme.label,
        description=theme_description(theme),
        rkk_keys=tuple(sorted(theme.spread.rkks)),
        bestuur_count=len(theme.spread.besturen),
        theme_key=theme.key,
    )


async def plan_meeting(
    ports: MeetingPorts,
    settings: MeetingSettings,
    subject: Subject,
    form: Mapping[str, object],
    actor: Actor,
    allowed: bool,
    now: datetime,
) -> PlanOutcome:
    """Create, record and announce the kennismoment; raise a named error and change nothing on refusal."""
    if not allowed:
        raise MeetingNotAllowed(f"{actor.id} is not a global coordinator")
    details = parse_details(form, now, settings.timezone, link_required=ports.calendar is None)
    organizer = None if ports.calendar is None else ports.calendar.organizer
    claim = await ports.meetings.claim_meeting(subject, details, actor, organizer, now, CREATE_LEASE)
    meeting = claim.meeting
    if not claim.mine:
        if meeting.state is MeetingState.SCHEDULED:
            raise AlreadyPlanned(f"subject {subject.key} has meeting {meeting.id}", meeting=meeting)
        raise PlanningInProgress(f"meeting {meeting.id} is being created")
    if ports.calendar is None:
        meeting = await ports.meetings.mark_scheduled(meeting.id, None, details.join_url, now)
    else:
        invitees = settings.coordinators.of_rkks(subject.rkk_keys)
        try:
            event = await ports.calendar.create_event(meeting, invitees)
        except CalendarError as error:
            await ports.meetings.mark_failed(meeting.id, str(error))
            logger.error("meeting %s not created (%s): %s", meeting.id, error.kind, error)
            raise
        meeting = await ports.meetings.mark_scheduled(meeting.id, event.event_id, event.join_url, now)
    logger.info("meeting %s (%s) scheduled by %s for %s", meeting.id, subject.key, actor.id, details.starts_at)
    if subject.theme_key is not None:
        theme = await ports.themes.get_theme(subject.theme_key)
        spread = theme.spread if theme is not None else None
        if spread is not None:
            record = DecisionRecord(subject.theme_key, Decision.PLAN, actor.id, actor.name, now, spread)
            await ports.themes.record_decision(record, ThemeStatus.PLANNED)
    report = await announce(ports, settings, meeting, now)
    await refresh_theme_card(ports, meeting)
    return PlanOutcome(meeting, report)
