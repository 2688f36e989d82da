"""Who is a coordinator, as tenants configure it: by Entra object id or by UPN, never by mail address.

Through the real HTTP path and botbuilder's roster lookup against a Bot Connector stub that answers
GET .../members/{id} as Teams does, with people whose UPN and mail differ and a guest.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from botbuilder.integration.aiohttp import CloudAdapter

from bot.connector_clients import SharedClients, SharedClientsAuthentication
from bot.handler import RkkBot
from bot.member_cache import MemberCache
from bot.roster import TeamsRoster
from bot.server import create_web_app
from i18n.catalog import Catalog
from rkk.access import Coordinators
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import strings
from tests.doubles.teams import FakePublisher, bot_deps

DOMAINS = {"brasschaat.be": "Gemeente Brasschaat", "brugge.be": "Stad Brugge"}
PEOPLE = {
    # UPN and mail differ (an alias): configured by UPN, in another case.
    "29:isaiah": {
        "aadObjectId": "aad-isaiah",
        "name": "Isaiah Langer",
        "userPrincipalName": "isaiah@victor.be",
        "email": "isaiahl@brasschaat.be",
    },
    # A guest from Brugge: configured by the UPN their home tenant gives them here; no mail known.
    "29:guest": {
        "aadObjectId": "aad-guest",
        "name": "Jan Guest",
        "userPrincipalName": "jan.guest_brugge.be#EXT#@victor.onmicrosoft.com",
        "email": None,
    },
    # Their mail is what someone mistakenly configured; their UPN is not: not a coordinator.
    "29:mail": {
        "aadObjectId": "aad-mail",
        "name": "Mail Only",
        "userPrincipalName": "mo@victor.be",
        "email": "coordinator@brasschaat.be",
    },
}
COORDINATORS = ("ISAIAH@victor.be", "Jan.Guest_Brugge.be#EXT#@victor.onmicrosoft.com", "coordinator@brasschaat.be")


@dataclass
class Teams:
    """The Bot Connector stub: members by Teams id, and what the bot sent."""

    url: str = ""
    lookups: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
async def teams() -> AsyncIterator[Teams]:
    """GET .../members/{id} answers with the person's UPN and mail; replies are recorded."""
    state = Teams()

    async def member(request: web.Request) -> web.Response:
        user = request.match_info["member"]
        state.lookups.append(user)
        return web.json_response({"id": user, **PEOPLE[user], "tenantId": "t", "userRole": "user"})

    async def reply(request: web.Request) -> web.Response:
        state.sent.append(await request.json())
        return web.json_response({"id": "1"})

    app = web.Application()
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", member)
    app.router.add_post("/v3/conversations/{conversation}/activities", reply)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", reply)
    server = TestServer(app)
    await server.start_server()
    state.url = str(server.make_url("/"))
    yield state
    await server.close()


class _Auth:
    APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "", "", "MultiTenant", ""


@pytest.fixture
async def bot_url(store: SqlStore, texts: Catalog, now: datetime) -> AsyncIterator[str]:
    """The web app with the real roster (and its cache); Kempen coordinated by UPN."""
    await store.upsert_rkk("kempen", "RKK Kempen", None, None)
    deps = bot_deps(store, FakePublisher(), texts, lambda: now)
    coordinators = Coordinators.build((), {"kempen": COORDINATORS}, everyone=False)
    deps = replace(deps, roster=TeamsRoster(DOMAINS, MemberCache()), coordinators=coordinators)
    adapter = CloudAdapter(SharedClientsAuthentication(_Auth(), SharedClients()))
    server = TestServer(create_web_app(adapter, RkkBot(deps), texts, auth_required=False))
    await server.start_server()
    yield str(server.make_url("/api/messages"))
    await server.close()


async def _say(url: str, teams: Teams, sender: str, text: str) -> str:
    """Type a command in a personal chat; what the bot answered (texts and card texts)."""
    teams.sent.clear()
    person = PEOPLE[sender]
    body = {
        "type": "message",
        "text": text,
        "channelId": "msteams",
        "serviceUrl": teams.url,
        "from": {"id": sender, "name": person["name"], "aadObjectId": person["aadObjectId"]},
        "recipient": {"id": "28:bot", "name": "Vraag van de week"},
        "conversation": {"id": f"a:{sender}", "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "locale": "nl-BE",
    }
    async with ClientSession() as session, session.post(url, json=body) as response:
        assert response.status == 201
    return "\n".join(
        (activity.get("text") or "") + json.dumps([strings(a["content"]) for a in activity.get("attachments") or []])
        for activity in teams.sent
    )


async def test_coordinator_named_by_upn_whose_mail_differs_may_steer(bot_url: str, teams: Teams) -> None:
    """Configured as ISAIAH@victor.be, mail isaiahl@brasschaat.be: `wachtrij` shows Kempen's queue."""
    reply = await _say(bot_url, teams, "29:isaiah", "wachtrij")
    assert "RKK Kempen" in reply and "Alleen coördinatoren" not in reply


async def test_guest_coordinator_named_by_their_ext_upn_may_steer(bot_url: str, teams: Teams) -> None:
    """A guest configured by `name_domain#EXT#@tenant` (any case) is Kempen's coordinator."""
    reply = await _say(bot_url, teams, "29:guest", "wachtrij")
    assert "RKK Kempen" in reply and "Alleen coördinatoren" not in reply


async def test_a_configured_mail_address_does_not_make_a_coordinator(bot_url: str, teams: Teams) -> None:
    """Someone whose mail (not UPN) appears in the coordinator list is refused: coordinators are matched on UPN."""
    reply = await _say(bot_url, teams, "29:mail", "wachtrij")
    assert "Alleen coördinatoren" in reply


async def test_a_member_is_looked_up_once_a_day_not_once_a_command(bot_url: str, teams: Teams) -> None:
    """Three commands from one person make one roster lookup (the member cache)."""
    for _ in range(3):
        await _say(bot_url, teams, "29:isaiah", "help")
        await _say(bot_url, teams, "29:isaiah", "status")
    assert teams.lookups == ["29:isaiah"]
