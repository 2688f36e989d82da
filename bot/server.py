"""The aiohttp application: POST /api/messages for Teams and GET /healthz (liveness) for operators."""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import aiohttp
import jwt
import requests
from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse
from msrest.exceptions import ClientException
from msrest.serialization import Model

from bot.envelope import BadEnvelope, parse_activity_json
from bot.inbound_auth import credentials_problem
from i18n.catalog import Catalog, language_for
from observability.logs import bind_activity
from rkk.store.availability import database_unavailable

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # Teams activities are a few KiB; a 4,000-character answer fits easily

ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", Bot)
AUTH_REQUIRED = web.AppKey("auth_required", bool)
RETRY_AFTER_SECONDS = 30  # told to the Bot Connector when the database is down

# What sending a reply through the Bot Connector raises: msrest wraps HTTP and connection failures, and an
# answer that is not the JSON it expects (a proxy's error page) fails to deserialise.
SEND_ERRORS = (ClientException, DeserializationError, aiohttp.ClientError, TimeoutError)


@dataclass
class TurnOutcome:
    """What the turn error handler learnt, for the HTTP answer (set per request)."""

    database_down: bool = False


_OUTCOME: contextvars.ContextVar[TurnOutcome | None] = contextvars.ContextVar("turn_outcome", default=None)


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
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _error(413, f"body larger than {MAX_BODY_BYTES} bytes")
    header = request.headers.get("Authorization", "")
    if request.app[AUTH_REQUIRED]:
        problem = credentials_problem(header)
        if problem:
            return _error(401, problem)
    try:
        body = parse_activity_json(raw)
    except BadEnvelope as error:
        return _error(400, str(error))
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError) as error:
        return _error(400, f"malformed activity: {str(error)[:200]}")
    bind_activity(activity)  # its ids on every log line, its type on the activity count
    outcome = TurnOutcome()
    _OUTCOME.set(outcome)
    try:
        response = await request.app[ADAPTER].process_activity(header, activity, request.app[BOT].on_turn)
    except (PermissionError, jwt.PyJWTError) as error:
        logger.warning("rejected activity: %s", error)
        return _error(401, "not authorised")
    except (requests.RequestException, aiohttp.ClientError, TimeoutError) as error:
        # Turns never raise (the error handler catches all); this is the token check failing to reach
        # Microsoft's signing keys: the bot cannot tell a good token from a bad one right now.
        logger.error("could not verify a token: Microsoft's signing keys are unreachable: %s", error)
        return _unavailable("the signing keys to verify the token are unreachable")
    if outcome.database_down:
        return _unavailable("the database is unavailable")
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


def _unavailable(reason: str) -> web.Response:
    return web.json_response(
        {"error": {"status": 503, "message": f"{reason}; try again later"}},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _turn_error_handler(texts: Catalog) -> Any:
    """The adapter's last resort for an exception in a turn; it logs, tells the person if it can, never raises."""

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        try:
            if database_unavailable(error):
                logger.error("database unavailable during a %s turn: %s", activity.type, error)
                outcome = _OUTCOME.get()
                if outcome is not None:
                    outcome.database_down = True
                return
            if isinstance(error, SEND_ERRORS):
                logger.warning("a reply to a %s activity could not be sent: %s", activity.type, error)
                await _answer_invoke(turn_context, HTTPStatus.OK)  # what was done is done; Teams must not retry
                return
            logger.exception("unhandled error in turn", exc_info=error)
            await _answer_invoke(turn_context, HTTPStatus.INTERNAL_SERVER_ERROR)
            if activity.type == ActivityTypes.message:
                await turn_context.send_activity(texts.text("internal_error", language_for(activity.locale)))
        except Exception as failure:  # noqa: BLE001 - an error handler that raises turns any fault into a 500
            logger.warning("could not tell the sender about a failed turn: %s", failure)

    return on_turn_error


async def _answer_invoke(turn_context: TurnContext, status: HTTPStatus) -> None:
    """Give an invoke its HTTP answer unless the turn already gave one (stored by the adapter, not sent)."""
    if turn_context.activity.type != ActivityTypes.invoke:
        return
    if turn_context.turn_state.get(CloudAdapter._INVOKE_RESPONSE_KEY) is None:  # where botbuilder keeps it
        response = InvokeResponse(status=int(status))
        await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
