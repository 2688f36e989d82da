"""The Graph double's calendar: events in users' mailboxes, as Teams meetings, moved and cancelled.

As strict as Graph where the bot could go wrong: the mailbox must exist (404 ErrorInvalidUser) and be
inside the app's mailbox access policy (403 ErrorAccessDenied); `timeZone` must be a Windows name or one
of the IANA names Graph documents (Europe/Brussels is not among them: 400); a repeated `transactionId`
gives back the event created first; answers carry `onlineMeeting.joinUrl` and times in the zone of
`Prefer: outlook.timezone` (UTC without it); a PATCH that sends a body drops the Teams meeting, as Graph
warns it does when the meeting blob is lost; a cancelled event is gone (404 afterwards).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tests.doubles.graph_shapes import Answer, BadRequest, Call, error

if TYPE_CHECKING:
    from tests.doubles.graph_state import GraphState

POLICY_DENIED = "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings."
# Windows names the double converts (what the bot sends), and IANA names from Graph's dateTimeTimeZone page.
WINDOWS_ZONES = {
    "Romance Standard Time": "Europe/Paris",
    "W. Europe Standard Time": "Europe/Berlin",
    "GMT Standard Time": "Europe/London",
    "Pacific Standard Time": "America/Los_Angeles",
    "UTC": "UTC",
}
DOCUMENTED_IANA = frozenset({"Etc/GMT", "Europe/London", "Europe/Berlin", "Europe/Budapest", "Europe/Paris",
                             "Europe/Warsaw", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"})  # fmt: skip
_PREFER = re.compile(r'outlook\.timezone="([^"]+)"')


@dataclass
class CalendarState:
    """Events per mailbox (by user id), the access policy, and what was cancelled."""

    policy: set[str] | None = None  # user ids the app may reach; None: every mailbox (no policy)
    without_teams: set[str] = field(default_factory=set)  # mailboxes that cannot hold Teams meetings
    events: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # user id -> event id -> event
    transactions: dict[tuple[str, str], str] = field(default_factory=dict)  # (user id, transactionId) -> event id
    cancelled: list[tuple[str, str, str]] = field(default_factory=list)  # (user id, event id, comment)

    def all_events(self) -> list[dict[str, Any]]:
        """Every event that is not cancelled, in every mailbox."""
        return [event for mailbox in self.events.values() for event in mailbox.values()]


def create_event(state: GraphState, call: Call) -> Answer:
    user = _mailbox(state, call.params[0])
    if isinstance(user, Answer):
        return user
    body = _object(call.body)
    transaction = body.get("transactionId")
    if isinstance(transaction, str) and (user["id"], transaction) in state.calendar.transactions:
        existing = state.calendar.events[user["id"]][state.calendar.transactions[(user["id"], transaction)]]
        return Answer(201, _shown(call, user, existing))
    start, end = _moment(body.get("start"), "start"), _moment(body.get("end"), "end")
    if end <= start:
        return error(400, "ErrorInvalidRequest", "The end of the event must be after its start.")
    event_id = (
        "AAMkAD"
        + base64.urlsafe_b64encode(
            hashlib.sha1(f"{user['id']}{len(state.calendar.all_events())}{transaction}".encode()).digest()
        ).decode()[:22]
    )
    online = body.get("isOnlineMeeting") is True
    provider = body.get("onlineMeetingProvider", "unknown")
    if provider not in ("teamsForBusiness", "skypeForBusiness", "skypeForConsumer", "unknown"):
        raise BadRequest(f"Invalid onlineMeetingProvider: {provider}")
    event = {
        "id": event_id,
        "subject": _text(body, "subject"),
        "body": _body(body.get("body")),
        "start": start,
        "end": end,
        "originalStartTimeZone": body["start"]["timeZone"],
        "location": {"displayName": _location(body.get("location"))},
        "attendees": _attendees(body.get("attendees")),
        "isOnlineMeeting": online,
        "onlineMeetingProvider": provider if online else "unknown",
        "onlineMeeting": None,
        "transactionId": transaction if isinstance(transaction, str) else None,
        "allowNewTimeProposals": body.get("allowNewTimeProposals", True),
        "isCancelled": False,
    }
    if online and provider == "teamsForBusiness" and user["id"] not in state.calendar.without_teams:
        event["onlineMeeting"] = {
            "joinUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{event_id}%40thread.v2/0",
            "conferenceId": str(100000000 + len(state.calendar.all_events())),
            "tollNumber": "+32 2 000 00 00",
        }
    state.calendar.events.setdefault(user["id"], {})[event_id] = event
    if event["transactionId"]:
        state.calendar.transactions[(user["id"], event["transactionId"])] = event_id
    return Answer(201, _shown(call, user, event))


def update_event(state: GraphState, call: Call) -> Answer:
    found = _event(state, call)
    if isinstance(found, Answer):
        return found
    user, event = found
    body = _object(call.body)
    for name in ("start", "end"):
        if name in body:
            event[name] = _moment(body[name], name)
    if event["end"] <= event["start"]:
        return error(400, "ErrorInvalidRequest", "The end of the event must be after its start.")
    if "subject" in body:
        event["subject"] = _text(body, "subject")
    if "location" in body:
        event["location"] = {"displayName": _location(body["location"])}
    if "body" in body:  # Graph: a body without the meeting blob disables the online meeting
        event["body"] = _body(body["body"])
        event["onlineMeeting"] = None
    return Answer(200, _shown(call, user, event))


def cancel_event(state: GraphState, call: Call) -> Answer:
    found = _event(state, call)
    if isinstance(found, Answer):
        return found
    user, event = found
    body = call.body if isinstance(call.body, dict) else {}
    comment = body.get("comment", body.get("Comment", ""))
    if not isinstance(comment, str):
        raise BadRequest("comment must be a string")
    del state.calendar.events[user["id"]][event["id"]]  # moved to Deleted Items
    state.calendar.cancelled.append((user["id"], event["id"], comment))
    return Answer(202, None)


CalendarHandler = Callable[["GraphState", Call], Answer]
CALENDAR_ROUTES: list[tuple[str, re.Pattern[str], str, CalendarHandler]] = [
    ("POST", re.compile(r"/users/([^/]+)/events"), "createEvent", create_event),
    ("PATCH", re.compile(r"/users/([^/]+)/events/([^/]+)"), "updateEvent", update_event),
    ("POST", re.compile(r"/users/([^/]+)/events/([^/]+)/cancel"), "cancelEvent", cancel_event),
]


def _mailbox(state: GraphState, key: str) -> dict[str, Any] | Answer:
    user = state.users.get(key) or next(
        (u for u in state.users.values() if u["userPrincipalName"].lower() == key.lower()), None
    )
    if user is None:
        return error(404, "ErrorInvalidUser", f"The requested user '{key}' is invalid.")
    if state.calendar.policy is not None and user["id"] not in state.calendar.policy:
        return error(403, "ErrorAccessDenied", POLICY_DENIED)
    return user


def _event(state: GraphState, call: Call) -> tuple[dict[str, Any], dict[str, Any]] | Answer:
    user = _mailbox(state, call.params[0])
    if isinstance(user, Answer):
        return user
    event = state.calendar.events.get(user["id"], {}).get(call.params[1])
    if event is None:
        return error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
    return user, event


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("Empty Payload. JSON content expected.")
    return body


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    return value


def _zone(name: Any) -> ZoneInfo:
    if isinstance(name, str) and name in WINDOWS_ZONES:
        return ZoneInfo(WINDOWS_ZONES[name])
    if isinstance(name, str) and name in DOCUMENTED_IANA:
        return ZoneInfo(name)
    raise BadRequest(
        f"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'."
    )


def _moment(value: Any, name: str) -> datetime:
    """A dateTimeTimeZone as an aware UTC datetime; 400 when it is not one."""
    if not isinstance(value, dict) or not isinstance(value.get("dateTime"), str):
        raise BadRequest(f"{name} must be a dateTimeTimeZone")
    zone = _zone(value.get("timeZone"))
    try:
        local = datetime.fromisoformat(value["dateTime"].partition(".")[0])
    except ValueError as e:
        raise BadRequest(
            f"Cannot convert the literal '{value['dateTime']}' to the expected type 'Edm.DateTimeOffset'."
        ) from e
    if local.tzinfo is not None:
        raise BadRequest(f"{name}.dateTime must not carry an offset; the zone goes in timeZone")
    return local.replace(tzinfo=zone).astimezone(UTC)


def _body(value: Any) -> dict[str, str]:
    if value is None:
        return {"contentType": "html", "content": ""}
    if not isinstance(value, dict) or str(value.get("contentType", "")).lower() not in ("html", "text"):
        raise BadRequest("body must be an itemBody with contentType html or text")
    return {"contentType": str(value["contentType"]).lower(), "content": str(value.get("content", ""))}


def _location(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, dict) or not isinstance(value.get("displayName", ""), str):
        raise BadRequest("location must be a location with a displayName")
    return str(value.get("displayName", ""))


def _attendees(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRequest("attendees must be a list")
    out = []
    for item in value:
        address = item.get("emailAddress", {}).get("address") if isinstance(item, dict) else None
        kind = str(item.get("type", "required")).lower() if isinstance(item, dict) else ""
        if not isinstance(address, str) or "@" not in address or kind not in ("required", "optional", "resource"):
            raise BadRequest(f"Invalid attendee: {item}")
        name = item["emailAddress"].get("name") or address
        out.append({"type": kind, "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                    "emailAddress": {"name": name, "address": address}})  # fmt: skip
    return out


def _shown(call: Call, user: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """The event as Graph answers it: start and end in the zone `Prefer: outlook.timezone` asks for."""
    match = _PREFER.search(call.headers.get("prefer", ""))
    zone_name = match.group(1) if match else "UTC"
    zone = _zone(zone_name)
    shown = {key: value for key, value in event.items() if key not in ("start", "end")}
    for name in ("start", "end"):
        local = event[name].astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S") + ".0000000"
        shown[name] = {"dateTime": local, "timeZone": zone_name}
    return {
        "@odata.context": f"{call.base}/$metadata#users('{user['id']}')/events/$entity",
        "@odata.etag": 'W/"' + event["id"][-8:] + '"',
        "isOrganizer": True,
        "type": "singleInstance",
        "webLink": f"https://outlook.office365.com/owa/?itemid={event['id']}&exvsurl=1&path=/calendar/item",
        "organizer": {"emailAddress": {"name": user["displayName"], "address": user["mail"]}},
        **shown,
    }
