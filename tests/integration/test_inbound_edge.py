"""The HTTP edge with what a sender controls: deep JSON, a bad envelope, unknown invokes, replies that fail,
and the one fault that is the bot's own, a database that is down (503)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from botbuilder.integration.aiohttp import CloudAdapter

from bot.connector_clients import SharedClients, SharedClientsAuthentication
from bot.handler import RkkBot
from bot.server import create_web_app
from i18n.catalog import Catalog
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore
from tests.doubles.teams import FakePublisher, bot_deps, card_action, channel_message, user


class _Auth:
    APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "", "", "MultiTenant", ""


@pytest.fixture
async def connector() -> AsyncIterator[tuple[str, list[str]]]:
    """A Bot Connector stub that refuses every reply with 500 (as an overloaded service would); the URLs hit."""
    hits: list[str] = []

    async def refuse(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"error": {"code": "ServiceError"}}, status=500)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("/")), hits
    await server.close()


Serve = Callable[..., Awaitable[str]]


@pytest.fixture
async def serve(texts: Catalog, now: datetime) -> AsyncIterator[Serve]:
    """Start the web app around the bot on a store; its /api/messages URL. Stopped after the test."""
    servers: list[TestServer] = []

    async def start(store: SqlStore, clients: SharedClients | None = None) -> str:
        shared = clients if clients is not None else SharedClients()
        adapter = CloudAdapter(SharedClientsAuthentication(_Auth(), shared))
        bot = RkkBot(bot_deps(store, FakePublisher(), texts, lambda: now))
        server = TestServer(create_web_app(adapter, bot, texts, auth_required=False))
        await server.start_server()
        servers.append(server)
        return str(server.make_url("/api/messages"))

    yield start
    for server in servers:
        await server.close()


async def _post(url: str, body: bytes | str) -> tuple[int, Any]:
    async with (
        ClientSession() as session,
        session.post(url, data=body, headers={"Content-Type": "application/json"}) as response,
    ):
        text = await response.text()
        return response.status, json.loads(text) if text else None


def _activity(activity: Any, **changes: Any) -> str:
    """The activity as Teams puts it on the wire (a mention names who is mentioned)."""
    body = activity.serialize()
    if body.get("entities"):
        mentioned = {"id": body["recipient"]["id"], "name": body["recipient"]["name"]}
        body["entities"] = [{"type": "mention", "mentioned": mentioned, "text": f"<at>{mentioned['name']}</at>"}]
    body.update(changes)
    return json.dumps({key: value for key, value in body.items() if value is not None})


@pytest.mark.parametrize("depth", [100, 5_000, 100_000])
async def test_deeply_nested_json_is_refused_with_400(store: SqlStore, serve: Serve, depth: int) -> None:
    """Arrays nested thousands deep get a 400 naming the limit, not a RecursionError and a 500."""
    url = await serve(store)
    status, body = await _post(url, "[" * depth + "]" * depth)
    assert status == 400 and "nested deeper" in body["error"]["message"]


@pytest.mark.parametrize("service_url", [None, "", 42, ["http://x"], "not a url", "ftp://host/x", "http://"])
async def test_activity_without_a_usable_service_url_is_refused_before_any_work(
    store: SqlStore, serve: Serve, service_url: object
) -> None:
    """A missing, empty, non-string or non-http serviceUrl is a 400; nothing is tried against Microsoft."""
    url = await serve(store)
    body = json.loads(_activity(channel_message("help")))
    body["serviceUrl"] = service_url
    status, answer = await _post(url, json.dumps(body))
    assert status == 400 and "serviceUrl" in answer["error"]["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("channelId", None), ("conversation", None), ("conversation", {"id": 7}), ("from", "An"), ("from", {})],
)
async def test_activity_without_channel_conversation_or_sender_is_refused(
    store: SqlStore, serve: Serve, field: str, value: object
) -> None:
    """channelId, conversation and from must be there with string ids, else 400."""
    url = await serve(store)
    body = json.loads(_activity(channel_message("help")))
    body[field] = value
    status, answer = await _post(url, json.dumps(body))
    assert status == 400 and field in answer["error"]["message"]


@pytest.mark.parametrize("name", ["composeExtension/query", "x", "signin/verifyState", "task/fetch"])
async def test_unknown_invoke_is_answered_200_without_a_body(
    store: SqlStore, serve: Serve, name: str, connector: tuple[str, list[str]]
) -> None:
    """An invoke the bot does not handle gets what Microsoft's Teams SDK answers: 200, no body (not a 501)."""
    url = await serve(store)
    activity = card_action("answer", {}, "19:x;messageid=1", user())
    status, body = await _post(url, _activity(activity, name=name, serviceUrl=connector[0]))
    assert (status, body) == (200, None)


async def test_reply_that_cannot_be_sent_ends_the_turn_without_a_5xx(
    store: SqlStore, serve: Serve, connector: tuple[str, list[str]]
) -> None:
    """When the Bot Connector refuses the reply, the error is logged and the request still gets a 2xx."""
    url = await serve(store)
    status, _ = await _post(url, _activity(channel_message("help", team_id=None), serviceUrl=connector[0]))
    assert status == 201
    assert connector[1], "the reply was attempted"


async def test_card_action_whose_follow_up_message_fails_still_gets_200(
    store: SqlStore, serve: Serve, connector: tuple[str, list[str]]
) -> None:
    """An invoke whose chat message cannot be sent is answered 200 (what was done is done), never 500 or 501."""
    url = await serve(store)
    data = {"command": "answers", "args": "", "rkk": "kempen"}
    await store.upsert_rkk("kempen", "RKK Kempen", None, None)
    activity = card_action("choose_rkk", data, "a:personal", user(), team_id=None)
    status, _ = await _post(url, _activity(activity, serviceUrl=connector[0]))
    assert status == 200


async def test_database_down_answers_503_with_retry_after(serve: Serve, tmp_path: Path) -> None:
    """A turn that cannot reach the database gets 503 and Retry-After, the bot's own fault, not a 500."""
    folder = tmp_path / "gone"
    folder.mkdir()
    store = SqlStore(create_engine(f"sqlite+aiosqlite:///{folder / 'db.sqlite'}"))
    await migrate(store.engine)
    await store.engine.dispose()
    (folder / "db.sqlite").unlink()
    folder.rmdir()  # SQLite cannot even create the file again
    url = await serve(store)
    async with (
        ClientSession() as session,
        session.post(
            url,
            data=_activity(channel_message("mijn antwoorden", team_id=None)),
            headers={"Content-Type": "application/json"},
        ) as response,
    ):
        assert response.status == 503 and response.headers["Retry-After"].isdigit()


async def test_postgresql_refusing_connections_answers_503(serve: Serve) -> None:
    """With PostgreSQL unreachable (connection refused) a card action gets 503 too."""
    store = SqlStore(create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nothing"))
    url = await serve(store)
    status, _ = await _post(url, _activity(card_action("answer", {"roundId": 1}, "19:x;messageid=1", user())))
    assert status == 503


async def test_one_connector_client_serves_every_turn_of_a_service_url(
    store: SqlStore, serve: Serve, connector: tuple[str, list[str]]
) -> None:
    """Ten turns from the same service URL share one Bot Connector client instead of building ten."""
    clients = SharedClients()
    url = await serve(store, clients)
    for _ in range(10):
        await _post(url, _activity(channel_message("help", team_id=None), serviceUrl=connector[0]))
    assert len(clients) == 1
    await clients.close()


async def test_a_token_that_cannot_be_checked_gets_503_not_500(store: SqlStore, texts: Catalog) -> None:
    """With an app id, a well-formed token whose signing keys Microsoft cannot be reached for is a 503."""

    class Auth:
        APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "00000000-0000-0000-0000-00000000aaaa", "x", "MultiTenant", ""

    def part(value: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"aud": Auth.APP_ID, "iss": "https://api.botframework.com"}
    token = ".".join((part({"alg": "RS256", "kid": "unknown-key", "typ": "JWT"}), part(claims), "c2ln"))
    adapter = CloudAdapter(SharedClientsAuthentication(Auth(), SharedClients()))
    app = create_web_app(adapter, RkkBot(bot_deps(store, FakePublisher(), texts, datetime.now)), texts, True)
    server = TestServer(app)
    await server.start_server()
    try:
        async with (
            ClientSession() as session,
            session.post(
                str(server.make_url("/api/messages")),
                data=_activity(channel_message("help", team_id=None)),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            ) as response,
        ):
            assert response.status == 503  # offline here; with the keys reachable this token would be a 401
    finally:
        await server.close()
