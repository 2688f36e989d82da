"""User lookups through Graph `$batch`, 20 a batch, retrying the items that came back 429, with a cache.

msgraph-core's `BatchRequestContent` builds the batch, and `BatchRequestBuilder.to_post_request_information`
the request. Two of its flaws are worked around here: its items carry the absolute URL, which Graph
refuses ("Invalid batch payload format"; items need a URL relative to the version), and
`BatchResponseContent` drops JSON item bodies (`get_bytes_value` reads only base64 strings). So the
item URLs are made relative, and the answer is read as bytes and each item's body parsed with kiota's
JSON parse node into msgraph's `User` model.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_serialization_json.json_parse_node import JsonParseNode
from msgraph.generated.models.user import User
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core.requests.batch_request_builder import BatchRequestBuilder
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

from bot.graph.errors import GraphError, GraphForbidden, GraphThrottled, GraphUnavailable
from bot.graph.model import GraphUser
from bot.graph.retry import RETRY_STATUSES, retry_after_seconds

logger = logging.getLogger(__name__)

T = TypeVar("T")
BATCH_SIZE = BatchRequestContent.MAX_REQUESTS  # 20, Graph's limit
USER_FIELDS = ["id", "displayName", "mail", "userPrincipalName", "userType"]


class CallGraph(Protocol):
    """How the adapter runs one whole request: paced, retried, errors named."""

    def __call__(
        self, operation: Callable[[], Awaitable[T | None]], what: str, team_id: str | None, *, messages: bool = False
    ) -> Awaitable[T | None]: ...


@dataclass(frozen=True)
class _Item:
    """One batch item's answer."""

    status: int
    headers: Mapping[str, Any]
    body: Any


class UserDirectory:
    """Looks users up by id in batches and remembers them for `ttl` seconds (unknown ids too)."""

    def __init__(
        self,
        client: GraphServiceClient,
        call: CallGraph,
        *,
        ttl: float = 3600.0,
        attempts: int = 6,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._call = call
        self._ttl = ttl
        self._attempts = attempts
        self._clock = clock
        self._sleep = sleep
        self._cache: dict[str, tuple[float, GraphUser | None]] = {}
        self._lock = asyncio.Lock()  # one lookup at a time, so concurrent harvests do not ask for the same users

    async def lookup(self, user_ids: Iterable[str]) -> Mapping[str, GraphUser]:
        """The users found among these ids; ids Graph does not know are left out."""
        wanted = list(dict.fromkeys(i for i in user_ids if i))
        if self._missing(wanted):
            async with self._lock:
                missing = self._missing(wanted)
                for start in range(0, len(missing), BATCH_SIZE):
                    for user_id, user in (await self._batch(missing[start : start + BATCH_SIZE])).items():
                        self._cache[user_id] = (self._clock() + self._ttl, user)
        return {i: user for i in wanted if (user := self._cache.get(i, (0.0, None))[1]) is not None}

    def _missing(self, user_ids: list[str]) -> list[str]:
        now = self._clock()
        return [i for i in user_ids if i not in self._cache or self._cache[i][0] < now]

    async def _batch(self, user_ids: list[str]) -> dict[str, GraphUser | None]:
        """Look up at most 20 users; items answered 429/5xx are sent again after their Retry-After."""
        found: dict[str, GraphUser | None] = {}
        pending = list(user_ids)
        for attempt in range(self._attempts):
            answers = await self._send(pending)
            retry: list[str] = []
            waits: list[float] = []
            for user_id in pending:
                item = answers.get(user_id)
                if item is None or item.status in RETRY_STATUSES:
                    retry.append(user_id)
                    advice = retry_after_seconds(item.headers) if item else None
                    waits.append(advice if advice is not None else min(30.0, 0.5 * 2**attempt))
                elif item.status == 200:
                    found[user_id] = _user(item.body)
                elif item.status == 404:
                    found[user_id] = None
                elif item.status in (401, 403):
                    raise GraphForbidden(f"GET users/{user_id} in $batch: Graph answered {item.status}", item.status)
                else:
                    raise GraphError(f"GET users/{user_id} in $batch: Graph answered {item.status}", item.status)
            if not retry:
                return found
            if attempt + 1 == self._attempts:
                break
            wait = max(waits)
            logger.info("$batch: %d of %d user lookups to retry in %.2f s", len(retry), len(pending), wait)
            await self._sleep(wait)
            pending = retry
        statuses = {answers[i].status if i in answers else None for i in pending}
        if statuses == {429}:
            raise GraphThrottled(f"$batch: {len(pending)} user lookups still throttled", max(waits))
        raise GraphUnavailable(f"$batch: {len(pending)} user lookups kept failing ({statuses})")

    async def _send(self, user_ids: list[str]) -> dict[str, _Item]:
        """POST one $batch of user lookups and read its answers by user id."""
        adapter = self._client.request_adapter
        base = adapter.base_url.rstrip("/")
        content = BatchRequestContent()
        query = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=USER_FIELDS)
        for user_id in user_ids:
            info = self._client.users.by_user_id(user_id).to_get_request_information(
                RequestConfiguration(query_parameters=query)
            )
            item = BatchRequestItem(info, id=user_id)
            item.url = item.url.removeprefix(base)  # Graph wants "/users/..." relative to the version
            content.add_request(user_id, item)
        request = await BatchRequestBuilder(adapter).to_post_request_information(content)

        async def post() -> bytes | None:
            raw: Any = await adapter.send_primitive_async(request, "bytes", {})  # kiota types this TypeVar loosely
            return raw if isinstance(raw, bytes) else None

        raw = await self._call(post, f"POST $batch of {len(user_ids)} users", None)
        try:
            envelope = json.loads(raw or b"{}")
            return {
                str(r["id"]): _Item(int(r["status"]), r.get("headers") or {}, r.get("body"))
                for r in envelope.get("responses", [])
            }
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise GraphError(f"$batch: unreadable answer ({e})") from e


def _user(body: Any) -> GraphUser:
    user = JsonParseNode(body).get_object_value(User)
    return GraphUser(str(user.id), user.display_name, user.mail, user.user_principal_name, user.user_type)
