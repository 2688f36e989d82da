"""Outbound calls to the Bot Connector (proactive posts, replies, card updates), paced and retried.

The requests go through an aiohttp client of our own, not botbuilder's ConnectorClient. That one
sends with `requests` on the event loop's default thread pool (min(32, CPUs + 4) threads: six on
two CPUs), so in a fan-out most posts waited for a thread for seconds after their round was marked
"sending", and a crash then left rounds *onzeker* that had never left the process. Here each
request's body waits for its `WireGate`: the connection is open, the round is marked, then the
body is written at once. The connection pool bounds the requests in flight; a request waiting for a
connection has not been marked yet. botbuilder still decides the credentials (app type, tenant,
certificate or managed identity) through its connector factory; only the HTTP is ours.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import requests
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, Attachment, ConversationParameters
from msrest.serialization import Model
from yarl import URL

from bot.outbound.draining import Drain, WireGate
from bot.outbound.pacing import Pacer
from bot.outbound.retry import ConnectorError, ConnectorHttpError, RetryPolicy, call_with_retry
from observability.metrics import Metrics
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard

logger = logging.getLogger(__name__)

T = TypeVar("T")

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CONNECTOR_TIMEOUT_SECONDS = 30
MAX_CONNECTIONS = 50  # Teams allows 50 requests a second per tenant; more in flight would only queue
TOKEN_REUSE_SECONDS = 120  # botbuilder's MSAL cache hands out tokens valid for minutes more; ask it again soon


def card_activity(card: dict[str, Any], summary: str = "") -> Activity:
    """A message activity carrying one Adaptive Card."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary or None,
        attachments=[Attachment(content_type=ADAPTIVE_CARD, content=card)],
    )


def text_activity(text: str) -> Activity:
    """A message activity with Markdown text."""
    return Activity(type=ActivityTypes.message, text=text, text_format="markdown")


class Connector:
    """The Bot Connector over one aiohttp session, shared by every proactive call of the process."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        pacer: Pacer,
        policy: RetryPolicy,
        timeout: float = CONNECTOR_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        metrics: Metrics | None = None,
    ) -> None:
        self._adapter = adapter
        self._metrics = metrics or Metrics()
        self._timeout = timeout
        self._app_id = app_id
        self._pacer = pacer
        self._policy = policy
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._authorization: dict[str, tuple[str | None, float]] = {}  # service URL -> (header, valid until)
        self.drain = Drain()

    async def create_thread(self, target: ChannelTarget, activity: Activity, guard: SendGuard | None = None) -> Posted:
        """Post `activity` as a new thread at the root of a channel.

        A POST is never repeated after a timeout or a dropped connection (Teams may have taken it):
        that raises OutcomeUnknown. `guard` marks the round just before the request's body is written
        and hears when an attempt was refused.
        """
        parameters = ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": target.channel_id}, "tenant": {"id": target.tenant_id}},
            activity=activity,
            tenant_id=target.tenant_id,
        )
        response = await self._call(
            "thread",
            target.channel_id,
            lambda gate: self._request("POST", target.service_url, "v3/conversations", parameters, gate),
            f"post in channel {target.channel_id}",
            idempotent=False,
            guard=guard,
            drain=self.drain,
        )
        conversation_id = str(response.get("id") or "")
        message_id = str(response.get("activityId") or conversation_id.partition(";messageid=")[2])
        return Posted(conversation_id=conversation_id, message_id=message_id)

    async def send(self, service_url: str, conversation_id: str, activity: Activity) -> str | None:
        """Send a message into a conversation or thread; the new activity's id (never repeated after a timeout)."""
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        response = await self._call(
            "message",
            conversation_id,
            lambda gate: self._request("POST", service_url, path, activity, gate),
            f"send to {conversation_id}",
            idempotent=False,
            drain=self.drain,
        )
        activity_id = response.get("id")
        return str(activity_id) if activity_id else None

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: Activity) -> None:
        """Replace a message the bot posted earlier (for a card: every viewer's base view)."""
        activity.id = activity_id
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        await self._call(
            "update",
            conversation_id,
            lambda gate: self._request("PUT", service_url, path, activity, gate),
            f"update {activity_id}",
            drain=self.drain,
        )

    def stop(self) -> None:
        """No new request starts from now on (see `Drain`)."""
        self.drain.stop()

    async def close(self) -> None:
        """Close the HTTP session (requests still on the wire are cut off)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(self, method: str, service_url: str, path: str, body: Model, gate: WireGate) -> dict[str, Any]:
        """One HTTP request whose body is written only once `gate` opened; the answer's JSON."""
        data = json.dumps(serializer_helper(body), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Content-Length": str(len(data))}
        authorization = await self._header(service_url)
        if authorization:
            headers["Authorization"] = authorization

        async def body_when_the_gate_opens() -> AsyncIterator[bytes]:
            # aiohttp calls this once the connection is open; the headers wait in its buffer and
            # leave together with these bytes, so nothing at all reaches Teams before the gate opens.
            await gate.open()
            yield data

        url = URL(service_url.rstrip("/") + "/" + path, encoded=True)
        session = self._client()
        async with session.request(method, url, data=body_when_the_gate_opens(), headers=headers) as response:
            text = await response.text()
            if response.status >= 400:
                if response.status == 401:
                    self._authorization.pop(service_url, None)  # a fresh token next time
                raise ConnectorHttpError(response.status, response.headers.get("Retry-After"), text)
        answer = json.loads(text) if text.strip() else {}
        return answer if isinstance(answer, dict) else {}

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            )
        return self._session

    async def _header(self, service_url: str) -> str | None:
        """The Authorization header for the service URL (None without an app id: no token, as in the demo)."""
        cached = self._authorization.get(service_url)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        claims = self._adapter.create_claims_identity(self._app_id)
        factory = self._adapter.bot_framework_authentication.create_connector_factory(claims)
        credentials = (await factory.create(service_url, None)).config.credentials
        session = requests.Session()
        try:
            # botbuilder's credentials fetch the token with blocking MSAL calls: off the event loop.
            signed = await asyncio.to_thread(credentials.signed_session, session)
            header = signed.headers.get("Authorization")
        finally:
            session.close()
        value = str(header) if header else None
        self._authorization[service_url] = (value, time.monotonic() + TOKEN_REUSE_SECONDS)
        return value

    async def _call(
        self, kind: str, conversation: str, operation: Callable[[WireGate], Awaitable[T]], what: str, **options: Any
    ) -> T:
        """One call paced and retried (see `call_with_retry`), counted by kind: sent, throttled, failed."""
        try:
            result = await call_with_retry(
                self._pacer,
                conversation,
                operation,
                self._policy,
                what,
                on_throttled=lambda: self._metrics.post_throttled(kind),
                **options,
            )
        except ConnectorError:
            self._metrics.post(kind, sent=False)
            raise
        self._metrics.post(kind, sent=True)
        return result
