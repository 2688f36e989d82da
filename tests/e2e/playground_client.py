"""Drive a running Agents Playground over HTTP and its WebSocket the way a Teams user would.

What the Playground does (read from its shipped server code, 0.2.28):
- Messages typed through `POST /_conversation/v1/conversations/{id}/messages` always come from the
  config's `currentUser`; in a channel the bot receives them only when they @mention it. To act as
  another user either start the Playground with `playground_config(current_user_id=...)` or use
  `send_activity_as`, which forwards a hand-built activity verbatim (`POST /_internal/v1/customActivities`).
- Card actions (`invoke`, `submit`) take `from.id` from the request, so any team member can click.
- Every message the bot posts, updates or types is pushed on the WebSocket as
  `{"action": "createMessage"|"updateMessage"|"typing", "actionConversationId": ..., "message": {...}}`;
  frames sent while no client is connected are buffered and flushed to the first one that connects.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import aiohttp

logger = logging.getLogger(__name__)

WS_PATH = "/_ws_conversation/v1/conversations/stream"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


class PlaygroundClientError(RuntimeError):
    """The Playground answered an API call with an error."""


@dataclass(frozen=True)
class PlaygroundUser:
    """A user of the Playground's tenant."""

    id: str
    name: str
    aad_object_id: str
    email: str
    user_principal_name: str

    @classmethod
    def from_config(cls, raw: dict[str, Any]) -> PlaygroundUser:
        """Read one user from `GET /_internal/v1/config`."""
        return cls(raw["id"], raw["name"], raw["aadObjectId"], raw["email"], raw["userPrincipleName"])


@dataclass(frozen=True)
class PlaygroundConfig:
    """The tenant the Playground emulates: one team with its channels, the typing user, the others, the bot."""

    tenant_id: str
    bot_id: str
    bot_name: str
    team_id: str
    team_name: str
    channels: dict[str, str]  # display name -> id; the General channel's id is the team id
    current_user: PlaygroundUser
    users: tuple[PlaygroundUser, ...]
    personal_chat_id: str
    group_chat_id: str

    @classmethod
    def from_response(cls, raw: dict[str, Any]) -> PlaygroundConfig:
        """Read `GET /_internal/v1/config`."""
        config = raw["config"]
        team = config["teams"][0]
        return cls(
            tenant_id=config["tenantId"],
            bot_id=config["bot"]["id"],
            bot_name=config["bot"]["name"],
            team_id=team["id"],
            team_name=team["name"],
            channels={channel["name"]: channel["id"] for channel in team["channels"]},
            current_user=PlaygroundUser.from_config(config["currentUser"]),
            users=tuple(PlaygroundUser.from_config(user) for user in config["users"]),
            personal_chat_id=config["personalChat"]["id"],
            group_chat_id=config["groupChats"][0]["id"],
        )

    @property
    def general_channel_id(self) -> str:
        """The General channel (same id as the team)."""
        return self.team_id

    def user(self, user_id: str) -> PlaygroundUser:
        """The user with this id (the current user included)."""
        for candidate in (self.current_user, *self.users):
            if candidate.id == user_id:
                return candidate
        raise KeyError(user_id)


@dataclass(frozen=True)
class SentMessage:
    """The Playground's answer to a user message: in a channel, a new thread `{channel};messageid={id}`."""

    message_id: str
    post_conversation_id: str | None
    timestamp: int


@dataclass(frozen=True)
class BotFrame:
    """One WebSocket frame: something the bot posted, updated, or a typing indicator."""

    action: str
    conversation_id: str
    message: dict[str, Any] = field(default_factory=dict)

    @property
    def message_id(self) -> str | None:
        """The Playground's id of the message (a millisecond timestamp string)."""
        return self.message.get("messageId")

    @property
    def thread_id(self) -> str:
        """The conversation a reply or card action must name (thread id for a root post, else the frame's).

        An `updateMessage` frame of a root post carries only the channel id: match updates by `message_id`.
        """
        return str(self.message.get("postConversationId") or self.conversation_id)

    @property
    def text(self) -> str | None:
        """The message text, if any."""
        return self.message.get("text")

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards attached to the message."""
        return [a["content"] for a in self.message.get("attachments", []) if a.get("contentType") == ADAPTIVE_CARD]


Predicate = Callable[[BotFrame], bool]


class PlaygroundClient:
    """An aiohttp client of one Playground; `async with PlaygroundClient(pg.base_url) as client: ...`."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.frames: list[BotFrame] = []  # everything received, in order, for assertions and debugging
        self._pending: list[BotFrame] = []  # received and not yet returned by next_bot_message
        self._arrived = asyncio.Condition()
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._config: PlaygroundConfig | None = None

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the HTTP session and the WebSocket (connect before acting so no frame goes to another client)."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout + 20))
        ws_url = self.base_url.replace("http://", "ws://", 1) + WS_PATH
        self._ws = await self._session.ws_connect(ws_url, heartbeat=30)
        self._reader = asyncio.create_task(self._read_frames(self._ws))

    async def close(self) -> None:
        """Close the WebSocket and the session."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()

    async def config(self) -> PlaygroundConfig:
        """The tenant; the Playground holds this call until the bot's endpoint answers (at most 15 s)."""
        if self._config is None:
            self._config = PlaygroundConfig.from_response(await self._request("GET", "/_internal/v1/config"))
        return self._config

    async def install(self, conversation_id: str | None = None) -> None:
        """Install the bot in the team (default) or a chat: the bot gets installationUpdate and conversationUpdate."""
        target = conversation_id or (await self.config()).team_id
        await self._request("POST", f"/_debug/conversation/{target}/installation", {})

    async def send_message(self, conversation_id: str, text: str, *, mention_bot: bool = False) -> SentMessage:
        """Type a message as the current user; in a channel the bot only receives it when @mentioned.

        `conversation_id` is a channel id (starts a new thread) or a thread id `{channel};messageid={id}` (a reply).
        """
        body: dict[str, Any] = {"from": {"id": (await self.config()).current_user.id}, "textFormat": "plain"}
        if mention_bot:
            config = await self.config()
            mention_text = f"<at>{config.bot_name}</at>"
            text = f"{mention_text} {text}"
            body["mentions"] = [{"mentioned": {"id": config.bot_id, "name": config.bot_name}, "text": mention_text}]
        body["text"] = text
        answer = await self._request("POST", f"/_conversation/v1/conversations/{conversation_id}/messages", body)
        return SentMessage(answer["messageId"], answer.get("postConversationId"), answer["timestamp"])

    async def send_activity_as(
        self,
        user_id: str,
        conversation_id: str,
        text: str,
        *,
        mention_bot: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Deliver a message activity from any user straight to the bot (not stored or shown by the Playground).

        Unlike `send_message`, the bot receives it with or without a mention. The conversation must exist in
        the Playground (a channel or an existing thread) or the bot's reply gets 404. Returns the activity sent.
        """
        config = await self.config()
        template = "/_internal/v1/customActivities/template"
        activity: dict[str, Any] = await self._request("GET", template, params={"conversationId": conversation_id})
        user = config.user(user_id)
        channel_id = conversation_id.split(";", 1)[0]
        is_channel = channel_id in config.channels.values()
        entities: list[dict[str, Any]] = []
        if mention_bot:
            mention_text = f"<at>{config.bot_name}</at>"
            text = f"{mention_text} {text}"
            entities.append(
                {"type": "mention", "mentioned": {"id": config.bot_id, "name": config.bot_name}, "text": mention_text}
            )
        entities.append({"type": "clientInfo", "locale": "en-US", "country": "US"})
        activity.update(
            type="message",
            text=text,
            textFormat="plain",
            locale="en-US",
            entities=entities,
            **{"from": {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id}},
        )
        activity["conversation"]["id"] = conversation_id
        activity["channelData"] = {"tenant": {"id": config.tenant_id}}
        if is_channel:
            activity["channelData"].update(
                teamsChannelId=channel_id,
                teamsTeamId=config.team_id,
                team={"id": config.team_id},
                channel={"id": channel_id},
            )
        activity.update(extra or {})
        await self._request("POST", "/_internal/v1/customActivities", activity)
        return activity

    async def invoke(
        self,
        thread_id: str,
        message_id: str,
        data: dict[str, Any],
        *,
        verb: str | None = None,
        from_id: str | None = None,
    ) -> dict[str, Any]:
        """Click an Action.Execute on a card the bot posted; returns what the Playground gives back: `{type, value}`.

        With a card response (`type` = the Adaptive Card content type) the Playground replaces the card in place.
        """
        action: dict[str, Any] = {"type": "Action.Execute", "data": data}
        if verb is not None:
            action["verb"] = verb
        body = {
            "name": "adaptiveCard/action",
            "value": {"action": action, "trigger": "manual"},
            "from": {"id": from_id or (await self.config()).current_user.id},
            "conversation": {"id": thread_id},
            "replyToId": message_id,
        }
        result: dict[str, Any] = await self._request("POST", "/_conversation/v1/invoke", body)
        return result

    async def submit(
        self, thread_id: str, message_id: str, data: dict[str, Any], *, from_id: str | None = None
    ) -> None:
        """Click an Action.Submit: the bot receives a message activity with `value` and `replyToId`."""
        body = {
            "value": data,
            "from": {"id": from_id or (await self.config()).current_user.id},
            "conversation": {"id": thread_id},
            "replyToId": message_id,
        }
        await self._request("POST", "/_conversation/v1/submit", body)

    async def next_bot_message(self, predicate: Predicate | None = None, *, within: float | None = None) -> BotFrame:
        """The oldest frame not yet returned that matches (default: a new or updated message); waits `within` s."""
        wanted = predicate or (lambda frame: frame.action in ("createMessage", "updateMessage"))
        async with asyncio.timeout(within or self.timeout), self._arrived:
            while True:
                for index, frame in enumerate(self._pending):
                    if wanted(frame):
                        return self._pending.pop(index)
                await self._arrived.wait()

    async def _request(self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None) -> Any:
        assert self._session is not None, "call connect() first"
        async with self._session.request(method, self.base_url + path, json=body, params=params) as response:
            text = await response.text()
            if response.status >= 400:
                raise PlaygroundClientError(f"{method} {path} -> {response.status}: {text}")
            return json.loads(text) if text else None

    async def _read_frames(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for raw in ws:
            if raw.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(raw.data)
            frame = BotFrame(data.get("action", ""), data.get("actionConversationId", ""), data.get("message") or {})
            logger.debug("playground frame: %s", data)
            async with self._arrived:
                self.frames.append(frame)
                self._pending.append(frame)
                self._arrived.notify_all()
