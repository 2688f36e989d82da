"""Who is acting and which channels a team has, looked up through the Bot Connector."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from msrest.exceptions import ClientException

from rkk.answers import UNKNOWN_BESTUUR, bestuur_for
from rkk.model import Member

logger = logging.getLogger(__name__)

# What TeamsInfo raises when the roster cannot be read (no connector, not a Teams channel, HTTP error).
_LOOKUP_ERRORS = (ClientException, ValueError, KeyError, TypeError, AttributeError)


class TeamRoster(Protocol):
    """Tells who the acting member is and which channels a team has."""

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member with their bestuur."""
        ...

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """The team's channels as (id, name); empty when they cannot be read."""
        ...

    async def team_besturen(self, turn_context: TurnContext, team_id: str) -> set[str]:
        """The besturen of the team's members (known ones only); empty when the roster cannot be read."""
        ...


class TeamsRoster:
    """The roster through TeamsInfo; a member's bestuur comes from their mail domain."""

    def __init__(self, domains: Mapping[str, str]) -> None:
        self._domains = domains

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member; without a reachable roster, the bestuur is "onbekend"."""
        sender = turn_context.activity.from_property
        aad_id = getattr(sender, "aad_object_id", None) or sender.id
        name = sender.name or aad_id
        email = None
        try:
            account = await TeamsInfo.get_member(turn_context, sender.id)
        except _LOOKUP_ERRORS as error:
            logger.warning("member lookup for %s failed: %s", aad_id, error)
        else:
            aad_id = account.aad_object_id or aad_id
            name = account.name or name
            # A guest's email is their home address; their UPN (name_domain#EXT#@...) also works.
            email = account.email or account.user_principal_name
        return Member(aad_object_id=aad_id, name=name, email=email, bestuur=bestuur_for(email, self._domains))

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """The team's channels; General has no name in Teams' answer, so it is named here."""
        try:
            channels = await TeamsInfo.get_team_channels(turn_context, team_id)
        except _LOOKUP_ERRORS as error:
            logger.warning("could not list channels of %s: %s", team_id, error)
            return []
        return [(channel.id, channel.name or "General") for channel in channels if channel.id]

    async def team_besturen(self, turn_context: TurnContext, team_id: str) -> set[str]:
        """The besturen of the team's members, from their mail domains (unknown domains left out)."""
        try:
            accounts = await TeamsInfo.get_team_members(turn_context, team_id)
        except _LOOKUP_ERRORS as error:
            logger.warning("could not read the members of %s: %s", team_id, error)
            return set()
        besturen = {bestuur_for(a.email or a.user_principal_name, self._domains) for a in accounts}
        return besturen - {UNKNOWN_BESTUUR}
