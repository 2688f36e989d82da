"""The organiser's calendar for kennismomenten: the `Calendar` port of rkk.meetings over Microsoft Graph.

Invitees are named in the config by Entra object id or user principal name; Graph's user lookup
turns them into mail addresses (a UPN is often not a mailbox address, and guests' UPNs never are).
Every Graph failure becomes a CalendarError whose kind tells the coordinator what to fix.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.graph.errors import GraphError, GraphForbidden, GraphNotFound, GraphThrottled, GraphUnavailable
from bot.graph.model import EventDraft
from bot.graph.port import GraphPort
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.meetings import CalendarError, CalendarEvent, Meeting, Mode

logger = logging.getLogger(__name__)


class GraphCalendar:
    """Creates, moves and cancels kennismomenten as Teams meetings in one organiser mailbox."""

    def __init__(self, graph: GraphPort, organizer: str, timezone: ZoneInfo, texts: Catalog) -> None:
        self._graph = graph
        self._organizer = organizer
        self._tz = timezone
        self._texts = texts

    @property
    def organizer(self) -> str:
        """The mailbox the Teams meetings are created in."""
        return self._organizer

    async def create_event(self, meeting: Meeting, invitees: Collection[str]) -> CalendarEvent:
        """Create the meeting with its transaction id and invite these people; CalendarError on failure."""
        draft = self._draft(meeting, meeting.details.starts_at, meeting.details.minutes)
        try:
            attendees = await self._attendees(invitees)
            draft = EventDraft(**{**draft.__dict__, "attendees": attendees})
            event = await self._graph.create_event(self._organizer, draft, meeting.transaction_id)
            if (event.start, event.end) != (draft.start, draft.end) and event.start is not None:
                # A repeated transaction id gave back the event of an earlier attempt: give it this time.
                event = await self._graph.move_event(self._organizer, event.id, draft.start, draft.end, draft.time_zone)
        except (GraphError, ValueError) as error:
            raise _calendar_error(error, self._organizer) from error
        if meeting.details.mode is Mode.ONLINE and not event.join_url:
            logger.error("mailbox %s made event %s without a Teams meeting", self._organizer, event.id)
            await self._cancel_quietly(event.id)
            raise CalendarError(f"{self._organizer}: no Teams meeting", kind="no_teams", mailbox=self._organizer)
        logger.info("Teams meeting %s created in %s for %d invitees", event.id, self._organizer, len(attendees))
        return CalendarEvent(event.id, event.join_url or "")

    async def move_event(self, meeting: Meeting, starts_at: datetime, minutes: int) -> None:
        """Move the meeting; the invitees get an update from Outlook."""
        if not meeting.event_id:
            return
        end = starts_at + timedelta(minutes=minutes)
        try:
            await self._graph.move_event(self._organizer, meeting.event_id, starts_at, end, self._tz.key)
        except GraphError as error:
            raise _calendar_error(error, self._organizer) from error

    async def cancel_event(self, meeting: Meeting) -> None:
        """Cancel the meeting; an event that is gone already (404) counts as cancelled."""
        if not meeting.event_id:
            return
        comment = self._texts.text("meeting_event_cancelled", DEFAULT_LANGUAGE, title=meeting.details.title)
        try:
            await self._graph.cancel_event(self._organizer, meeting.event_id, comment)
        except GraphNotFound:
            logger.info("event %s of meeting %s was gone already", meeting.event_id, meeting.id)
        except GraphError as error:
            raise _calendar_error(error, self._organizer) from error

    def _draft(self, meeting: Meeting, starts_at: datetime, minutes: int) -> EventDraft:
        details, texts = meeting.details, self._texts
        lines = [texts.text("meeting_event_intro", DEFAULT_LANGUAGE, label=meeting.subject.label)]
        if details.description:
            lines.append(details.description)
        if details.speaker:
            lines.append(texts.text("meeting_event_speaker", DEFAULT_LANGUAGE, speaker=details.speaker))
        besturen = texts.count("meeting_besturen", meeting.subject.bestuur_count, DEFAULT_LANGUAGE)
        lines.append(texts.text("meeting_event_why", DEFAULT_LANGUAGE, besturen=besturen))
        body = "".join(f"<p>{html.escape(line).replace(chr(10), '<br>')}</p>" for line in lines)
        return EventDraft(
            subject=texts.text("meeting_event_subject", DEFAULT_LANGUAGE, title=details.title),
            body_html=body,
            start=starts_at,
            end=starts_at + timedelta(minutes=minutes),
            time_zone=self._tz.key,
            location=details.location,
            online=details.mode is Mode.ONLINE,
        )

    async def _attendees(self, invitees: Collection[str]) -> tuple[tuple[str, str], ...]:
        """Mail addresses of the invitees; an identifier Graph does not know is used only if it is an address."""
        found = await self._graph.users(sorted(invitees))
        attendees: dict[str, str] = {}
        for identifier in sorted(invitees):
            user = found.get(identifier)
            if user is not None and user.address:
                attendees.setdefault(user.address.lower(), user.display_name or "")
            elif "@" in identifier and "#" not in identifier:
                attendees.setdefault(identifier.lower(), "")
            else:
                logger.warning("coordinator %s not found in the directory: not invited", identifier)
        return tuple(sorted(attendees.items()))

    async def _cancel_quietly(self, event_id: str) -> None:
        comment = self._texts.text("meeting_event_withdrawn", DEFAULT_LANGUAGE)
        try:
            await self._graph.cancel_event(self._organizer, event_id, comment)
        except GraphError as error:
            logger.error("event %s without a Teams meeting could not be withdrawn: %s", event_id, error)


def _calendar_error(error: Exception, mailbox: str) -> CalendarError:
    """The named error for a Graph failure, with the kind the coordinator's message depends on."""
    kind = "other"
    if isinstance(error, GraphForbidden):
        kind = "forbidden"
    elif isinstance(error, GraphNotFound):
        kind = "not_found"
    elif isinstance(error, GraphThrottled):
        kind = "throttled"
    elif isinstance(error, GraphUnavailable):
        kind = "unavailable"
    return CalendarError(str(error), kind=kind, mailbox=mailbox)
