"""Building the Graph client: the credential from the environment and the base URL rule."""

from __future__ import annotations

import pytest
from azure.identity.aio import ClientSecretCredential, ManagedIdentityCredential

from bot.graph.client import checked_base_url, credential_from_env
from bot.graph.errors import GraphError


@pytest.mark.asyncio
async def test_client_secret_is_chosen_when_given() -> None:
    """AZURE_CLIENT_SECRET with tenant and client id gives a ClientSecretCredential."""
    credential = credential_from_env({"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"})
    assert isinstance(credential, ClientSecretCredential)
    await credential.close()


@pytest.mark.asyncio
async def test_managed_identity_is_the_fallback() -> None:
    """Without a secret or certificate the managed identity is used."""
    credential = credential_from_env({})
    assert isinstance(credential, ManagedIdentityCredential)
    await credential.close()


def test_secret_without_tenant_is_refused() -> None:
    """A secret without AZURE_TENANT_ID fails at start-up, naming the variable."""
    with pytest.raises(GraphError, match="AZURE_TENANT_ID"):
        credential_from_env({"AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"})


@pytest.mark.parametrize("url", ["http://graph.example.com/v1.0", "ftp://127.0.0.1/v1.0"])
def test_plain_http_is_refused_except_for_localhost(url: str) -> None:
    """Graph must be reached over https; http only to this machine (the double)."""
    with pytest.raises(GraphError):
        checked_base_url(url)


def test_localhost_http_is_allowed() -> None:
    """The double's URL is accepted, its trailing slash dropped."""
    assert checked_base_url("http://127.0.0.1:8123/v1.0/") == "http://127.0.0.1:8123/v1.0"
