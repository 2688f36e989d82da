"""Where /metrics is served comes from the environment; nothing is public unless asked for."""

from __future__ import annotations

import pytest

from config.settings import SettingsError
from observability.web import MetricsAccess, metrics_access_from_env

TOKEN = "0123456789abcdef0123"


def test_without_settings_metrics_are_served_nowhere() -> None:
    """No token and no address: no listener and no route on the bot's port."""
    access = metrics_access_from_env({})
    assert access == MetricsAccess() and access.address is None and not access.on_bot_port


def test_a_token_serves_metrics_on_the_bots_port() -> None:
    """A token alone puts /metrics on the bot's port, behind that token."""
    assert metrics_access_from_env({"RKKBOT_METRICS_TOKEN": TOKEN}).on_bot_port


@pytest.mark.parametrize(("raw", "address"), [("127.0.0.1:9464", ("127.0.0.1", 9464)), ("[::1]:9100", ("::1", 9100))])
def test_an_address_gives_metrics_a_listener_of_their_own(raw: str, address: tuple[str, int]) -> None:
    """host:port (IPv6 in brackets) becomes the own listener's address, and the bot's port has no /metrics."""
    access = metrics_access_from_env({"RKKBOT_METRICS_ADDRESS": raw, "RKKBOT_METRICS_TOKEN": TOKEN})
    assert access.address == address and not access.on_bot_port


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RKKBOT_METRICS_ADDRESS", "9464"),
        ("RKKBOT_METRICS_ADDRESS", "localhost:http"),
        ("RKKBOT_METRICS_ADDRESS", "0.0.0.0:70000"),
        ("RKKBOT_METRICS_TOKEN", "short"),
    ],
)
def test_a_bad_metrics_setting_is_named(variable: str, value: str) -> None:
    """A malformed address or a guessable token is refused with the variable's name."""
    with pytest.raises(SettingsError, match=variable):
        metrics_access_from_env({variable: value})


def test_the_token_is_not_in_the_settings_repr() -> None:
    """Printing the settings does not print the token."""
    assert TOKEN not in repr(metrics_access_from_env({"RKKBOT_METRICS_TOKEN": TOKEN}))
