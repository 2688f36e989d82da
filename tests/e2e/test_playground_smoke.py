"""End to end with the Agents Playground and a throwaway echo bot: the driver works and the Playground's
Bot Connector supports what the RKK bot needs (new channel threads, card updates, thread replies, roster)."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ConversationParameters, ErrorResponseException, InvokeResponse

from playground.launcher import Playground, missing_prerequisite
from tests.e2e.app_process import free_port
from tests.e2e.playground_client import ADAPTIVE_CARD, PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(missing_prerequisite() is not None, reason=f"Agents Playground: {missing_prerequisite()}"),
]

CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Vraag van de week"}],
    "actions": [{"type": "Action.Execute", "title": "Antwoord", "verb": "answer", "data": {"k": 1}}],
}


class _AuthConfig:
    """No app id: the bot accepts unauthenticated activities and sends without a token, as the Playground does."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


@dataclass
class EchoBot(ActivityHandler):  # type: ignore[misc]
    """Echoes messages, answers card invokes with a new card, and keeps every activity it received."""

    received: list[dict[str, Any]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    probe: tuple[Callable[[TurnContext], Awaitable[Any]], asyncio.Future[Any]] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def record(self, raw: dict[str, Any]) -> None:
        """Keep an activity as it came over the wire (botbuilder's models drop e.g. a mention's fields)."""
        self.received.append(raw)
        self.arrived.set()

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if self.probe is not None:
            (logic, outcome), self.probe = self.probe, None
            try:
                outcome.set_result(await logic(turn_context))
            except Exception as error:  # noqa: BLE001 - handed to the test, which asserts on it
                outcome.set_exception(error)
            return
        if activity.value is not None:
            await turn_context.send_activity(f"submitted {json.dumps(activity.value, sort_keys=True)}")
            return
        text = TurnContext.remove_recipient_mention(activity) or ""
        await turn_context.send_activity(f"echo: {text.strip()}")

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name == "adaptiveCard/action":
            card = {**CARD, "body": [{"type": "TextBlock", "text": "Bedankt"}], "actions": []}
            return InvokeResponse(status=200, body={"statusCode": 200, "type": ADAPTIVE_CARD, "value": card})
        return await super().on_invoke_activity(turn_context)

    async def wait_for(self, activity_type: str, within: float = 10.0) -> dict[str, Any]:
        """The first received activity of this type, waiting for it if needed."""
        async with asyncio.timeout(within):
            while True:
                for activity in self.received:
                    if activity.get("type") == activity_type:
                        return activity
                self.arrived.clear()
                await self.arrived.wait()


@dataclass
class Harness:
    """The echo bot, its adapter and a driver connected to a Playground pointed at it."""

    bot: EchoBot
    adapter: CloudAdapter
    playground: Playground
    client: PlaygroundClient


async def _echo_bot_server(bot: EchoBot, adapter: CloudAdapter) -> tuple[web.AppRunner, int]:
    async def messages(request: web.Request) -> web.Response:
        raw = await request.json()
        bot.record(raw)
        activity = Activity().deserialize(raw)
        response = await adapter.process_activity(request.headers.get("Authorization", ""), activity, bot.on_turn)
        if response is None:
            return web.Response(status=201)
        return web.json_response(response.body, status=response.status)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()  # a small race with other processes, acceptable for a test bot
    await web.TCPSite(runner, "localhost", port).start()
    return runner, port


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    """A running echo bot and Playground, the bot installed in the team, the WebSocket connected."""
    bot = EchoBot()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_AuthConfig()))
    runner, bot_port = await _echo_bot_server(bot, adapter)
    try:
        async with Playground(bot_port) as playground, PlaygroundClient(playground.base_url) as client:
            await client.install()
            await bot.wait_for("conversationUpdate")
            try:
                yield Harness(bot, adapter, playground, client)
            finally:
                _dump_observations(bot, client)
    finally:
        await runner.cleanup()


def _dump_observations(bot: EchoBot, client: PlaygroundClient) -> None:
    """With PLAYGROUND_DUMP=path, write what the bot received and what the WebSocket carried (for docs)."""
    path = os.environ.get("PLAYGROUND_DUMP")
    if path:
        frames = [frame.__dict__ for frame in client.frames]
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"received": bot.received, "frames": frames}, indent=1, default=str) + "\n")


def _reference(received: dict[str, Any]) -> Any:
    return TurnContext.get_conversation_reference(Activity().deserialize(received))


async def _in_turn(harness: Harness, received: dict[str, Any], logic: Callable[[TurnContext], Awaitable[Any]]) -> Any:
    """Run logic(turn_context) in a proactive turn on the conversation of an activity the bot received."""
    result: list[Any] = []

    async def callback(turn_context: TurnContext) -> None:
        result.append(await logic(turn_context))

    await harness.adapter.continue_conversation(_reference(received), callback, "")
    return result[0]


async def _in_message_turn(harness: Harness, logic: Callable[[TurnContext], Awaitable[Any]]) -> Any:
    """Run logic(turn_context) while the bot handles a user's @mention in the General channel."""
    outcome: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    harness.bot.probe = (logic, outcome)
    config = await harness.client.config()
    await harness.client.send_message(config.general_channel_id, "probe", mention_bot=True)
    return await asyncio.wait_for(outcome, harness.client.timeout)


@pytest.mark.asyncio
async def test_install_sends_installation_update_and_conversation_update(harness: Harness) -> None:
    """Installing into the team sends installationUpdate (add) and conversationUpdate adding the bot."""
    config = await harness.client.config()
    install = await harness.bot.wait_for("installationUpdate")
    added = await harness.bot.wait_for("conversationUpdate")
    assert install["action"] == "add"
    assert install["channelData"]["team"]["id"] == config.team_id
    assert added["membersAdded"][0]["id"] == config.bot_id
    assert added["channelData"]["eventType"] == "teamMemberAdded"
    assert added["serviceUrl"] == harness.playground.service_url


@pytest.mark.asyncio
async def test_channel_message_with_mention_is_echoed_in_its_thread(harness: Harness) -> None:
    """A channel message that @mentions the bot reaches it in a new thread, and the echo shows on the WebSocket."""
    config = await harness.client.config()
    sent = await harness.client.send_message(config.general_channel_id, "hallo", mention_bot=True)
    echo = await harness.client.next_bot_message(lambda frame: (frame.text or "").startswith("echo"))
    assert sent.post_conversation_id == f"{config.general_channel_id};messageid={sent.message_id}"
    assert echo.text == "echo: hallo"
    assert echo.conversation_id == sent.post_conversation_id
    message = next(a for a in harness.bot.received if a["type"] == "message")
    assert message["conversation"]["id"] == sent.post_conversation_id
    assert message["from"]["id"] == config.current_user.id
    assert message["entities"][0]["mentioned"]["id"] == config.bot_id


@pytest.mark.asyncio
async def test_channel_message_without_mention_does_not_reach_the_bot(harness: Harness) -> None:
    """Like Teams without RSC, the Playground only delivers channel messages that @mention the bot."""
    config = await harness.client.config()
    await harness.client.send_message(config.general_channel_id, "niet voor de bot")
    await asyncio.sleep(0.5)
    assert [a for a in harness.bot.received if a["type"] == "message"] == []


@pytest.mark.asyncio
async def test_activity_as_another_user_reaches_the_bot(harness: Harness) -> None:
    """A hand-built activity from another member reaches the bot without a mention; its reply opens a thread."""
    config = await harness.client.config()
    member = config.users[0]
    await harness.client.send_activity_as(member.id, config.general_channel_id, "van Megan")
    echo = await harness.client.next_bot_message()
    message = await harness.bot.wait_for("message")
    assert message["from"]["aadObjectId"] == member.aad_object_id
    assert echo.text == "echo: van Megan"
    assert echo.thread_id.startswith(f"{config.general_channel_id};messageid=")


@pytest.mark.asyncio
async def test_reply_in_a_bot_thread_as_another_user_is_answered_in_that_thread(harness: Harness) -> None:
    """A member's reply under the bot's root post reaches the bot with the thread id; the bot answers in the thread."""
    config = await harness.client.config()
    installed = await harness.bot.wait_for("conversationUpdate")
    await _in_turn(harness, installed, lambda tc: tc.send_activity("Vraag van de week"))
    root = await harness.client.next_bot_message()
    await harness.client.send_activity_as(config.users[4].id, root.thread_id, "mijn antwoord")
    echo = await harness.client.next_bot_message()
    message = await harness.bot.wait_for("message")
    assert message["conversation"]["id"] == root.thread_id
    assert (echo.text, echo.conversation_id) == ("echo: mijn antwoord", root.thread_id)


@pytest.mark.asyncio
async def test_proactive_thread_card_update_invoke_submit_and_reply(harness: Harness) -> None:
    """create_conversation opens a thread; its card can be invoked, updated, submitted and replied to."""
    client, config = harness.client, await harness.client.config()
    installed = await harness.bot.wait_for("conversationUpdate")
    channel_id = config.channels["Announcements"]
    created: list[Any] = []

    async def capture(turn_context: TurnContext) -> None:
        created.append(turn_context.activity)

    parameters = ConversationParameters(
        is_group=True,
        channel_data={"channel": {"id": channel_id}},
        activity=MessageFactory.attachment(CardFactory.adaptive_card(CARD)),
    )
    await harness.adapter.create_conversation("", capture, parameters, "msteams", harness.playground.service_url, None)
    thread_id = created[0].conversation.id
    posted = await client.next_bot_message()
    assert thread_id == f"{channel_id};messageid={posted.message_id}"
    assert posted.thread_id == thread_id and posted.cards[0]["actions"][0]["verb"] == "answer"

    answer = await client.invoke(
        thread_id, posted.message_id or "", {"k": 1}, verb="answer", from_id=config.users[1].id
    )
    invoke = await harness.bot.wait_for("invoke")
    assert answer["type"] == ADAPTIVE_CARD and answer["value"]["body"][0]["text"] == "Bedankt"
    assert invoke["from"]["id"] == config.users[1].id and invoke["replyToId"] == posted.message_id

    updated_card = {**CARD, "body": [{"type": "TextBlock", "text": "3 antwoorden"}]}
    update = MessageFactory.attachment(CardFactory.adaptive_card(updated_card))
    update.id = posted.message_id
    await _in_turn(harness, {**installed, "conversation": {"id": thread_id}}, lambda tc: tc.update_activity(update))
    changed = await client.next_bot_message(lambda frame: frame.action == "updateMessage")
    assert changed.message_id == posted.message_id and changed.cards[0]["body"][0]["text"] == "3 antwoorden"

    await client.submit(thread_id, posted.message_id or "", {"answer": "ja"}, from_id=config.users[2].id)
    submitted = await client.next_bot_message(lambda frame: (frame.text or "").startswith("submitted"))
    assert submitted.conversation_id == thread_id

    reply = MessageFactory.text("in de draad")
    await _in_turn(harness, {**installed, "conversation": {"id": thread_id}}, lambda tc: tc.send_activity(reply))
    in_thread = await client.next_bot_message(lambda frame: frame.text == "in de draad")
    assert in_thread.conversation_id == thread_id and in_thread.message.get("postConversationId") is None


@pytest.mark.asyncio
async def test_roster_calls_return_members_with_email_upn_and_aad_object_id(harness: Harness) -> None:
    """TeamsInfo.get_member, get_team_channels and get_team_details answer from the Playground's tenant."""
    config = await harness.client.config()
    member = config.users[3]

    account = await _in_message_turn(harness, lambda tc: TeamsInfo.get_member(tc, member.id))
    channels = await _in_message_turn(harness, lambda tc: TeamsInfo.get_team_channels(tc, config.team_id))
    details = await _in_message_turn(harness, lambda tc: TeamsInfo.get_team_details(tc, config.team_id))
    members = await _in_message_turn(harness, lambda tc: TeamsInfo.get_team_members(tc, config.team_id))

    assert (account.email, account.user_principal_name, account.aad_object_id) == (
        member.email,
        member.user_principal_name,
        member.aad_object_id,
    )
    assert {(c.id, c.name) for c in channels} == {
        (config.team_id, None),
        (config.channels["Announcements"], "Announcements"),
    }
    assert details.aad_group_id and details.name == config.team_name
    assert len(members) == 1 + len(config.users)


@pytest.mark.asyncio
async def test_get_member_by_aad_object_id_is_not_supported(harness: Harness) -> None:
    """Teams also resolves a member by AAD object id; the Playground only knows its own user ids (404)."""
    config = await harness.client.config()
    with pytest.raises(ErrorResponseException, match="MemberNotFoundInConversation"):
        await _in_message_turn(harness, lambda tc: TeamsInfo.get_member(tc, config.users[0].aad_object_id))


@pytest.mark.asyncio
async def test_delete_activity_is_not_implemented(harness: Harness) -> None:
    """The Playground's connector answers DELETE of an activity with 501 (do not rely on it there)."""
    installed = await harness.bot.wait_for("conversationUpdate")
    sent = await _in_turn(harness, installed, lambda tc: tc.send_activity("weg ermee"))
    posted = await harness.client.next_bot_message()
    assert posted.text == "weg ermee" and sent.id == posted.message_id
    thread = {**installed, "conversation": {"id": posted.thread_id}}
    with pytest.raises(ErrorResponseException, match="DeleteActivityAPINotImplemented"):
        await _in_turn(harness, thread, lambda tc: tc.delete_activity(sent.id))
