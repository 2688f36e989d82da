"""Outbound calls to the Bot Connector (proactive posts, replies, card updates), paced and retried."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, Attachment, ConversationParameters
from botframework.connector.aio import ConnectorClient

from bot.outbound.pacing import Pacer
from bot.outbound.retry import ConnectorError, RetryPolicy, call_with_retry
from observability.metrics import Metrics
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard

logger = logging.getLogger(__name__)

T = TypeVar("T")

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CONNECTOR_TIMEOUT_SECONDS = 30


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
    """One Bot Connector client per service URL, shared by every proactive call."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        pacer: Pacer,
        policy: RetryPolicy,
        timeout: float = CONNECTOR_TIMEOUT_SECONDS,
        metrics: Metrics | None = None,
    ) -> None:
        self._adapter = adapter
        self._metrics = metrics or Metrics()
        self._timeout = timeout
        self._app_id = app_id
        self._pacer = pacer
        self._policy = policy
        self._clients: dict[str, ConnectorClient] = {}

    async def create_thread(self, target: ChannelTarget, activity: Activity, guard: SendGuard | None = None) -> Posted:
        """Post `activity` as a new thread at the root of a channel.

        A POST is never repeated after a timeout or a dropped connection (Teams may have taken it):
        that raises OutcomeUnknown. `guard` is told when each attempt starts and when it was refused.
        """
        parameters = ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": target.channel_id}, "tenant": {"id": target.tenant_id}},
            activity=activity,
            tenant_id=target.tenant_id,
        )
        client = await self._client(target.service_url)
        response = await self._call(
            "thread",
            target.channel_id,
            lambda: client.conversations.create_conversation(parameters),
            f"post in channel {target.channel_id}",
            idempotent=False,
            guard=guard,
        )
        conversation_id: str = response.id
        message_id = response.activity_id or conversation_id.partition(";messageid=")[2]
        return Posted(conversation_id=conversation_id, message_id=message_id)

    async def send(self, service_url: str, conversation_id: str, activity: Activity) -> str | None:
        """Send a message into a conversation or thread; the new activity's id (never repeated after a timeout)."""
        client = await self._client(service_url)
        response = await self._call(
            "message",
            conversation_id,
            lambda: client.conversations.send_to_conversation(conversation_id, activity),
            f"send to {conversation_id}",
            idempotent=False,
        )
        return getattr(response, "id", None)

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: Activity) -> None:
        """Replace a message the bot posted earlier (for a card: every viewer's base view)."""
        client = await self._client(service_url)
        activity.id = activity_id
        await self._call(
            "update",
            conversation_id,
            lambda: client.conversations.update_activity(conversation_id, activity_id, activity),
            f"update {activity_id}",
        )

    async def close(self) -> None:
        """Close every HTTP session the clients opened."""
        for client in self._clients.values():
            await client.__aexit__(None, None, None)  # closes its HTTP pipeline (it has no close())
        self._clients.clear()

    async def _call(
        self, kind: str, conversation: str, operation: Callable[[], Awaitable[T]], what: str, **options: Any
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

    async def _client(self, service_url: str) -> ConnectorClient:
        client = self._clients.get(service_url)
        if client is None:
            claims = self._adapter.create_claims_identity(self._app_id)
            factory = self._adapter.bot_framework_authentication.create_connector_factory(claims)
            client = await factory.create(service_url, None)
            client.config.connection.timeout = self._timeout
            self._clients[service_url] = client
        return client
