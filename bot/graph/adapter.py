"""The real Graph adapter: msgraph-sdk's GraphServiceClient behind `GraphPort`, paced and retried."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.aad_user_conversation_member import AadUserConversationMember
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.teams_app_installation import TeamsAppInstallation
from msgraph.generated.models.teams_app_permission_set import TeamsAppPermissionSet
from msgraph.generated.models.teams_app_resource_specific_permission import TeamsAppResourceSpecificPermission
from msgraph.generated.models.teams_app_resource_specific_permission_type import (
    TeamsAppResourceSpecificPermissionType,
)
from msgraph.generated.teams.item.channels.item.messages.item.replies.replies_request_builder import (
    RepliesRequestBuilder,
)
from msgraph.generated.teams.item.installed_apps.installed_apps_request_builder import InstalledAppsRequestBuilder
from msgraph.generated.teams.item.members.members_request_builder import MembersRequestBuilder
from msgraph.generated.teams.teams_request_builder import TeamsRequestBuilder
from msgraph.graph_service_client import GraphServiceClient

from bot.graph.client import build_graph_client, build_http_client, credential_from_env
from bot.graph.errors import GraphConflict, GraphError, GraphNotFound, GraphThrottled
from bot.graph.events import EventCalls
from bot.graph.model import (
    AppInstallation,
    EventDraft,
    GraphChannel,
    GraphEvent,
    GraphTeam,
    GraphUser,
    MembershipType,
    RepliesPage,
    Reply,
    TeamMember,
)
from bot.graph.pacing import GraphLimits, RateLimiter
from bot.graph.port import RSC_CHANNEL_MESSAGES
from bot.graph.retry import RetryPolicy, call_with_retry
from bot.graph.users import UserDirectory
from observability.metrics import Metrics

logger = logging.getLogger(__name__)

T = TypeVar("T")
REPLIES_PAGE_SIZE = 50  # Graph's maximum $top for replies
CATALOG_BIND = "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/"
INSTALLATION_SELECT = ("id", "consentedPermissionSet")  # the structural properties `installation` reads
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ERRORS: dict[str, Any] = {"XXX": ODataError}  # as msgraph's generated builders map every error status


class MsGraph:
    """GraphPort over msgraph-sdk: every call paced to the Teams limits, retried, its errors named."""

    def __init__(
        self,
        client: GraphServiceClient,
        http_client: httpx.AsyncClient | None = None,
        credential: AsyncTokenCredential | None = None,
        *,
        limits: GraphLimits | None = None,
        retry: RetryPolicy | None = None,
        user_ttl: float = 3600.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._client = client
        self._metrics = metrics or Metrics()
        self._http = http_client
        self._credential = credential
        self.limiter = RateLimiter(limits)
        self.retry = retry or RetryPolicy()
        self._users = UserDirectory(client, self._call, ttl=user_ttl)
        self._events = EventCalls(client, self._call)

    # --- teams, channels, installation ------------------------------------------------------

    async def team(self, id_or_name: str) -> GraphTeam:
        """The team with this group id, else the one with this display name."""
        if _looks_like_guid(id_or_name):
            try:
                found = await self._call(
                    lambda: self._client.teams.by_team_id(id_or_name).get(), f"GET team {id_or_name}", id_or_name
                )
            except GraphNotFound:
                found = None
            if found is not None and found.id:
                return GraphTeam(found.id, found.display_name or "")
        escaped = id_or_name.replace("'", "''")
        query = TeamsRequestBuilder.TeamsRequestBuilderGetQueryParameters(filter=f"displayName eq '{escaped}'")
        config = RequestConfiguration(query_parameters=query)
        page = await self._call(lambda: self._client.teams.get(config), f"GET teams named {id_or_name!r}", None)
        teams = [t for t in (page.value if page and page.value else []) if t.id]
        if len(teams) != 1:
            raise GraphNotFound(f"{len(teams)} teams are named {id_or_name!r}", 404, "NotFound")
        return GraphTeam(str(teams[0].id), teams[0].display_name or "")

    async def channels(self, team_id: str) -> Sequence[GraphChannel]:
        """Every channel of the team with its membership type."""
        page = await self._call(
            lambda: self._client.teams.by_team_id(team_id).channels.get(), f"GET channels of {team_id}", team_id
        )
        result = []
        for channel in page.value if page and page.value else []:
            kind = str(channel.membership_type.value) if channel.membership_type else "standard"
            membership = MembershipType(kind) if kind in MembershipType._value2member_map_ else MembershipType.UNKNOWN
            result.append(GraphChannel(str(channel.id), channel.display_name or "", membership))
        return result

    async def installation(self, team_id: str, teams_app_id: str) -> AppInstallation | None:
        """The app's installation in the team with the RSC permissions consented at install, or None.

        Graph returns `consentedPermissionSet` only when `$select` names it ("List apps in team",
        example 4); `$expand` and `$filter` are as in its example 3, expanded properties come back
        beside the selected ones.
        """
        query = InstalledAppsRequestBuilder.InstalledAppsRequestBuilderGetQueryParameters(
            expand=["teamsApp", "teamsAppDefinition"],
            filter=f"teamsApp/id eq '{teams_app_id}'",
            select=list(INSTALLATION_SELECT),
        )
        config = RequestConfiguration(query_parameters=query)
        page = await self._call(
            lambda: self._client.teams.by_team_id(team_id).installed_apps.get(config),
            f"GET installedApps of {team_id}",
            team_id,
        )
        for item in page.value if page and page.value else []:
            definition = item.teams_app_definition
            if item.teams_app is not None and item.teams_app.id not in (None, teams_app_id):
                continue
            if definition is not None and definition.teams_app_id not in (None, teams_app_id):
                continue
            permissions = (
                item.consented_permission_set.resource_specific_permissions if item.consented_permission_set else None
            )
            consented = tuple(str(p.permission_value) for p in permissions or [] if p.permission_value)
            return AppInstallation(str(item.id), teams_app_id, definition.version if definition else None, consented)
        return None

    async def install(
        self, team_id: str, teams_app_id: str, rsc_permissions: Sequence[str] = (RSC_CHANNEL_MESSAGES,)
    ) -> bool:
        """Install the app in the team with its RSC permissions consented; False if it was there already."""
        if await self.installation(team_id, teams_app_id) is not None:
            return False
        body = TeamsAppInstallation(additional_data={"teamsApp@odata.bind": CATALOG_BIND + teams_app_id})
        if rsc_permissions:
            body.consented_permission_set = TeamsAppPermissionSet(
                resource_specific_permissions=[
                    TeamsAppResourceSpecificPermission(
                        permission_value=name, permission_type=TeamsAppResourceSpecificPermissionType.Application
                    )
                    for name in rsc_permissions
                ]
            )
        try:
            await self._call(
                lambda: self._client.teams.by_team_id(team_id).installed_apps.post(body),
                f"POST installedApps of {team_id}",
                team_id,
            )
        except GraphConflict:
            return False  # installed in the meantime (another replica, or a team owner)
        logger.info("installed app %s in team %s", teams_app_id, team_id)
        return True

    async def owners(self, team_id: str) -> Sequence[TeamMember]:
        """The team's owners (following every page)."""
        query = MembersRequestBuilder.MembersRequestBuilderGetQueryParameters(filter="roles/any(r:r eq 'owner')")
        config = RequestConfiguration(query_parameters=query)
        builder = self._client.teams.by_team_id(team_id).members
        page = await self._call(lambda: builder.get(config), f"GET owners of {team_id}", team_id)
        owners: list[TeamMember] = []
        while page is not None:
            for member in page.value or []:
                if isinstance(member, AadUserConversationMember) and member.user_id:
                    owners.append(
                        TeamMember(member.user_id, member.display_name, member.email, tuple(member.roles or ()))
                    )
            link = page.odata_next_link
            if not link:
                break
            page = await self._call(builder.with_url(link).get, f"GET owners of {team_id} (next)", team_id)
        return owners

    # --- replies -------------------------------------------------------------------------------

    async def reply_pages(
        self, team_id: str, channel_id: str, message_id: str, resume_from: str | None = None
    ) -> AsyncIterator[RepliesPage]:
        """The replies to a root message, 50 a page, following @odata.nextLink (through `with_url`)."""
        builder = (
            self._client.teams.by_team_id(team_id)
            .channels.by_channel_id(channel_id)
            .messages.by_chat_message_id(message_id)
            .replies
        )
        what = f"GET replies of {message_id}"
        link = resume_from
        while True:
            page = await self._call(partial(self._get_json, builder, link), what, team_id, messages=True)
            page = page or {}
            replies = tuple(_reply(m) for m in page.get("value", []) if isinstance(m, dict))
            link = page.get("@odata.nextLink") or None
            yield RepliesPage(replies, link)
            if not link:
                return

    async def _get_json(self, builder: RepliesRequestBuilder, link: str | None) -> dict[str, Any]:
        """One page of replies as JSON: the first with $top=50, the next ones through `with_url(next_link)`.

        The request is built and sent by msgraph-sdk (its URL templates, auth and middleware), but the body
        is read with `json` instead of msgraph's models: their deserialisation costs about 8 ms a message
        (`Entity.get_field_deserializers` runs hundreds of imports on every call), which would block the
        event loop for ~0.4 s on every page of 50 replies.
        """
        if link is None:
            query = RepliesRequestBuilder.RepliesRequestBuilderGetQueryParameters(top=REPLIES_PAGE_SIZE)
            request = builder.to_get_request_information(RequestConfiguration(query_parameters=query))
        else:
            request = builder.with_url(link).to_get_request_information()
        raw: Any = await self._client.request_adapter.send_primitive_async(request, "bytes", _ERRORS)
        try:
            page = json.loads(raw or b"{}")
        except ValueError as e:
            raise GraphError(f"replies page is not JSON ({e})") from e
        return page if isinstance(page, dict) else {}

    # --- users ---------------------------------------------------------------------------------

    async def users(self, user_ids: Iterable[str]) -> Mapping[str, GraphUser]:
        """The users found among these ids, through `$batch` 20 at a time, cached."""
        return await self._users.lookup(user_ids)

    # --- calendar events (kennismomenten) --------------------------------------------------------

    async def create_event(self, mailbox: str, draft: EventDraft, transaction_id: str) -> GraphEvent:
        """Create an event (a Teams meeting when `draft.online`) in the mailbox and invite its attendees."""
        return await self._events.create(mailbox, draft, transaction_id)

    async def move_event(
        self, mailbox: str, event_id: str, start: datetime, end: datetime, time_zone: str
    ) -> GraphEvent:
        """Move an event to a new start and end; the attendees get an update."""
        return await self._events.move(mailbox, event_id, start, end, time_zone)

    async def cancel_event(self, mailbox: str, event_id: str, comment: str) -> None:
        """Cancel an event as its organiser; the attendees get the comment."""
        await self._events.cancel(mailbox, event_id, comment)

    # --- plumbing ------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the HTTP client and the credential this adapter owns."""
        if self._http is not None:
            await self._http.aclose()
        if self._credential is not None:
            close = getattr(self._credential, "close", None)
            if close is not None:
                await close()

    async def _call(
        self, operation: Callable[[], Awaitable[T | None]], what: str, team_id: str | None, *, messages: bool = False
    ) -> T | None:
        """One Graph call, paced for its team, retried and counted."""

        def throttled(wait: float) -> None:
            self._metrics.graph_throttle()
            self.limiter.back_off(team_id, wait)

        try:
            result = await call_with_retry(
                operation,
                what,
                self.retry,
                before=lambda: self.limiter.acquire(team_id, messages=messages),
                on_throttled=throttled,
            )
        except GraphError as error:
            if isinstance(error, GraphThrottled):
                self._metrics.graph_throttle()  # the last 429, after which no retry was made
            self._metrics.graph_call(type(error).__name__)
            raise
        self._metrics.graph_call("ok")
        return result


def connect_graph(
    credential: AsyncTokenCredential,
    base_url: str,
    *,
    timeout: float = 30.0,
    owns_credential: bool = True,
    limits: GraphLimits | None = None,
    retry: RetryPolicy | None = None,
    metrics: Metrics | None = None,
) -> MsGraph:
    """An MsGraph on its own HTTP client; `close()` releases it (and the credential when it owns it)."""
    http_client = build_http_client(timeout)
    client = build_graph_client(credential, base_url, http_client)
    owned = credential if owns_credential else None
    return MsGraph(client, http_client, owned, limits=limits, retry=retry, metrics=metrics)


def graph_from_env(env: Mapping[str, str], base_url: str, **options: Any) -> MsGraph:
    """The app's one Graph adapter, its credential chosen from AZURE_* variables (see `credential_from_env`)."""
    return connect_graph(credential_from_env(env), base_url, **options)


def _reply(message: dict[str, Any]) -> Reply:
    """A reply from Graph's chatMessage JSON."""
    sender = message.get("from") or {}
    user = sender.get("user") or {}
    application = sender.get("application") or {}
    body = message.get("body") or {}
    created = _moment(message.get("createdDateTime")) or _EPOCH
    return Reply(
        id=str(message.get("id")),
        reply_to_id=message.get("replyToId"),
        message_type=str(message.get("messageType") or "message"),
        user_id=user.get("id"),
        user_name=user.get("displayName"),
        application_id=application.get("id"),
        content_type=str(body.get("contentType") or "text"),
        content=str(body.get("content") or ""),
        created=created,
        modified=_moment(message.get("lastModifiedDateTime")) or created,
        deleted=_moment(message.get("deletedDateTime")),
    )


def _moment(value: Any) -> datetime | None:
    """A Graph timestamp ("2026-11-23T10:00:00.123Z", up to 7 decimals) as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = "".join(ch for ch in rest if ch.isdigit())
        text = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _looks_like_guid(value: str) -> bool:
    parts = value.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(c in "0123456789abcdefABCDEF" for c in "".join(parts))


__all__ = ["GraphError", "MsGraph", "connect_graph", "graph_from_env"]
