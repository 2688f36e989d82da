"""What the Graph adapter hands back: small frozen dataclasses, no msgraph-sdk types."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class MembershipType(enum.StrEnum):
    """A channel's membership type; bots can post in standard channels only (shared ones need extra care)."""

    STANDARD = "standard"
    PRIVATE = "private"
    SHARED = "shared"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class GraphTeam:
    """A team (its id is the Microsoft 365 group id)."""

    id: str
    display_name: str


@dataclass(frozen=True)
class GraphChannel:
    """A channel of a team."""

    id: str
    display_name: str
    membership: MembershipType


@dataclass(frozen=True)
class AppInstallation:
    """The app as installed in a team, with the RSC permissions consented at install."""

    installation_id: str
    teams_app_id: str
    version: str | None
    consented: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """A reply in a channel thread, as Graph lists it."""

    id: str
    reply_to_id: str | None
    message_type: str  # "message", "systemEventMessage", ...
    user_id: str | None  # set when a user wrote it
    user_name: str | None
    application_id: str | None  # set when an app or bot wrote it
    content_type: str  # "html" or "text"
    content: str
    created: datetime
    modified: datetime
    deleted: datetime | None

    @property
    def by_user(self) -> bool:
        """True for an ordinary message written by a person."""
        return self.message_type == "message" and self.user_id is not None and self.application_id is None


@dataclass(frozen=True)
class RepliesPage:
    """One page of replies and the link to the next one (None on the last page)."""

    replies: tuple[Reply, ...]
    next_link: str | None


@dataclass(frozen=True)
class GraphUser:
    """A user of the tenant or a guest; guests have userType "Guest" and a `..#EXT#@..` principal name."""

    id: str
    display_name: str | None
    mail: str | None
    user_principal_name: str | None
    user_type: str | None

    @property
    def address(self) -> str | None:
        """The address that tells the user's organisation: the mail, else the principal name."""
        return self.mail or self.user_principal_name


@dataclass(frozen=True)
class TeamMember:
    """A member of a team with their roles ("owner", "guest")."""

    user_id: str
    display_name: str | None
    email: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True)
class EventDraft:
    """A calendar event to create or change: what invitees get in Outlook and Teams."""

    subject: str
    body_html: str
    start: datetime  # aware
    end: datetime  # aware
    time_zone: str  # IANA name of the circles' time zone; sent as its Windows name when Graph knows it
    location: str
    online: bool  # a Teams meeting (isOnlineMeeting, teamsForBusiness)
    attendees: tuple[tuple[str, str], ...] = ()  # (address, name)


@dataclass(frozen=True)
class GraphEvent:
    """An event as Graph answered it (start and end in UTC, asked for with `Prefer: outlook.timezone`)."""

    id: str
    subject: str
    start: datetime | None
    end: datetime | None
    join_url: str | None  # onlineMeeting.joinUrl; None when the mailbox made no Teams meeting
    transaction_id: str | None
