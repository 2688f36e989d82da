"""The port through which the bot uses Microsoft Graph; `MsGraph` is the real adapter, tests use the double."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.graph.model import (
    AppInstallation,
    EventDraft,
    GraphChannel,
    GraphEvent,
    GraphTeam,
    GraphUser,
    RepliesPage,
    TeamMember,
)

RSC_CHANNEL_MESSAGES = "ChannelMessage.Read.Group"


class GraphPort(Protocol):
    """What the bot needs from Microsoft Graph. Every method raises `GraphError` subclasses only."""

    async def team(self, id_or_name: str) -> GraphTeam:
        """The team with this group id, else the one with this display name; GraphNotFound if none (or several)."""
        ...

    async def channels(self, team_id: str) -> Sequence[GraphChannel]:
        """Every channel of the team with its membership type."""
        ...

    async def installation(self, team_id: str, teams_app_id: str) -> AppInstallation | None:
        """The app's installation in the team, or None."""
        ...

    async def install(
        self, team_id: str, teams_app_id: str, rsc_permissions: Sequence[str] = (RSC_CHANNEL_MESSAGES,)
    ) -> bool:
        """Install the app in the team, consenting to its RSC permissions; False if it was installed already."""
        ...

    def reply_pages(
        self, team_id: str, channel_id: str, message_id: str, resume_from: str | None = None
    ) -> AsyncIterator[RepliesPage]:
        """The replies to a root message page by page; `resume_from` is a next link a previous run stopped at."""
        ...

    async def users(self, user_ids: Iterable[str]) -> Mapping[str, GraphUser]:
        """The users found among these ids (batched, cached); unknown ids are left out."""
        ...

    async def owners(self, team_id: str) -> Sequence[TeamMember]:
        """The team's owners."""
        ...

    async def create_event(self, mailbox: str, draft: EventDraft, transaction_id: str) -> GraphEvent:
        """Create an event (a Teams meeting when `draft.online`) in the mailbox and invite its attendees."""
        ...

    async def move_event(
        self, mailbox: str, event_id: str, start: datetime, end: datetime, time_zone: str
    ) -> GraphEvent:
        """Move an event to a new start and end; the attendees get an update."""
        ...

    async def cancel_event(self, mailbox: str, event_id: str, comment: str) -> None:
        """Cancel an event as its organiser; the attendees get the comment."""
        ...

    async def close(self) -> None:
        """Release the HTTP client."""
        ...
