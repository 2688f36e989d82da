"""Generated activities and card actions through the real HTTP and CloudAdapter path: never a 5xx.

The app is the production one (`app.build_runtime`, `bot.server.create_web_app`) on SQLite, its
replies going to a Bot Connector stub. Hypothesis sends broken bodies, valid activities with hostile
values, and card actions with forged data from members and coordinators. For every example: no 5xx,
no error logged, and when the input is one the bot must refuse (or only read), every table unchanged.

Example counts come from `RKKBOT_FUZZ_EXAMPLES` (default 400 per test, five
tests, 2,000 in all), which keeps this module under a minute here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.integration.aiohttp import CloudAdapter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import build_runtime
from bot.connector_clients import SharedClients, SharedClientsAuthentication
from bot.server import create_web_app
from config.rkk_config import load_config
from config.settings import settings_from_env
from rkk.model import Member
from tests.doubles.rounds import posted_round

EXAMPLES = int(os.environ.get("RKKBOT_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # the same examples every run, no state left in the work tree
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
TEAM = "19:kempen-general@thread.tacv2"
OTHER_TEAM = "19:limburg-general@thread.tacv2"
TENANT = "tenant-victor"
BOT = "28:rkkbot"
MEMBER = {"id": "29:member", "name": "Lid Peeters", "aadObjectId": "aad-member"}
COORDINATOR = {"id": "29:coord", "name": "Coördinator Kempen", "aadObjectId": "aad-coord"}
OTHER_COORDINATOR = {"id": "29:limburg", "name": "Coördinator Limburg", "aadObjectId": "aad-limburg"}
CONFIG = """
timezone: Europe/Brussels
questions: {questions}
coordinators: ["aad-global"]
rkks:
  - key: kempen
    name: RKK Kempen
    team: "{team}"
    coordinators: ["aad-coord"]
  - key: limburg
    name: RKK Limburg
    team: "{other}"
    coordinators: ["aad-limburg"]
domains:
  brasschaat.be: Gemeente Brasschaat
"""


@dataclass
class Bot:
    """The running app and what the examples need to know about it."""

    loop: asyncio.AbstractEventLoop
    url: str
    service_url: str
    database: Path
    round_id: int
    thread: str
    session: aiohttp.ClientSession
    authenticated_url: str  # the same bot with an app id: every request needs a Bot Framework token

    def post(self, body: bytes, headers: dict[str, str] | None = None, url: str | None = None) -> int:
        """POST a body to /api/messages; the status."""

        async def send() -> int:
            async with self.session.post(
                url or self.url, data=body, headers={"Content-Type": "application/json", **(headers or {})}
            ) as response:
                await response.read()
                return response.status

        return self.loop.run_until_complete(send())

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted."""
        with sqlite3.connect(self.database) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"'))) for name in names}


class ErrorLog(logging.Handler):
    """Every record at ERROR or above, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def errors() -> Iterator[ErrorLog]:
    """Errors logged while the module runs."""
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """The production app (no app id, as in demo mode) with two RKKs, a posted round and a queued question."""
    folder = tmp_path_factory.mktemp("fuzz")
    questions = Path(__file__).resolve().parents[2] / "config" / "questions.yaml"
    (folder / "rkks.yaml").write_text(CONFIG.format(questions=questions, team=TEAM, other=OTHER_TEAM))
    database = folder / "fuzz.db"
    loop = asyncio.new_event_loop()
    connector = TestServer(_connector_stub())
    loop.run_until_complete(connector.start_server())
    service_url = str(connector.make_url("/"))
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{database}", "RKKBOT_CONFIG": str(folder / "rkks.yaml")}
    settings_ = settings_from_env(env)
    runtime = build_runtime(settings_, load_config(settings_.config_path))
    round_id, thread = loop.run_until_complete(_seed(runtime, service_url))
    app = create_web_app(runtime.adapter, runtime.bot, runtime.texts, auth_required=False)
    server = TestServer(app)
    loop.run_until_complete(server.start_server())
    authenticated = TestServer(create_web_app(_adapter_with_app_id(), runtime.bot, runtime.texts, auth_required=True))
    loop.run_until_complete(authenticated.start_server())
    session = loop.run_until_complete(_session())
    url, authenticated_url = str(server.make_url("/api/messages")), str(authenticated.make_url("/api/messages"))
    yield Bot(loop, url, service_url, database, round_id, thread, session, authenticated_url)
    loop.run_until_complete(session.close())
    loop.run_until_complete(authenticated.close())
    loop.run_until_complete(server.close())
    loop.run_until_complete(runtime.close())
    loop.run_until_complete(connector.close())
    loop.close()


def _adapter_with_app_id() -> CloudAdapter:
    class Auth:
        APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "00000000-0000-0000-0000-00000000aaaa", "x", "MultiTenant", ""

    return CloudAdapter(SharedClientsAuthentication(Auth(), SharedClients()))


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


async def _seed(runtime: Any, service_url: str) -> tuple[int, str]:
    """Install the bot in both teams, post Kempen's round with one answer, queue a question."""
    from rkk.model import Installation
    from rkk.rounds import register_installation

    store, now = runtime.store, runtime.clock()
    await runtime.open()
    for team, name in ((TEAM, "RKK Kempen"), (OTHER_TEAM, "RKK Limburg")):
        installation = Installation(team, name, None, TENANT, service_url, BOT, ((team, "General"),))
        await register_installation(store, installation, runtime.config.rkk_specs(), False, now)
    round_ = await posted_round(store, "kempen", "2026-W48", now, TEAM, "1700000000001")
    member = Member("aad-member", "Lid Peeters", "lid@brasschaat.be", "Gemeente Brasschaat")
    await store.save_card_answer(round_.id, member, "Wij testen elk kwartaal.", now)
    await store.enqueue_question("kempen", "Hoe plannen jullie de back-ups?", "Coördinator Kempen")
    return round_.id, round_.conversation_id or ""


def _connector_stub() -> web.Application:
    """The Bot Connector as far as replies and the member lookup go; accepts every reply."""

    async def reply(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": "1700000000999"})

    async def member(request: web.Request) -> web.Response:
        user = request.match_info["member"]
        return web.json_response(
            {"id": user, "name": "Lid Peeters", "aadObjectId": "aad-member", "email": "lid@brasschaat.be"}
        )

    async def channels(request: web.Request) -> web.Response:
        team = request.match_info["team"]
        return web.json_response({"conversations": [{"id": team, "name": None}]})

    app = web.Application()
    app.router.add_get("/v3/teams/{team}/conversations", channels)
    app.router.add_post("/v3/conversations/{conversation}/activities", reply)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", reply)
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", member)
    return app


# --- strategies ------------------------------------------------------------------------------------

JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
JUNK = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
HOSTILE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.sampled_from(
    ["<at>x</at>", "\u0000", "'; DROP TABLE answers; --", "{roundId}", "%s%s%n", "\u202e", "A" * 5000]
)
COMMAND_TEXT = (
    st.sampled_from(
        [
            "help",
            "post nu",
            "status",
            "wachtrij",
            "overslaan",
            "pauze tot 1 juli",
            "hervat",
            "schema dinsdag 9:30",
            "antwoorden",
            "mijn antwoorden",
            "verwijder mijn gegevens",
            "audit",
            "thema's",
            "export",
            "doorsturen",
            "vraag toevoegen Een vraag?",
            "export kempen",
            "wachtrij limburg",
        ]
    )
    | HOSTILE_TEXT
)
REFUSED_VERBS = st.sampled_from(
    [
        "queue_up",
        "queue_remove",
        "queue_post",
        "uncertain_post",
        "uncertain_dismiss",
        "theme_plan",
        "theme_dismiss",
        "choose_rkk",
        "delete_cancel",
        "edit",
        "refresh",
        "nonsense",
    ]
)


def _envelope(bot: Bot, sender: dict[str, Any], conversation: str, team: str | None) -> dict[str, Any]:
    channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    if team:
        channel_data.update(team={"id": team}, channel={"id": team})
    return {
        "channelId": "msteams",
        "serviceUrl": bot.service_url,
        "from": sender,
        "recipient": {"id": BOT, "name": "Vraag van de week"},
        "conversation": {
            "id": conversation,
            "conversationType": "channel" if team else "personal",
            "tenantId": TENANT,
        },
        "channelData": channel_data,
        "locale": "nl-BE",
    }


@st.composite
def broken_bodies(draw: st.DrawFn) -> bytes:
    """Bodies that are not an activity the bot can work with."""
    kind = draw(st.sampled_from(["junk", "nested", "bytes", "envelope"]))
    if kind == "junk":
        return json.dumps(draw(JUNK)).encode()
    if kind == "nested":
        depth = draw(st.integers(40, 20_000))
        return (
            ("[" * depth + "]" * depth).encode()
            if draw(st.booleans())
            else ('{"a":' * depth + "1" + "}" * depth).encode()
        )
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    body = {"type": draw(st.sampled_from(["message", "invoke", "conversationUpdate"])), "text": "help"}
    body.update(
        draw(st.dictionaries(st.sampled_from(["serviceUrl", "channelId", "conversation", "from", "recipient"]), JUNK))
    )
    return json.dumps(body).encode()


def _someone(draw: st.DrawFn, person: dict[str, str]) -> dict[str, str]:
    """The person, or for a member one of many (each has their own command rate limit)."""
    if person is not MEMBER:
        return person
    number = draw(st.integers(0, 10**9))
    return {"id": f"29:member-{number}", "name": f"Lid {number}", "aadObjectId": f"aad-member-{number}"}


@st.composite
def member_messages(draw: st.DrawFn, bot: Bot) -> bytes:
    """A member typing anything in Kempen's channel or a personal chat, or Limburg's coordinator in Kempen's channel."""
    person = draw(st.sampled_from([MEMBER, OTHER_COORDINATOR]))
    sender = _someone(draw, person)
    # Limburg's coordinator may steer Limburg from a personal chat; in Kempen's channel they may not.
    where = "channel" if person is OTHER_COORDINATOR else draw(st.sampled_from(["channel", "chat"]))
    team = TEAM if where == "channel" else None
    conversation = f"{TEAM};messageid=42" if team else "a:personal-chat"
    body = _envelope(bot, sender, conversation, team)
    text = draw(COMMAND_TEXT)
    body.update(type="message", text=f"<at>Vraag van de week</at> {text}" if team else text)
    if team:
        body["entities"] = [
            {
                "type": "mention",
                "mentioned": {"id": BOT, "name": "Vraag van de week"},
                "text": "<at>Vraag van de week</at>",
            }
        ]
    for key, value in draw(
        st.dictionaries(st.sampled_from(["locale", "entities", "value", "textFormat", "id"]), JUNK, max_size=2)
    ).items():
        body[key] = value
    return json.dumps(body).encode()


@st.composite
def forged_card_actions(draw: st.DrawFn, bot: Bot) -> bytes:
    """A button pressed by someone who may not, or with data the bot never made."""
    person = draw(st.sampled_from([MEMBER, OTHER_COORDINATOR, COORDINATOR]))
    sender = _someone(draw, person)
    verb = draw(REFUSED_VERBS | st.text(max_size=20))
    data = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "questionId": st.integers(-5, 10**12) | JUNK,
                "rkk": st.sampled_from(["kempen", "limburg", "nergens", ""]) | JUNK,
                "roundId": st.integers(-5, 10**12) | st.just(bot.round_id) | JUNK,
                "week": st.sampled_from(["2026-W48", "1999-W01"]) | JUNK,
                "themeId": JUNK,
                "command": st.sampled_from(["post_now", "queue", "audit", "status", "help"]) | JUNK,
                "args": JUNK,
                "answer": JUNK,
            },
        )
    )
    if person is COORDINATOR and verb.startswith("queue_") and data.get("rkk") == "kempen":
        data["questionId"] = draw(st.integers(10**6, 10**12))  # a made-up question: shows the queue, changes nothing
    if person is COORDINATOR and verb in ("uncertain_post", "uncertain_dismiss", "choose_rkk"):
        data["rkk"] = "limburg"  # not theirs
    team = draw(st.sampled_from([TEAM, OTHER_TEAM, None]))
    conversation = draw(st.sampled_from([bot.thread, f"{OTHER_TEAM};messageid=5", "a:personal-chat"]))
    body = _envelope(bot, sender, conversation, team)
    action = {"type": "Action.Execute", "verb": verb, "data": data}
    body.update(type="invoke", name="adaptiveCard/action", value=draw(st.just({"action": action}) | JUNK))
    return json.dumps(body).encode()


@st.composite
def other_activities(draw: st.DrawFn, bot: Bot) -> tuple[bytes, bool]:
    """Unknown types and invoke names, answers with hostile text; (body, whether it may change the store)."""
    kind = draw(st.sampled_from(["type", "invoke", "answer", "install"]))
    body = _envelope(bot, MEMBER, bot.thread, TEAM)
    if kind == "type":
        body.update(
            type=draw(
                st.text(min_size=1, max_size=30)
                | st.sampled_from(["typing", "event", "messageReaction", "endOfConversation"])
            ),
            value=draw(JUNK),
        )
        return json.dumps(body).encode(), False
    if kind == "invoke":
        name = draw(
            st.sampled_from(["composeExtension/query", "x", "signin/verifyState", "task/fetch", "healthCheck"])
            | st.text(max_size=40)
        )
        body.update(type="invoke", name=name, value=draw(JUNK))
        return json.dumps(body).encode(), False
    if kind == "answer":
        action = {
            "type": "Action.Execute",
            "verb": "answer",
            "data": {"roundId": bot.round_id, "answer": draw(HOSTILE_TEXT | JUNK)},
        }
        body.update(type="invoke", name="adaptiveCard/action", value={"action": action})
        return json.dumps(body).encode(), True
    body.update(type=draw(st.sampled_from(["conversationUpdate", "installationUpdate"])), action="add")
    body["membersAdded"] = draw(st.just([{"id": BOT}]) | JUNK)
    body["channelData"] = draw(
        st.just({"tenant": {"id": TENANT}, "team": {"id": draw(st.text(min_size=1, max_size=50))}}) | JUNK
    )
    return json.dumps(body).encode(), True


# --- properties ----------------------------------------------------------------------------------


def _check(
    bot: Bot, errors: ErrorLog, body: bytes, may_change: bool, headers: dict[str, str] | None = None, url: str = ""
) -> int:
    before = None if may_change else bot.snapshot()
    errors.records.clear()
    status = bot.post(body, headers, url or None)
    assert status < 500, f"{status} for {body[:300]!r}"
    assert not errors.records, [record.getMessage() for record in errors.records]
    if before is not None:
        assert bot.snapshot() == before, f"the store changed for {body[:300]!r}"
    return status


@FUZZ
@given(data=st.data())
def test_broken_bodies_get_a_4xx_and_change_nothing(bot: Bot, errors: ErrorLog, data: st.DataObject) -> None:
    """Junk, deep nesting, bytes and activities missing their envelope are refused without a 5xx."""
    _check(bot, errors, data.draw(broken_bodies()), may_change=False)


@FUZZ
@given(data=st.data())
def test_typed_commands_of_people_who_may_not_steer_change_nothing(
    bot: Bot, errors: ErrorLog, data: st.DataObject
) -> None:
    """Whatever a member or another RKK's coordinator types, the bot answers without a 5xx and changes nothing."""
    _check(bot, errors, data.draw(member_messages(bot)), may_change=False)


@FUZZ
@given(data=st.data())
def test_forged_card_actions_change_nothing(bot: Bot, errors: ErrorLog, data: st.DataObject) -> None:
    """Buttons pressed by the wrong person or with made-up data are refused without a 5xx and change nothing."""
    _check(bot, errors, data.draw(forged_card_actions(bot)), may_change=False)


@FUZZ
@given(data=st.data())
def test_unknown_activities_and_hostile_answers_never_get_a_5xx(
    bot: Bot, errors: ErrorLog, data: st.DataObject
) -> None:
    """Unknown types and invoke names change nothing; answers and installs with hostile values never fail."""
    body, may_change = data.draw(other_activities(bot))
    _check(bot, errors, body, may_change)


ISSUERLESS_TOKENS = st.dictionaries(st.sampled_from(["aud", "ver", "appid", "azp"]), st.text(max_size=20)).map(
    lambda claims: "Bearer " + jwt.encode(claims, "k" * 32, algorithm="HS256")
)  # well-formed JWTs that botbuilder would index for an issuer they do not have
AUTHORIZATION = (
    st.none()
    | st.sampled_from(["", "Basic YWxhZGRpbjpvcGVu", "Bearer", "Bearer x.y.z"])
    | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)  # what an HTTP header can carry
    | ISSUERLESS_TOKENS
)


@FUZZ
@given(data=st.data())
def test_with_authentication_on_requests_without_a_valid_token_get_401_and_change_nothing(
    bot: Bot, errors: ErrorLog, data: st.DataObject
) -> None:
    """With an app id configured, any body with a missing or malformed token is a 4xx and changes nothing."""
    body = data.draw(st.one_of(broken_bodies(), member_messages(bot), forged_card_actions(bot)))
    header = data.draw(AUTHORIZATION)
    status = _check(
        bot, errors, body, False, {"Authorization": header} if header is not None else {}, bot.authenticated_url
    )
    assert 400 <= status < 500
