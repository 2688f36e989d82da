"""State of the Graph double: what tests seed (teams, users, replies), the faults they ask for, what was asked."""

from __future__ import annotations

import logging
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.doubles.graph_calendar import CalendarState

logger = logging.getLogger(__name__)

APP_CATALOG_BIND = "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/"
BOT_APP_ID = "00000000-0000-0000-0000-00000000b07"  # the bot's Entra app id, as Graph shows it in `from.application`


@dataclass
class Fault:
    """One answer the double gives instead of the real one, to requests whose path and query contain `match`."""

    status: int
    match: str = ""
    retry_after: float | None = None
    times: int = 1
    skip: int = 0  # let this many matching requests through first
    delay: float = 0.0  # seconds to wait before answering (a slow answer; the status is then ignored if 0)

    def headers(self) -> dict[str, str]:
        """Headers of the faulty answer."""
        if self.retry_after is None:
            return {}
        return {"Retry-After": _retry_after_text(self.retry_after)}


@dataclass
class TokenBucket:
    """Graph-like rate limit: `rate` requests a second with a burst of one second's worth."""

    rate: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self) -> float:
        """0 when a request may pass (and counts it); else the seconds until one may."""
        now = self.clock()
        if self.tokens < 0:
            self.tokens, self.stamp = self.rate, now
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass(frozen=True)
class TeamsLimits:
    """The documented Microsoft Teams limits for reading channel messages (Graph throttling limits page).

    "GET channel message: 20 rps per app per tenant" and "a maximum of 4 requests per second per app
    can be issued on a given team or channel".
    """

    messages_per_tenant: float = 20.0
    per_team: float = 4.0


@dataclass
class GraphState:
    """Everything the double knows; tests seed it with the helpers and assert on it afterwards."""

    tenant_id: str = "tenant-victor"
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # team id -> channel id -> channel
    members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # team id -> conversation members
    installed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # team id -> installations
    catalog: dict[str, dict[str, Any]] = field(default_factory=dict)  # teams app id -> app (with its RSC needs)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    replies: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    tokens: set[str] | None = None  # None: any non-empty bearer token is accepted
    faults: list[Fault] = field(default_factory=list)
    batch_item_faults: dict[str, list[Fault]] = field(default_factory=dict)  # item url contains key -> faults
    throttle_ratio: float = 0.0  # share of requests answered 429 at random
    throttle_retry_after: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(4))
    limits: TeamsLimits | None = None  # enforce the Teams channel-message limits when set
    members_page_size: int = 100
    default_replies_top: int = 20
    requests: Counter[str] = field(default_factory=Counter)  # route name -> requests received (batch items too)
    statuses: Counter[int] = field(default_factory=Counter)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path?query, status)
    clock: Callable[[], float] = time.monotonic
    calendar: CalendarState = field(default_factory=CalendarState)  # mailboxes' events and the access policy
    _buckets: dict[str, TokenBucket] = field(default_factory=dict)

    # --- seeding -------------------------------------------------------------------------------

    def add_team(self, team_id: str, name: str, general_id: str | None = None) -> dict[str, Any]:
        """A team with its General channel (whose id Teams derives from the team's thread)."""
        team = {
            "id": team_id,
            "displayName": name,
            "description": f"Team {name}",
            "visibility": "private",
            "isArchived": False,
            "internalId": general_id or f"19:{team_id[:8]}-general@thread.tacv2",
            "webUrl": f"https://teams.microsoft.com/l/team/{team_id}",
        }
        self.teams[team_id] = team
        self.channels[team_id] = {}
        self.members[team_id] = []
        self.installed[team_id] = []
        self.add_channel(team_id, str(team["internalId"]), "General")
        return team

    def add_channel(self, team_id: str, channel_id: str, name: str, membership: str = "standard") -> dict[str, Any]:
        """A channel: membership "standard", "private" or "shared"."""
        channel = {
            "id": channel_id,
            "createdDateTime": "2026-01-05T08:00:00Z",
            "displayName": name,
            "description": None,
            "isFavoriteByDefault": None,
            "email": "",
            "tenantId": self.tenant_id,
            "webUrl": f"https://teams.microsoft.com/l/channel/{channel_id}",
            "membershipType": membership,
        }
        self.channels[team_id][channel_id] = channel
        return channel

    def add_user(
        self, user_id: str, name: str, mail: str | None, *, guest_of: str | None = None, upn: str | None = None
    ) -> dict[str, Any]:
        """A member of the tenant, or a guest (`guest_of` the home tenant's domain) with an #EXT# UPN."""
        if guest_of is not None and mail is not None:
            local, domain = mail.split("@", 1)
            upn = upn or f"{local}_{domain}#EXT#@{guest_of}"
        user = {
            "id": user_id,
            "displayName": name,
            "mail": mail,
            "userPrincipalName": upn or mail or f"{user_id}@victor.onmicrosoft.com",
            "userType": "Guest" if guest_of is not None else "Member",
        }
        self.users[user_id] = user
        return user

    def add_member(self, team_id: str, user_id: str, *, owner: bool = False) -> dict[str, Any]:
        """A conversation member of the team (the user must exist)."""
        user = self.users[user_id]
        member = {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "id": f"MCMjMiMj{team_id}##{user_id}",
            "roles": ["owner"] if owner else ([] if user["userType"] == "Member" else ["guest"]),
            "displayName": user["displayName"],
            "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
            "userId": user_id,
            "email": user["mail"],
            "tenantId": self.tenant_id,
        }
        self.members[team_id].append(member)
        return member

    def add_catalog_app(self, app_id: str, name: str, rsc: tuple[str, ...] = ()) -> dict[str, Any]:
        """An app in the tenant's catalog; `rsc` lists the application RSC permissions its manifest asks for."""
        app = {"id": app_id, "externalId": f"manifest-{app_id}", "displayName": name, "rsc": list(rsc)}
        self.catalog[app_id] = app
        return app

    def install(self, team_id: str, app_id: str, consented: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Record the app as installed in the team (what a successful POST does)."""
        app = self.catalog[app_id]
        installation = {
            "id": f"{team_id}##{app_id}",
            "consentedPermissionSet": {"resourceSpecificPermissions": consented or []},
            "teamsApp": {
                "id": app_id,
                "externalId": app["externalId"],
                "displayName": app["displayName"],
                "distributionMethod": "organization",
            },
            "teamsAppDefinition": {
                "id": f"{app_id}##1.0.0",
                "teamsAppId": app_id,
                "displayName": app["displayName"],
                "version": "1.0.0",
            },
        }
        self.installed[team_id].append(installation)
        return installation

    def add_reply(
        self,
        where: tuple[str, str, str],
        reply_id: str,
        *,
        user_id: str | None = None,
        html: str | None = None,
        text: str | None = None,
        created: datetime | None = None,
        application: bool = False,
        system: bool = False,
    ) -> dict[str, Any]:
        """A reply under (team, channel, root message): by a user, by the bot (`application`) or a system event."""
        team_id, channel_id, root_id = where
        moment = created or datetime(2026, 11, 23, 10, 0, tzinfo=UTC) + timedelta(
            seconds=len(self.replies.get(where, []))
        )
        sender: dict[str, Any] | None
        if system:
            sender = None
        elif application:
            sender = {
                "application": {
                    "@odata.type": "#microsoft.graph.teamworkApplicationIdentity",
                    "id": BOT_APP_ID,
                    "displayName": "RKK bot",
                    "applicationIdentityType": "bot",
                },
                "device": None,
                "user": None,
            }
        else:
            user = self.users[user_id or ""]
            sender = {
                "application": None,
                "device": None,
                "user": {
                    "@odata.type": "#microsoft.graph.teamworkUserIdentity",
                    "id": user["id"],
                    "displayName": user["displayName"],
                    "userIdentityType": "aadUser",
                    "tenantId": self.tenant_id,
                },
            }
        if system:
            body = {"contentType": "html", "content": "<systemEventMessage/>"}
        elif html is not None:
            body = {"contentType": "html", "content": html}
        else:
            body = {"contentType": "text", "content": text or ""}
        stamp = _iso(moment)
        reply = {
            "id": reply_id,
            "replyToId": root_id,
            "etag": reply_id,
            "messageType": "systemEventMessage" if system else "message",
            "createdDateTime": stamp,
            "lastModifiedDateTime": stamp,
            "lastEditedDateTime": None,
            "deletedDateTime": None,
            "subject": None,
            "summary": None,
            "chatId": None,
            "importance": "normal",
            "locale": "en-us",
            "webUrl": f"https://teams.microsoft.com/l/message/{channel_id}/{reply_id}",
            "policyViolation": None,
            "eventDetail": {"@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"} if system else None,
            "from": sender,
            "body": body,
            "channelIdentity": {"teamId": team_id, "channelId": channel_id},
            "attachments": [],
            "mentions": [],
            "reactions": [],
        }
        self.replies.setdefault(where, []).append(reply)
        return reply

    def edit_reply(self, where: tuple[str, str, str], reply_id: str, html: str, at: datetime) -> None:
        """The author edited the reply."""
        reply = self._reply(where, reply_id)
        reply["body"] = {"contentType": "html", "content": html}
        reply["lastModifiedDateTime"] = reply["lastEditedDateTime"] = _iso(at)

    def delete_reply(self, where: tuple[str, str, str], reply_id: str, at: datetime) -> None:
        """The author deleted the reply: Graph keeps listing it with `deletedDateTime` and an empty body."""
        reply = self._reply(where, reply_id)
        reply["deletedDateTime"] = reply["lastModifiedDateTime"] = _iso(at)
        reply["body"] = {"contentType": "html", "content": ""}

    # --- faults --------------------------------------------------------------------------------

    def inject(
        self,
        status: int,
        match: str = "",
        *,
        retry_after: float | None = None,
        times: int = 1,
        skip: int = 0,
        delay: float = 0.0,
    ) -> Fault:
        """Answer the next matching requests with `status` (and `Retry-After` if given)."""
        fault = Fault(status, match, retry_after, times, skip, delay)
        self.faults.append(fault)
        return fault

    def fail_batch_item(
        self, url_contains: str, status: int = 429, *, retry_after: float | None = 1.0, times: int = 1
    ) -> None:
        """Answer the next `times` batch items whose url contains the text with `status`."""
        self.batch_item_faults.setdefault(url_contains, []).append(Fault(status, url_contains, retry_after, times))

    def take_fault(self, target: str) -> Fault | None:
        """The fault that applies to this request, if any (consumes one use)."""
        for fault in self.faults:
            if fault.times > 0 and fault.match in target:
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.times -= 1
                return fault
        if self.throttle_ratio and self.rng.random() < self.throttle_ratio:
            return Fault(429, target, self.throttle_retry_after)
        return None

    def take_batch_item_fault(self, url: str) -> Fault | None:
        """The fault for one batch item, if any (consumes one use)."""
        for key, faults in self.batch_item_faults.items():
            if key in url:
                for fault in faults:
                    if fault.times > 0:
                        fault.times -= 1
                        return fault
        return None

    def over_limit(self, team_id: str, messages: bool) -> float:
        """0 if the Teams limits let this request pass, else the seconds to wait."""
        if self.limits is None:
            return 0.0
        team = self._bucket(f"team:{team_id}", self.limits.per_team)
        waits = [team.take()]
        if messages:
            waits.append(self._bucket("tenant:messages", self.limits.messages_per_tenant).take())
        return max(waits)

    # --- inspection ----------------------------------------------------------------------------

    def replies_of(self, where: tuple[str, str, str]) -> list[dict[str, Any]]:
        """The replies the double holds under a root message."""
        return self.replies.get(where, [])

    def _reply(self, where: tuple[str, str, str], reply_id: str) -> dict[str, Any]:
        return next(r for r in self.replies[where] if r["id"] == reply_id)

    def _bucket(self, key: str, rate: float) -> TokenBucket:
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(rate, self.clock)
        return self._buckets[key]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _retry_after_text(seconds: float) -> str:
    """Graph sends whole seconds; fractions are allowed here so tests run fast."""
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


def seconds_to_retry(wait: float) -> float:
    """The Retry-After Graph would give for a wait: whole seconds, at least one."""
    return float(max(1, math.ceil(wait)))
