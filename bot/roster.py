"""Who is acting and which channels a team has, looked up through the Bot Connector."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Protocol

from azure.core.exceptions import DeserializationError
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from msrest.exceptions import ClientException

from bot.member_cache import MemberCache
from rkk.answers import UNKNOWN_BESTUUR, bestuur_of
from rkk.model import Member

logger = logging.getLogger(__name__)

# What TeamsInfo raises when the roster cannot be read (no connector, not a Teams channel, HTTP error).
_LOOKUP_ERRORS = (ClientException, DeserializationError, ValueError, KeyError, TypeError, AttributeError)
CHANNELS_TIMEOUT_SECONDS = 10
MAX_NAME_CHARS = 300  # the width of the name columns; Teams display names are far shorter


class TeamRoster(Protocol):
    """Tells who the acting member is and which channels a team has."""

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member with their bestuur."""
        ...

    def forget(self, member_id: str) -> None:
        """Drop what is remembered of a member (after `verwijder mijn gegevens`)."""
        ...

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """The team's channels as (id, name); empty when they cannot be read."""
        ...

    async def team_besturen(self, turn_context: TurnContext, team_id: str) -> set[str]:
        """The besturen of the team's members (known ones only); empty when the roster cannot be read."""
        ...


class TeamsRoster:
    """The roster through TeamsInfo; a member's bestuur comes from their mail (or a guest UPN's home domain)."""

    def __init__(self, domains: Mapping[str, str], cache: MemberCache | None = None) -> None:
        self._domains = domains
        self._cache = cache if cache is not None else MemberCache()

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member, remembered for a day; without a reachable roster the bestuur is "onbekend"
        and nothing is remembered."""
        sender = turn_context.activity.from_property
        aad_id = getattr(sender, "aad_object_id", None) or sender.id
        cached = self._cache.get(aad_id)
        if cached is not None:
            return cached
        try:
            account = await TeamsInfo.get_member(turn_context, sender.id)
        except _LOOKUP_ERRORS as error:
            logger.warning("member lookup for %s failed: %s", aad_id, error)
            name = (sender.name or aad_id)[:MAX_NAME_CHARS]
            return Member(aad_object_id=aad_id, name=name, email=None, bestuur=UNKNOWN_BESTUUR)
        # The UPN and the mail are kept apart: coordinators are matched on the UPN, the bestuur is read
        # from the mail (a guest's is their home address; their UPN reads name_domain#EXT#@tenant).
        mail, upn = account.email or None, account.user_principal_name or None
        member = Member(
            aad_object_id=account.aad_object_id or aad_id,
            name=(account.name or sender.name or aad_id)[:MAX_NAME_CHARS],
            email=mail,
            bestuur=bestuur_of(mail, upn, self._domains),
            upn=upn,
        )
        self._cache.put(aad_id, member)
        return member

    def forget(self, member_id: str) -> None:
        """Drop what is remembered of a member (after `verwijder mijn gegevens`)."""
        self._cache.forget(member_id)

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """The team's channels; General has no name in Teams' answer, so it is named here.

        botbuilder's Teams client is synchronous (requests, 100 s timeout, retried): called as TeamsInfo
        does, it would stall every other turn while Teams answers, so it runs in a worker thread.
        """
        try:
            teams = await TeamsInfo.get_teams_connector_client(turn_context)
            teams.config.connection.timeout = CHANNELS_TIMEOUT_SECONDS
            found = await asyncio.to_thread(teams.teams.get_teams_channels, team_id)
            channels = found.conversations or []
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
        besturen = {bestuur_of(a.email, a.user_principal_name, self._domains) for a in accounts}
        return besturen - {UNKNOWN_BESTUUR}
