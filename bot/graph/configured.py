"""Whether this deployment uses Microsoft Graph at all, and its one adapter when it does."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.graph.adapter import MsGraph, graph_from_env

logger = logging.getLogger(__name__)

# azure-identity's variables; IDENTITY_ENDPOINT / MSI_ENDPOINT are set by Azure when a managed identity is on.
CREDENTIAL_VARIABLES = (
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "IDENTITY_ENDPOINT",
    "MSI_ENDPOINT",
)


def graph_configured(env: Mapping[str, str]) -> bool:
    """True when the environment names a Graph credential (without one, demo mode runs without Graph)."""
    return any(env.get(name, "").strip() for name in CREDENTIAL_VARIABLES)


def graph_if_configured(env: Mapping[str, str], base_url: str, **options: Any) -> MsGraph | None:
    """The app's Graph adapter, or None when no credential is configured (demo mode without Graph)."""
    return graph_from_env(env, base_url, **options) if graph_configured(env) else None
