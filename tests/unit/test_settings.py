"""Settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import (
    DEFAULT_CONFIG,
    DEFAULT_DATABASE_URL,
    DEFAULT_GRAPH_BASE_URL,
    SettingsError,
    settings_from_env,
)

SECRET = "s3cr3t-Pa55word~value"
APP = {"MicrosoftAppId": "11111111-2222-3333-4444-555555555555", "MicrosoftAppPassword": SECRET}


def test_empty_environment_gives_the_defaults() -> None:
    """Without variables the bot runs unauthenticated on local SQLite with config/rkks.yaml."""
    settings = settings_from_env({})
    assert (settings.app_id, settings.app_password, settings.app_type, settings.app_tenant_id) == (
        "",
        "",
        "MultiTenant",
        "",
    )
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.config_path == Path(DEFAULT_CONFIG)
    assert settings.graph_base_url == DEFAULT_GRAPH_BASE_URL
    assert not settings.authenticated


def test_blank_variables_count_as_unset() -> None:
    """Variables holding only spaces fall back to the defaults."""
    settings = settings_from_env(
        {"MicrosoftAppType": " ", "DATABASE_URL": "  ", "RKKBOT_CONFIG": "", "GRAPH_BASE_URL": " "}
    )
    assert (settings.app_type, settings.database_url, settings.config_path) == (
        "MultiTenant",
        DEFAULT_DATABASE_URL,
        Path(DEFAULT_CONFIG),
    )


def test_app_id_with_password_is_authenticated() -> None:
    """An app id and password turn inbound authentication on."""
    settings = settings_from_env(APP)
    assert settings.authenticated
    assert settings.app_password == SECRET


def test_config_path_comes_from_rkkbot_config() -> None:
    """RKKBOT_CONFIG points at the config file."""
    assert settings_from_env({"RKKBOT_CONFIG": "/etc/rkkbot/rkks.yaml"}).config_path == Path("/etc/rkkbot/rkks.yaml")


def test_invalid_app_type_is_refused_naming_the_variable() -> None:
    """An unknown MicrosoftAppType fails with the variable's name and the allowed values."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"MicrosoftAppType": "OneTenant"})
    assert caught.value.variable == "MicrosoftAppType"
    assert "MicrosoftAppType" in str(caught.value)
    assert "SingleTenant" in str(caught.value)


def test_app_id_without_password_is_refused() -> None:
    """An app id needs its password."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"MicrosoftAppId": APP["MicrosoftAppId"]})
    assert caught.value.variable == "MicrosoftAppPassword"


def test_managed_identity_needs_no_password() -> None:
    """With UserAssignedMSI the app id and tenant suffice."""
    env = {"MicrosoftAppId": APP["MicrosoftAppId"], "MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": "t"}
    assert settings_from_env(env).app_type == "UserAssignedMSI"


def test_single_tenant_without_tenant_is_refused() -> None:
    """A SingleTenant app must name its tenant."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({**APP, "MicrosoftAppType": "SingleTenant"})
    assert caught.value.variable == "MicrosoftAppTenantId"
    assert "SingleTenant" in str(caught.value)


def test_single_tenant_with_tenant_is_accepted() -> None:
    """A SingleTenant app with its tenant id is fine."""
    settings = settings_from_env({**APP, "MicrosoftAppType": "SingleTenant", "MicrosoftAppTenantId": "tenant-victor"})
    assert settings.app_tenant_id == "tenant-victor"


@pytest.mark.parametrize(
    "url", ["postgres://u:p@db/rkk", "postgresql://u:p@db/rkk", "postgresql+psycopg2://u:p@db/rkk"]
)
def test_sync_postgres_url_is_refused_with_a_hint_to_asyncpg(url: str) -> None:
    """A plain PostgreSQL URL fails and says to use postgresql+asyncpg://."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"DATABASE_URL": url})
    assert caught.value.variable == "DATABASE_URL"
    assert "postgresql+asyncpg://" in str(caught.value)


def test_sync_sqlite_url_is_refused_with_a_hint_to_aiosqlite() -> None:
    """A plain sqlite URL fails and says to use sqlite+aiosqlite://."""
    with pytest.raises(SettingsError, match=r"sqlite\+aiosqlite://"):
        settings_from_env({"DATABASE_URL": "sqlite:///data/rkkbot.db"})


def test_unknown_database_url_is_refused() -> None:
    """Other databases are refused, naming DATABASE_URL."""
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        settings_from_env({"DATABASE_URL": "mysql://u:p@db/rkk"})


def test_async_postgres_url_is_accepted() -> None:
    """postgresql+asyncpg:// is the PostgreSQL driver the bot uses."""
    url = "postgresql+asyncpg://rkk:pw@db:5432/rkk"
    assert settings_from_env({"DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize("url", ["http://localhost:8081/v1.0", "http://127.0.0.1:8081/v1.0", "http://[::1]:8081/v1.0"])
def test_graph_base_url_may_use_http_for_this_machine(url: str) -> None:
    """The Graph double on localhost may be reached over plain http."""
    assert settings_from_env({"GRAPH_BASE_URL": url}).graph_base_url == url


@pytest.mark.parametrize(
    "url", ["http://graph.microsoft.com/v1.0", "http://localhost.evil.example/v1.0", "ftp://localhost/", "graph"]
)
def test_graph_base_url_must_be_https_elsewhere(url: str) -> None:
    """Any other host needs https."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"GRAPH_BASE_URL": url})
    assert caught.value.variable == "GRAPH_BASE_URL"


def test_graph_base_url_loses_its_trailing_slash() -> None:
    """Paths are appended to the base URL, so a trailing slash is dropped."""
    assert (
        settings_from_env({"GRAPH_BASE_URL": "https://graph.example/v1.0/"}).graph_base_url
        == "https://graph.example/v1.0"
    )


def test_settings_repr_never_shows_the_password() -> None:
    """Logging or printing the settings does not leak the app password."""
    settings = settings_from_env(APP)
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)


def test_settings_repr_never_shows_the_database_password() -> None:
    """A password in DATABASE_URL is not printed either."""
    settings = settings_from_env({"DATABASE_URL": f"postgresql+asyncpg://rkk:{SECRET}@db/rkk"})
    assert SECRET not in repr(settings)


def test_settings_are_frozen() -> None:
    """Settings cannot be changed after start-up."""
    settings = settings_from_env({})
    with pytest.raises(AttributeError):
        settings.app_id = "other"


def test_commands_per_minute_must_be_a_whole_number() -> None:
    """RKKBOT_COMMANDS_PER_MINUTE defaults to 10 and refuses zero or text, naming the variable."""
    assert settings_from_env({}).commands_per_minute == 10
    assert settings_from_env({"RKKBOT_COMMANDS_PER_MINUTE": "30"}).commands_per_minute == 30
    with pytest.raises(SettingsError, match="RKKBOT_COMMANDS_PER_MINUTE"):
        settings_from_env({"RKKBOT_COMMANDS_PER_MINUTE": "0"})


def test_a_short_pseudonym_secret_is_refused() -> None:
    """RKKBOT_PSEUDONYM_SECRET, when set, must be long enough that pseudonyms cannot be guessed back."""
    with pytest.raises(SettingsError, match="RKKBOT_PSEUDONYM_SECRET"):
        settings_from_env({"RKKBOT_PSEUDONYM_SECRET": "kort"})
