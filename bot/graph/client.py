"""Building the msgraph-sdk client: a credential from the environment, a base URL, kiota's middleware."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import httpx
from azure.core.credentials import AccessToken
from azure.core.credentials_async import AsyncTokenCredential
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from kiota_http.middleware.options import RetryHandlerOption
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core import GraphClientFactory

from bot.graph.errors import GraphError

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://graph.microsoft.com/v1.0"
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class StaticTokenCredential:
    """An async credential that hands out one fixed token: for the Graph double and demo mode only."""

    def __init__(self, token: str = "double-token", lifetime: int = 3600) -> None:
        self._token = token
        self._lifetime = lifetime

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The fixed token, valid for `lifetime` seconds from now."""
        return AccessToken(self._token, int(time.time()) + self._lifetime)

    async def close(self) -> None:
        """Nothing to release."""

    async def __aenter__(self) -> StaticTokenCredential:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()


def credential_from_env(env: Mapping[str, str]) -> AsyncTokenCredential:
    """azure-identity's async credential: client secret, else certificate, else managed identity."""
    from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential

    tenant = env.get("AZURE_TENANT_ID", "").strip()
    client_id = env.get("AZURE_CLIENT_ID", "").strip()
    secret = env.get("AZURE_CLIENT_SECRET", "").strip()
    certificate = env.get("AZURE_CLIENT_CERTIFICATE_PATH", "").strip()
    if secret or certificate:
        missing = [name for name, value in (("AZURE_TENANT_ID", tenant), ("AZURE_CLIENT_ID", client_id)) if not value]
        if missing:
            raise GraphError(f"{', '.join(missing)} must be set with a client secret or certificate")
    if secret:
        return ClientSecretCredential(tenant, client_id, secret)
    if certificate:
        password = env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD") or None
        return CertificateCredential(tenant, client_id, certificate_path=certificate, password=password)
    # A user-assigned managed identity is named by its client id; a system-assigned one needs nothing.
    return ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()


def checked_base_url(url: str) -> str:
    """Graph's base URL without a trailing slash: https, or http to this machine only (the double)."""
    parsed = urlparse(url.strip())
    if parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in _LOCAL_HOSTS):
        return url.strip().rstrip("/")
    raise GraphError(f"GRAPH_BASE_URL must be an https URL (http only for localhost), not {url!r}")


def build_http_client(timeout: float = 30.0) -> httpx.AsyncClient:
    """An httpx client with msgraph's default middleware, its RetryHandler off (`retry.py` retries instead)."""
    client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))
    options: dict[str, Any] = {RetryHandlerOption.get_key(): RetryHandlerOption(max_retries=0, should_retry=False)}
    wrapped: httpx.AsyncClient = GraphClientFactory.create_with_default_middleware(client=client, options=options)
    return wrapped


def build_graph_client(
    credential: AsyncTokenCredential, base_url: str = DEFAULT_BASE_URL, http_client: httpx.AsyncClient | None = None
) -> GraphServiceClient:
    """A GraphServiceClient on the given credential and base URL (the caller closes `http_client`)."""
    auth = AzureIdentityAuthenticationProvider(credential)
    adapter = GraphRequestAdapter(auth, client=http_client or build_http_client())
    adapter.base_url = checked_base_url(base_url)
    return GraphServiceClient(request_adapter=adapter)
