"""Calendar events in an organiser's mailbox through msgraph-sdk: create (as a Teams meeting), move, cancel.

Times go out as the local wall-clock time with the Windows name of the time zone (Graph's
dateTimeTimeZone accepts Windows names and a fixed list of IANA names that lacks Europe/Brussels),
so Outlook shows the meeting in Brussels time. Answers are asked for in UTC (`Prefer: outlook.timezone`),
so that what comes back is read without a time zone table.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.attendee import Attendee
from msgraph.generated.models.attendee_type import AttendeeType
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.event import Event
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.location import Location
from msgraph.generated.models.online_meeting_provider_type import OnlineMeetingProviderType
from msgraph.generated.users.item.events.item.cancel.cancel_post_request_body import CancelPostRequestBody
from msgraph.graph_service_client import GraphServiceClient

from bot.graph.model import EventDraft, GraphEvent
from bot.graph.users import CallGraph

logger = logging.getLogger(__name__)

ANSWER_TIME_ZONE = "UTC"
# IANA -> Windows time zone names (CLDR windowsZones) for the zones Belgian deployments use.
WINDOWS_ZONES = {
    "Europe/Brussels": "Romance Standard Time",
    "Europe/Paris": "Romance Standard Time",
    "Europe/Amsterdam": "W. Europe Standard Time",
    "Europe/Luxembourg": "W. Europe Standard Time",
    "Europe/Berlin": "W. Europe Standard Time",
    "Europe/London": "GMT Standard Time",
    "UTC": "UTC",
}


def graph_time(moment: datetime, time_zone: str) -> DateTimeTimeZone:
    """A moment as Graph's dateTimeTimeZone: local wall-clock time and the zone's Windows name (else UTC)."""
    windows = WINDOWS_ZONES.get(time_zone)
    if windows is None:
        return DateTimeTimeZone(date_time=moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), time_zone="UTC")
    local = moment.astimezone(ZoneInfo(time_zone))
    return DateTimeTimeZone(date_time=local.strftime("%Y-%m-%dT%H:%M:%S"), time_zone=windows)


def utc_of(value: DateTimeTimeZone | None) -> datetime | None:
    """An answered start or end (UTC, up to 7 decimals) as an aware datetime."""
    if value is None or not value.date_time:
        return None
    head, _, fraction = value.date_time.partition(".")
    try:
        moment = datetime.fromisoformat(head)
    except ValueError:
        return None
    if value.time_zone not in (None, "UTC", "Etc/GMT", "tzone://Microsoft/Utc"):
        logger.warning("event time answered in %s, not UTC; read as UTC", value.time_zone)
    micro = int((fraction + "000000")[:6]) if fraction.isdigit() else 0
    return moment.replace(microsecond=micro, tzinfo=UTC)


def _event(draft: EventDraft) -> Event:
    event = Event(
        subject=draft.subject,
        body=ItemBody(content_type=BodyType.Html, content=draft.body_html),
        start=graph_time(draft.start, draft.time_zone),
        end=graph_time(draft.end, draft.time_zone),
        location=Location(display_name=draft.location) if draft.location else None,
        allow_new_time_proposals=False,  # one moment for everybody: moves go through the bot
    )
    if draft.online:
        event.is_online_meeting = True
        event.online_meeting_provider = OnlineMeetingProviderType.TeamsForBusiness
    return event


def _answer(event: Event | None, what: str) -> GraphEvent:
    if event is None or not event.id:
        raise ValueError(f"{what}: Graph answered without an event")
    join = event.online_meeting.join_url if event.online_meeting is not None else None
    return GraphEvent(
        event.id, event.subject or "", utc_of(event.start), utc_of(event.end), join or None, event.transaction_id
    )


def _in_utc() -> RequestConfiguration[Any]:
    config: RequestConfiguration[Any] = RequestConfiguration()
    config.headers.add("Prefer", f'outlook.timezone="{ANSWER_TIME_ZONE}"')
    return config


class EventCalls:
    """The three event requests, run through the adapter's paced and retried call."""

    def __init__(self, client: GraphServiceClient, call: CallGraph) -> None:
        self._client = client
        self._call = call

    async def create(self, mailbox: str, draft: EventDraft, transaction_id: str) -> GraphEvent:
        """POST /users/{mailbox}/events with the attendees and a transaction id (a retry makes no second event)."""
        body = _event(draft)
        body.transaction_id = transaction_id
        body.attendees = [
            Attendee(email_address=EmailAddress(address=address, name=name or None), type=AttendeeType.Required)
            for address, name in draft.attendees
        ]
        events = self._client.users.by_user_id(mailbox).events
        what = f"POST events of {mailbox}"
        return _answer(await self._call(lambda: events.post(body, _in_utc()), what, None), what)

    async def move(self, mailbox: str, event_id: str, start: datetime, end: datetime, time_zone: str) -> GraphEvent:
        """PATCH only start and end: never the body, which holds the Teams meeting's join information."""
        body = Event(start=graph_time(start, time_zone), end=graph_time(end, time_zone))
        item = self._client.users.by_user_id(mailbox).events.by_event_id(event_id)
        what = f"PATCH event of {mailbox}"
        return _answer(await self._call(lambda: item.patch(body, _in_utc()), what, None), what)

    async def cancel(self, mailbox: str, event_id: str, comment: str) -> None:
        """POST .../events/{id}/cancel: the organiser cancels and the attendees get the comment."""
        cancel = self._client.users.by_user_id(mailbox).events.by_event_id(event_id).cancel
        what = f"POST cancel of an event of {mailbox}"
        await self._call(lambda: cancel.post(CancelPostRequestBody(comment=comment)), what, None)
