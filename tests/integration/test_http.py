"""The HTTP boundary: /api/messages over real HTTP with botbuilder's CloudAdapter, and /healthz."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import jwt
import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot import activity_facts as facts
from bot.handler import RkkBot
from bot.server import MAX_BODY_BYTES, create_web_app
from i18n.catalog import Catalog
from rkk.rounds.installs import RkkSpec, register_installation
from rkk.rounds.posting import post_question
from rkk.store.rounds.sql_store import SqlStore
from tests.doubles.teams import (
    TEAM_ID,
    FakePublisher,
    bot_deps,
    card_action,
    channel_message,
    file_consent,
    installed,
    user,
)


class _Auth:
    def __init__(self, app_id: str = "", password: str = "") -> None:
        self.APP_ID, self.APP_PASSWORD, self.APP_TYPE, self.APP_TENANTID = app_id, password, "MultiTenant", ""


def _adapter(app_id: str = "") -> CloudAdapter:
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(_Auth(app_id, "secret" if app_id else "")))


async def _serve(app: web.Application) -> AsyncIterator[str]:
    server = TestServer(app)
    await server.start_server()
    try:
        yield str(server.make_url(""))
    finally:
        await server.close()


@pytest.fixture
async def bot_url(store: SqlStore, texts: Catalog, now: datetime) -> AsyncIterator[tuple[str, FakePublisher]]:
    """The real web app (no app id, as in demo mode) around the bot with fake Teams ports."""
    await store.sync_question_bank((("q1", "Hoe pakken jullie de MAGDA-documentendienst aan?"),))
    publisher = FakePublisher()
    deps = bot_deps(store, publisher, texts, lambda: now, demo=True)
    app = create_web_app(_adapter(), RkkBot(deps), texts, auth_required=False)
    async for url in _serve(app):
        yield url, publisher


async def _post(
    url: str, body: bytes | str, content_type: str = "application/json", headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    async with (
        ClientSession() as session,
        session.post(
            f"{url}/api/messages", data=body, headers={"Content-Type": content_type, **(headers or {})}
        ) as response,
    ):
        text = await response.text()
        return response.status, (json.loads(text) if text and response.content_type == "application/json" else text)


def _json(activity: Any) -> str:
    return json.dumps(activity.serialize())


async def test_card_invoke_over_http_answers_200_with_the_updated_card(
    bot_url: tuple[str, FakePublisher], store: SqlStore, now: datetime
) -> None:
    """Action.Execute through CloudAdapter returns HTTP 200 and the card (botbuilder's own path gives 500)."""
    url, publisher = bot_url
    await register_installation(
        store, facts.installation_of(installed(), []), [RkkSpec("kempen", "RKK Kempen", TEAM_ID, None)], False, now
    )  # type: ignore[arg-type]
    posted = await post_question(store, publisher, "kempen", now)
    stored = posted.round
    status, body = await _post(
        url,
        _json(
            card_action(
                "answer", {"roundId": stored.id, "answer": "Live sinds maart"}, stored.conversation_id or "", user()
            )
        ),
    )
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["type"] == "AdaptiveCard" and "Live sinds maart" in json.dumps(body["value"])


async def test_refused_card_action_over_http_answers_200_with_a_message(bot_url: tuple[str, FakePublisher]) -> None:
    """A refusal (text, not a card) also comes back as HTTP 200 with the Dutch message."""
    url, _ = bot_url
    activity = card_action("answer", {"roundId": 12345, "answer": "x"}, f"{TEAM_ID};messageid=1", user())
    activity.locale = "nl-BE"
    status, body = await _post(url, _json(activity))
    assert status == 200
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Deze kaart hoort niet bij deze kenniskring of is niet meer geldig. Je antwoord is niet opgeslagen.",
    }


async def test_file_consent_over_http_answers_200_and_replies_in_the_chat(bot_url: tuple[str, FakePublisher]) -> None:
    """A fileConsent/invoke gets HTTP 200 with an empty body; what happened goes to the chat as a message."""
    url, _ = bot_url
    sent: list[dict[str, Any]] = []

    async def connector(request: web.Request) -> web.Response:
        sent.append(await request.json())
        return web.json_response({"id": "1"})

    teams = web.Application()
    teams.router.add_post("/v3/conversations/{conversation}/activities{reply:.*}", connector)
    async for service_url in _serve(teams):
        activity = file_consent("decline", {}, "https://upload.invalid/x", user())
        activity.service_url = service_url
        status, body = await _post(url, _json(activity))
    assert (status, body) == (200, None)
    assert [message["text"] for message in sent] == ["Goed, ik heb niets geüpload."]


async def test_botbuilder_adaptive_card_invoke_path_still_fails_with_500() -> None:
    """Documents the upstream bug worked around: on_adaptive_card_invoke under CloudAdapter is a 500."""

    class Naive(ActivityHandler):
        async def on_adaptive_card_invoke(
            self, turn_context: TurnContext, invoke_value: Any
        ) -> AdaptiveCardInvokeResponse:
            return AdaptiveCardInvokeResponse(
                status_code=200,
                type="application/vnd.microsoft.card.adaptive",
                value={"type": "AdaptiveCard", "version": "1.5", "body": []},
            )

    adapter, bot = _adapter(), Naive()

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            response = await adapter.process(request, bot)
        except Exception:  # noqa: BLE001 - aiohttp would turn this into a 500 too
            return web.Response(status=500)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    async for url in _serve(app):
        status, _ = await _post(url, _json(card_action("answer", {"roundId": 1}, "19:x;messageid=1", user())))
        assert status == 500


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[]", "application/json", 400),
        ('{"type": ""}', "application/json", 400),
        ('{"text": "no type"}', "application/json", 400),
        ('{"type": "message"}', "text/plain", 415),
        ('{"type": "message", "text": "' + "x" * (MAX_BODY_BYTES + 10) + '"}', "application/json", 413),
        ('{"type": "message", "entities": "not-a-list", "from": 5}', "application/json", 400),
    ],
)
async def test_malformed_requests_get_a_4xx_with_a_reason(
    bot_url: tuple[str, FakePublisher], body: str, content_type: str, status: int
) -> None:
    """Non-JSON, non-activity, wrong type or oversized bodies are refused with a 4xx, never a 500."""
    url, _ = bot_url
    got, payload = await _post(url, body, content_type)
    assert got == status
    assert payload["error"]["message"]


@pytest.mark.parametrize("header", [None, "Basic abc", "Bearer", "Bearer not.a.jwt", "Bearer abc"])
async def test_missing_or_malformed_credentials_get_401(texts: Catalog, header: str | None) -> None:
    """With an app id configured, requests without a well-formed token are 401, not 500."""
    bot = ActivityHandler()
    app = create_web_app(_adapter("00000000-0000-0000-0000-000000000001"), bot, texts, auth_required=True)
    async for url in _serve(app):
        status, payload = await _post(
            url, _json(channel_message("help")), headers={"Authorization": header} if header else None
        )
        assert status == 401 and payload["error"]["status"] == 401


async def test_healthz_answers_while_the_process_serves(bot_url: tuple[str, FakePublisher]) -> None:
    """/healthz is liveness: 200 with a status while the process serves HTTP."""
    url, _ = bot_url
    async with ClientSession() as session, session.get(f"{url}/healthz") as response:
        assert response.status == 200 and (await response.json()) == {"status": "ok"}


async def test_a_well_formed_token_without_an_issuer_gets_401(store: SqlStore, texts: Catalog) -> None:
    """botbuilder indexes the issuer of an unverified token; a token without one is a 401, not a KeyError 500."""
    token = jwt.encode({"aud": "00000000-0000-0000-0000-000000000001"}, "k" * 32, algorithm="HS256")
    app = create_web_app(_adapter("00000000-0000-0000-0000-000000000001"), ActivityHandler(), texts, True)
    async for url in _serve(app):
        status, payload = await _post(url, _json(channel_message("help")), headers={"Authorization": f"Bearer {token}"})
        assert status == 401 and "issuer" in payload["error"]["message"]
