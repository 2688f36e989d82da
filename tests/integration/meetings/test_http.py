"""Kennismoment buttons over real HTTP: the invoke answer is serialised by the endpoint, never a 500."""

from __future__ import annotations

import json
from dataclasses import replace

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.handler import RkkBot
from bot.server import create_web_app
from i18n.catalog import Catalog
from tests.card_text import inputs_of
from tests.doubles.teams import FakePublisher, bot_deps, card_action
from tests.integration.crosspost.conftest import UMBRELLA_TEAM
from tests.integration.meetings.conftest import AN, GLOBAL, Kennis


class _Auth:
    APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "", "", "MultiTenant", ""


async def _invoke(kennis: Kennis, texts: Catalog, verb: str, who: object) -> tuple[int, dict[str, object]]:
    deps = replace(
        bot_deps(kennis.world.store, FakePublisher(), texts, lambda: kennis.world.now), meeting_actions=kennis.actions
    )
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_Auth()))
    server = TestServer(create_web_app(adapter, RkkBot(deps), texts, auth_required=False))
    await server.start_server()
    activity = card_action(verb, {"themeId": kennis.theme_key}, kennis.theme_conversation, who, UMBRELLA_TEAM)  # type: ignore[arg-type]
    try:
        async with ClientSession() as session:
            url = str(server.make_url("/api/messages"))
            async with session.post(
                url, data=json.dumps(activity.serialize()), headers={"Content-Type": "application/json"}
            ) as response:
                return response.status, await response.json()
    finally:
        await server.close()


async def test_plan_answers_200_with_the_form(kennis: Kennis, texts: Catalog) -> None:
    """The planning form comes back as an adaptive card invoke answer."""
    status, body = await _invoke(kennis, texts, "theme_plan", GLOBAL)
    assert status == 200 and body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert inputs_of(body["value"])["title"] == "MAGDA documentendienst"


async def test_a_refusal_answers_200_with_the_dutch_text(kennis: Kennis, texts: Catalog) -> None:
    """A member's press is answered with a message, as Teams expects, and changes nothing."""
    status, body = await _invoke(kennis, texts, "theme_plan", AN)
    assert (status, body["type"]) == (200, "application/vnd.microsoft.activity.message")
    assert "Alleen de coördinatoren van RKK Overkoepelend" in str(body["value"])
