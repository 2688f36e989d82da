"""One Bot Connector client per service URL for inbound turns, instead of botbuilder's one per turn.

botbuilder's CloudAdapter asks its authentication for a connector factory on every request, and the
factory builds a new msrest `ConnectorClient` (and a user-token client) each time: under 32
concurrent card answers that construction took about 40% of the bot's CPU. The clients hold no
per-turn state (the credentials and the HTTP pipeline are per app and service URL), so this
authentication hands out shared ones. With authentication on, the service URL is bound to the
caller's token; in demo mode any sender can name one, so at most MAX_CLIENTS are kept. Proactive
calls keep their own clients (`bot/outbound/connector.py`), so closing an evicted one never breaks them.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

logger = logging.getLogger(__name__)

MAX_CLIENTS = 32  # Teams uses a handful of service URLs per region; the oldest unused client is closed beyond


class SharedClients:
    """The connector clients of this process by (app id, service URL, audience), least recently used first."""

    def __init__(self, max_clients: int = MAX_CLIENTS) -> None:
        self._max = max_clients
        self._clients: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()
        self._token_clients: dict[str, UserTokenClient] = {}

    async def connector(
        self, key: tuple[str, str, str], factory: ConnectorFactory, service_url: str, audience: str | None
    ) -> ConnectorClient:
        """The shared client for this key, made by `factory` the first time."""
        client = self._clients.get(key)
        if client is None:
            client = await factory.create(service_url, audience)
            self._clients[key] = client
            while len(self._clients) > self._max:
                _, evicted = self._clients.popitem(last=False)
                await _close(evicted)
        self._clients.move_to_end(key)
        return client

    def token_client(self, app_id: str) -> UserTokenClient | None:
        """The user-token client made earlier for this app id."""
        return self._token_clients.get(app_id)

    def keep_token_client(self, app_id: str, client: UserTokenClient) -> None:
        """Remember a user-token client for this app id."""
        self._token_clients[app_id] = client

    async def close(self) -> None:
        """Close every connector client's HTTP session (at shutdown)."""
        while self._clients:
            _, client = self._clients.popitem()
            await _close(client)
        self._token_clients.clear()

    def __len__(self) -> int:
        return len(self._clients)


class _SharedConnectorFactory(ConnectorFactory):
    """Hands out the shared client of a service URL, made by botbuilder's own factory the first time."""

    def __init__(self, inner: ConnectorFactory, clients: SharedClients, app_id: str) -> None:
        self._inner, self._clients, self._app_id = inner, clients, app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The shared client of this service URL and audience."""
        key = (self._app_id, service_url, audience or "")
        return await self._clients.connector(key, self._inner, service_url, audience)


class SharedClientsAuthentication(ConfigurationBotFrameworkAuthentication):
    """botbuilder's configuration-based authentication, with connector and token clients shared across turns."""

    def __init__(self, configuration: Any, clients: SharedClients) -> None:
        super().__init__(configuration)
        self.clients = clients

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Authenticate as botbuilder does; the result's factory gives shared clients."""
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            app_id = _app_id(result.claims_identity)
            result.connector_factory = _SharedConnectorFactory(result.connector_factory, self.clients, app_id)
        return result

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """The user-token client of the app (the bot never signs users in, but botbuilder makes one per turn)."""
        app_id = _app_id(claims_identity)
        client = self.clients.token_client(app_id)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self.clients.keep_token_client(app_id, client)
        return client


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    """The bot's app id as botbuilder reads it from the claims (audience, else app id; empty in demo mode)."""
    claims = getattr(claims_identity, "claims", None) or {}
    app_id = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM)
    return str(app_id or "")


async def _close(client: ConnectorClient) -> None:
    """Close a client's HTTP pipeline (it has no close(); its async context exit does it)."""
    try:
        await client.__aexit__(None, None, None)
    except Exception as error:  # noqa: BLE001 - a client that fails to close is dropped all the same
        logger.warning("could not close a connector client: %s", error)
