"""Settings from the environment, validated into one frozen object (secrets never printed)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

logger = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/rkkbot.db"
DEFAULT_CONFIG = "config/rkks.yaml"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")


class SettingsError(ValueError):
    """An environment variable has a value the bot cannot run with."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"environment variable {variable}: {message}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from the environment."""

    app_id: str
    app_password: str = field(repr=False)
    app_type: str
    app_tenant_id: str
    database_url: str = field(repr=False)  # may hold a password
    config_path: Path
    graph_base_url: str
    pseudonym_secret: str = field(default="", repr=False)  # keys erased members' pseudonyms; empty: per install
    commands_per_minute: int = 10  # typed commands a member may send a minute

    @property
    def authenticated(self) -> bool:
        """Whether inbound requests must carry a Bot Framework token (an app id is set)."""
        return bool(self.app_id)


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Read and check the environment; raise SettingsError naming the variable at fault."""
    app_id = env.get("MicrosoftAppId", "").strip()
    app_password = env.get("MicrosoftAppPassword", "")
    app_type = env.get("MicrosoftAppType", "").strip() or "MultiTenant"
    tenant = env.get("MicrosoftAppTenantId", "").strip()
    if app_type not in APP_TYPES:
        raise SettingsError("MicrosoftAppType", f"must be one of {', '.join(APP_TYPES)}, not {app_type!r}")
    if app_id and app_type != "UserAssignedMSI" and not app_password:
        raise SettingsError("MicrosoftAppPassword", "is required when MicrosoftAppId is set")
    if app_type in ("SingleTenant", "UserAssignedMSI") and app_id and not tenant:
        raise SettingsError("MicrosoftAppTenantId", f"is required for MicrosoftAppType={app_type}")
    return Settings(
        app_id=app_id,
        app_password=app_password,
        app_type=app_type,
        app_tenant_id=tenant,
        database_url=_database_url(env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL),
        config_path=Path(env.get("RKKBOT_CONFIG", "").strip() or DEFAULT_CONFIG),
        graph_base_url=_graph_url(env.get("GRAPH_BASE_URL", "").strip() or DEFAULT_GRAPH_BASE_URL),
        pseudonym_secret=_pseudonym_secret(env.get("RKKBOT_PSEUDONYM_SECRET", "")),
        commands_per_minute=_commands_per_minute(env.get("RKKBOT_COMMANDS_PER_MINUTE", "").strip()),
    )


def _commands_per_minute(value: str) -> int:
    """A whole number of at least 1 (default 10)."""
    if not value:
        return 10
    if not value.isdigit() or int(value) < 1:
        raise SettingsError("RKKBOT_COMMANDS_PER_MINUTE", f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _pseudonym_secret(value: str) -> str:
    """Empty (the install makes its own), or a key long enough that pseudonyms cannot be guessed back."""
    if value and len(value) < 32:
        raise SettingsError("RKKBOT_PSEUDONYM_SECRET", "must be at least 32 characters (or unset)")
    return value


def _database_url(url: str) -> str:
    """Accept the async SQLite and PostgreSQL drivers; name the right one for a plain URL."""
    scheme = url.split("://", 1)[0]
    if scheme in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        return url
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2", "sqlite"):
        wanted = "sqlite+aiosqlite" if scheme == "sqlite" else "postgresql+asyncpg"
        raise SettingsError("DATABASE_URL", f"use the async driver: start the URL with {wanted}://")
    raise SettingsError("DATABASE_URL", "must start with sqlite+aiosqlite:// or postgresql+asyncpg://")


def _graph_url(url: str) -> str:
    """Graph over https, or http to this machine only (the Graph double in tests)."""
    parsed = urlparse(url)
    local = parsed.hostname in ("localhost", "127.0.0.1", "::1")
    if parsed.scheme == "https" or (parsed.scheme == "http" and local):
        return url.rstrip("/")
    raise SettingsError("GRAPH_BASE_URL", "must be an https URL (http only for localhost)")
