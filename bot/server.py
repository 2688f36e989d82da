"""The aiohttp application: POST /api/messages for Teams and GET /healthz (liveness) for operators."""

from __future__ import annotations

import json
import logging
from typing import Any

import jwt
from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.core import Bot, TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse
from msrest.serialization import Model

from bot.inbound_auth import credentials_problem
from i18n.catalog import Catalog, language_for
from observability.logs import bind_activity

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # Teams activities are a few KiB; a 4,000-character answer fits easily

ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", Bot)
AUTH_REQUIRED = web.AppKey("auth_required", bool)


def create_web_app(adapter: CloudAdapter, bot: Bot, texts: Catalog, auth_required: bool) -> web.Application:
    """The HTTP app; resources it uses are opened and closed by the caller's cleanup context."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[ADAPTER], app[BOT], app[AUTH_REQUIRED] = adapter, bot, auth_required
    adapter.on_turn_error = _turn_error_handler(texts)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


async def messages(request: web.Request) -> web.StreamResponse:
    """Hand one Teams activity to the bot; bad requests get a 4xx with a reason, never a 500."""
    if request.content_type != "application/json":
        return _error(415, "Content-Type must be application/json")
    try:
        body = json.loads(await request.read())
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"body larger than {MAX_BODY_BYTES} bytes")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "body is not JSON")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return _error(400, "body is not an activity (an object with a type)")
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError) as error:
        return _error(400, f"malformed activity: {error}")
    bind_activity(activity)  # its ids on every log line, its type on the activity count
    header = request.headers.get("Authorization", "")
    if request.app[AUTH_REQUIRED]:
        problem = credentials_problem(header)
        if problem:
            return _error(401, problem)
    try:
        response = await request.app[ADAPTER].process_activity(header, activity, request.app[BOT].on_turn)
    except (PermissionError, jwt.PyJWTError) as error:
        logger.warning("rejected activity: %s", error)
        return _error(401, "not authorised")
    if response is None:
        return web.Response(status=201)
    return web.json_response(_serialisable(response.body), status=response.status)


async def healthz(_request: web.Request) -> web.Response:
    """Liveness: 200 while the process serves HTTP. The database and the scheduler are /readyz's concern."""
    return web.json_response({"status": "ok"})


def _serialisable(body: Any) -> Any:
    """An invoke body as JSON data, whether the handler gave a msrest model or plain data.

    AdaptiveCardInvokeResponse is written by hand: msrest types its `value` as a dict, so a
    message response (whose value is text) would fail to serialise and become a 500.
    """
    if isinstance(body, AdaptiveCardInvokeResponse):
        return {"statusCode": body.status_code, "type": body.type, "value": body.value}
    return serializer_helper(body) if isinstance(body, Model) else body


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": {"status": status, "message": message}}, status=status)


def _turn_error_handler(texts: Catalog) -> Any:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        logger.exception("unhandled error in turn", exc_info=error)
        if turn_context.activity.type == ActivityTypes.message:
            lang = language_for(turn_context.activity.locale)
            await turn_context.send_activity(texts.text("internal_error", lang))

    return on_turn_error
