"""A Microsoft Graph double: an aiohttp app serving the endpoints the bot uses, with Graph's JSON shapes.

Strict like Graph: a bearer token is required (401 otherwise), unknown paths are 404, bad bodies 400,
`$top` above 50 on replies is 400, `$batch` takes 1 to 20 requests with relative urls, and properties
Graph returns only when selected (an installation's `consentedPermissionSet`) are left out otherwise. Faults (429 with
or without Retry-After, 5xx, slow answers, a failing next link, a failing batch item) and the Teams rate
limits for channel messages are switched on through `GraphState`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from aiohttp import web

from tests.doubles.graph_calendar import CALENDAR_ROUTES
from tests.doubles.graph_shapes import Answer, Call, error
from tests.doubles.graph_shapes import BadRequest as _BadRequest
from tests.doubles.graph_state import APP_CATALOG_BIND, BOT_APP_ID, Fault, GraphState, TeamsLimits, seconds_to_retry

__all__ = ["BOT_APP_ID", "GraphDouble", "GraphState", "TeamsLimits", "graph_app", "running_graph_double"]

logger = logging.getLogger(__name__)

STATE: web.AppKey[GraphState] = web.AppKey("graph_state", GraphState)
MAX_BATCH = 20
MAX_REPLIES_TOP = 50


Handler = Callable[[GraphState, Call], Answer]


def _collection(call: Call, items: list[dict[str, Any]], context: str) -> dict[str, Any]:
    return {"@odata.context": f"{call.base}/$metadata#{context}", "@odata.count": len(items), "value": items}


def _page(call: Call, items: list[dict[str, Any]], size: int, context: str) -> dict[str, Any]:
    """One page of `items` starting at the $skiptoken, with an @odata.nextLink when more follow."""
    start = _decode_skip(call.query.get("$skiptoken"))
    if start is None or start > len(items):
        raise _BadRequest("The skip token is not valid.")
    chunk = items[start : start + size]
    page: dict[str, Any] = {"@odata.context": f"{call.base}/$metadata#{context}", "value": chunk}
    if start + size < len(items):
        keep = {k: v for k, v in call.query.items() if k != "$skiptoken"}
        keep["$skiptoken"] = base64.urlsafe_b64encode(f"offset={start + size}".encode()).decode()
        page["@odata.nextLink"] = f"{call.base}{call.path}?" + urlencode(keep, quote_via=quote, safe="$'(),/:")
    return page


def _decode_skip(token: str | None) -> int | None:
    if token is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        return int(text.removeprefix("offset="))
    except (ValueError, UnicodeDecodeError):
        return None


def _eq_filter(expression: str | None, field_name: str) -> str | None:
    """The value of `field eq 'value'` (OData quotes doubled inside), or None when there is no filter."""
    if expression is None:
        return None
    match = re.fullmatch(rf"\s*{re.escape(field_name)}\s+eq\s+'((?:[^']|'')*)'\s*", expression)
    if not match:
        raise _BadRequest(f"Invalid filter clause: {expression}")
    return match.group(1).replace("''", "'")


# --- resources ---------------------------------------------------------------------------------------


def get_team(state: GraphState, call: Call) -> Answer:
    team = state.teams.get(call.params[0])
    if team is None:
        return error(404, "NotFound", f"No team found with Group Id {call.params[0]}")
    return Answer(200, {"@odata.context": f"{call.base}/$metadata#teams/$entity", **team})


def list_teams(state: GraphState, call: Call) -> Answer:
    name = _eq_filter(call.query.get("$filter"), "displayName")
    teams = [t for t in state.teams.values() if name is None or t["displayName"] == name]
    return Answer(200, _collection(call, teams, "teams"))


def list_channels(state: GraphState, call: Call) -> Answer:
    if call.params[0] not in state.teams:
        return error(404, "NotFound", f"No team found with Group Id {call.params[0]}")
    name = _eq_filter(call.query.get("$filter"), "displayName")
    channels = [c for c in state.channels[call.params[0]].values() if name is None or c["displayName"] == name]
    return Answer(200, _collection(call, channels, f"teams('{call.params[0]}')/channels"))


def get_channel(state: GraphState, call: Call) -> Answer:
    team_id, channel_id = call.params
    channel = state.channels.get(team_id, {}).get(channel_id)
    if channel is None:
        return error(404, "NotFound", "Channel not found")
    return Answer(200, {"@odata.context": f"{call.base}/$metadata#teams('{team_id}')/channels/$entity", **channel})


def list_members(state: GraphState, call: Call) -> Answer:
    team_id = call.params[0]
    if team_id not in state.teams:
        return error(404, "NotFound", f"No team found with Group Id {team_id}")
    members = state.members[team_id]
    expression = call.query.get("$filter")
    if expression is not None:
        if re.sub(r"\s+", "", expression) != "roles/any(r:req'owner')":
            raise _BadRequest(f"Invalid filter clause: {expression}")
        members = [m for m in members if "owner" in m["roles"]]
    return Answer(200, _page(call, members, state.members_page_size, f"teams('{team_id}')/members"))


# teamsAppInstallation: its structural properties, what Graph returns without $select (example 1 of
# "List apps in team" shows only the id; "A $select query parameter is required to show the consented
# permission set", example 4), and its navigation properties (returned only when expanded).
INSTALLATION_PROPERTIES = frozenset({"id", "consentedPermissionSet"})
INSTALLATION_DEFAULT = ("id",)
INSTALLATION_NAVIGATION = frozenset({"teamsApp", "teamsAppDefinition"})


def list_installed_apps(state: GraphState, call: Call) -> Answer:
    team_id = call.params[0]
    if team_id not in state.teams:
        return error(404, "NotFound", f"No team found with Group Id {team_id}")
    app_id = _eq_filter(call.query.get("$filter"), "teamsApp/id")
    expand = _names(call.query.get("$expand"))
    select = _names(call.query.get("$select"))
    if expand - INSTALLATION_NAVIGATION or select - INSTALLATION_PROPERTIES - INSTALLATION_NAVIGATION:
        raise _BadRequest(f"Parsing OData Select and Expand failed: {call.target}")
    shown = [name for name in INSTALLATION_PROPERTIES if name in select] if select else list(INSTALLATION_DEFAULT)
    items = []
    for installation in state.installed[team_id]:
        if app_id is not None and installation["teamsApp"]["id"] != app_id:
            continue
        item = {name: installation[name] for name in shown}
        for name in expand:  # expanded navigation properties come back whatever $select says (OData)
            item[name] = installation[name]
        items.append(item)
    return Answer(200, _collection(call, items, f"teams('{team_id}')/installedApps"))


def _names(option: str | None) -> set[str]:
    """The comma-separated names of a $select or $expand option."""
    return {name.strip() for name in (option or "").split(",") if name.strip()}


def install_app(state: GraphState, call: Call) -> Answer:
    team_id = call.params[0]
    if team_id not in state.teams:
        return error(404, "NotFound", f"No team found with Group Id {team_id}")
    if not isinstance(call.body, dict) or not isinstance(call.body.get("teamsApp@odata.bind"), str):
        raise _BadRequest("teamsApp@odata.bind is required")
    bind: str = call.body["teamsApp@odata.bind"]
    if not bind.startswith(APP_CATALOG_BIND) and not bind.startswith(f"{call.base}/appCatalogs/teamsApps/"):
        raise _BadRequest(f"Invalid odata.bind: {bind}")
    app_id = bind.rsplit("/", 1)[1]
    app = state.catalog.get(app_id)
    if app is None:
        return error(404, "NotFound", f"App {app_id} not found in the app catalog")
    if any(i["teamsApp"]["id"] == app_id for i in state.installed[team_id]):
        return error(409, "Conflict", "App is already installed in this team.")
    consented = _consented(call.body.get("consentedPermissionSet"))
    wanted = sorted(app["rsc"])
    given = sorted(p["permissionValue"] for p in consented if p.get("permissionType") == "application")
    if wanted != given:
        raise _BadRequest(f"The consented permissions {given} do not match those the app requires {wanted}.")
    state.install(team_id, app_id, consented)
    return Answer(201, None)


def _consented(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    permissions = value.get("resourceSpecificPermissions") if isinstance(value, dict) else None
    if not isinstance(permissions, list) or not all(isinstance(p, dict) for p in permissions):
        raise _BadRequest("consentedPermissionSet.resourceSpecificPermissions must be a list")
    return [
        {"permissionValue": str(p.get("permissionValue")), "permissionType": str(p.get("permissionType"))}
        for p in permissions
    ]


def list_replies(state: GraphState, call: Call) -> Answer:
    team_id, channel_id, message_id = call.params
    if channel_id not in state.channels.get(team_id, {}):
        return error(404, "NotFound", "Channel not found")
    where = (team_id, channel_id, message_id)
    if where not in state.replies:
        return error(404, "NotFound", f"Message {message_id} not found")
    try:
        top = int(call.query.get("$top", state.default_replies_top))
    except ValueError as e:
        raise _BadRequest("Invalid $top") from e
    if not 1 <= top <= MAX_REPLIES_TOP:
        raise _BadRequest(f"Invalid page size requested. Page size must be between 1 and {MAX_REPLIES_TOP}.")
    context = f"teams('{team_id}')/channels('{channel_id}')/messages('{message_id}')/replies"
    return Answer(200, _page(call, state.replies[where], top, context))


def get_user(state: GraphState, call: Call) -> Answer:
    key = call.params[0]
    user = state.users.get(key) or next(
        (u for u in state.users.values() if u["userPrincipalName"].lower() == key.lower()), None
    )
    if user is None:
        return error(
            404,
            "Request_ResourceNotFound",
            f"Resource '{key}' does not exist or one of its queried reference-property objects are not present.",
        )
    select = call.query.get("$select")
    shown = {k: v for k, v in user.items() if select is None or k in select.split(",")}
    return Answer(200, {"@odata.context": f"{call.base}/$metadata#users/$entity", **shown})


ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = [
    ("GET", re.compile(r"/teams"), "teams", list_teams),
    ("GET", re.compile(r"/teams/([^/]+)"), "team", get_team),
    ("GET", re.compile(r"/teams/([^/]+)/channels"), "channels", list_channels),
    ("GET", re.compile(r"/teams/([^/]+)/channels/([^/]+)"), "channel", get_channel),
    ("GET", re.compile(r"/teams/([^/]+)/members"), "members", list_members),
    ("GET", re.compile(r"/teams/([^/]+)/installedApps"), "installedApps", list_installed_apps),
    ("POST", re.compile(r"/teams/([^/]+)/installedApps"), "installApp", install_app),
    ("GET", re.compile(r"/teams/([^/]+)/channels/([^/]+)/messages/([^/]+)/replies"), "replies", list_replies),
    ("GET", re.compile(r"/users/([^/]+)"), "user", get_user),
    *CALENDAR_ROUTES,
]


def dispatch(state: GraphState, call: Call) -> tuple[str, Answer]:
    """Route one call (top-level or a batch item) and answer it, faults and limits included."""
    route = None
    for method, pattern, name, handler in ROUTES:
        match = pattern.fullmatch(call.path)
        if match:
            if method != call.method:
                route = route or ("", name)
                continue
            call.params = match.groups()
            return name, _answer(state, call, name, handler)
    if route:
        return route[1], error(405, "Request_BadRequest", f"Method {call.method} is not allowed on {call.path}")
    return "unknown", error(404, "UnknownError", f"Resource not found for the segment '{call.path}'.")


def _answer(state: GraphState, call: Call, name: str, handler: Handler) -> Answer:
    state.requests[name] += 1
    try:
        return handler(state, call)
    except _BadRequest as e:
        return error(400, "BadRequest", str(e))


# --- HTTP --------------------------------------------------------------------------------------------


def _authorized(state: GraphState, header: str | None) -> bool:
    if not header or not header.startswith("Bearer "):
        return False
    token = header.removeprefix("Bearer ").strip()
    return bool(token) and (state.tokens is None or token in state.tokens)


async def _handle(request: web.Request) -> web.Response:
    state = request.app[STATE]
    path = "/" + request.match_info["tail"]
    base = f"{request.scheme}://{request.host}/v1.0"
    target = path + ("?" + request.query_string if request.query_string else "")
    if not _authorized(state, request.headers.get("Authorization")):
        return _respond(error(401, "InvalidAuthenticationToken", "Access token is empty."))
    limited = _over_limit(state, path)
    if limited is not None:
        return _respond(limited)
    fault = state.take_fault(target)
    if fault is not None:
        answer = await _fault_answer(fault)
        if answer is not None:
            state.requests["faults"] += 1
            return _respond(answer)
    body: Any = None
    if request.method in ("POST", "PATCH", "PUT"):
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _respond(error(400, "BadRequest", "Unable to read JSON request payload."))
    if path == "/$batch":
        if request.method != "POST":
            return _respond(error(405, "Request_BadRequest", "Method not allowed on $batch"))
        return _respond(_batch(state, body, base))
    headers = {name.lower(): value for name, value in request.headers.items()}
    call = Call(request.method, path, dict(request.query), body, base, headers=headers)
    return _respond(dispatch(state, call)[1])


_TEAM_PATH = re.compile(r"/teams/([^/]+)(/channels/[^/]+/messages/[^/]+/replies)?(?:/.*)?")


def _over_limit(state: GraphState, path: str) -> Answer | None:
    """429 when the Teams limits are on and this request exceeds them; every request counts, throttled or not."""
    match = _TEAM_PATH.fullmatch(path)
    if state.limits is None or match is None:
        return None
    wait = state.over_limit(match.group(1), messages=match.group(2) is not None)
    if wait <= 0:
        return None
    state.requests["over_limit"] += 1
    retry = seconds_to_retry(wait)
    return error(429, "TooManyRequests", "Too many requests: Teams limit reached.", {"Retry-After": str(int(retry))})


async def _fault_answer(fault: Fault) -> Answer | None:
    if fault.delay:
        await asyncio.sleep(fault.delay)
        if fault.status == 0:
            return None
    if fault.status == 429:
        return error(429, "TooManyRequests", "Too many requests.", fault.headers())
    if fault.status == 503:
        return error(503, "ServiceUnavailable", "The service is temporarily unavailable.", fault.headers())
    return error(fault.status, "InternalServerError", "Injected failure.", fault.headers())


def _respond(answer: Answer) -> web.Response:
    headers = dict(answer.headers or {})
    if answer.body is None:
        return web.Response(status=answer.status, headers=headers)
    return web.json_response(answer.body, status=answer.status, headers=headers)


def _batch(state: GraphState, body: Any, base: str) -> Answer:
    state.requests["$batch"] += 1
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list) or not requests:
        return error(400, "BadRequest", "Invalid batch payload format.")
    if len(requests) > MAX_BATCH:
        return error(400, "BadRequest", f"Number of batch requests exceeds the maximum of {MAX_BATCH}.")
    ids = [r.get("id") if isinstance(r, dict) else None for r in requests]
    if any(not isinstance(i, str) or not i for i in ids) or len(set(ids)) != len(ids):
        return error(400, "BadRequest", "Batch request ids must be unique non-empty strings.")
    responses = []
    for item in requests:
        url = item.get("url")
        method = str(item.get("method", "")).upper()
        if not isinstance(url, str) or not url or "://" in url or method not in ("GET", "POST"):
            return error(400, "BadRequest", "Invalid batch payload format.")
        responses.append(_batch_item(state, item["id"], method, url, item.get("body"), base))
    return Answer(200, {"responses": responses})


def _batch_item(state: GraphState, item_id: str, method: str, url: str, body: Any, base: str) -> dict[str, Any]:
    relative = "/" + url.lstrip("/")
    parts = urlsplit(relative)
    fault = state.take_batch_item_fault(relative)
    if fault is not None:
        answer = error(
            fault.status,
            "TooManyRequests" if fault.status == 429 else "InternalServerError",
            "Injected batch item failure.",
            fault.headers(),
        )
    else:
        path = unquote(parts.path)  # as for top-level requests: Graph decodes %23 in a guest's UPN
        call = Call(method, path, dict(parse_qsl(parts.query, keep_blank_values=True)), body, base)
        answer = dispatch(state, call)[1]
    headers = {"Content-Type": "application/json", **(answer.headers or {})}
    item: dict[str, Any] = {"id": item_id, "status": answer.status, "headers": headers}
    if answer.body is not None:
        item["body"] = answer.body
    return item


@web.middleware
async def _count(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    response = await handler(request)
    state = request.app[STATE]
    state.statuses[response.status] += 1
    target = request.path.removeprefix("/v1.0") + ("?" + request.query_string if request.query_string else "")
    state.log.append((request.method, target, response.status))
    return response


def graph_app(state: GraphState) -> web.Application:
    """The aiohttp application serving Graph v1.0 under /v1.0."""
    app = web.Application(middlewares=[_count])
    app[STATE] = state
    app.router.add_route("*", "/v1.0/{tail:.*}", _handle)
    return app


class GraphDouble:
    """A running double: its base URL (…/v1.0) and its state."""

    def __init__(self, state: GraphState, base_url: str, runner: web.AppRunner) -> None:
        self.state = state
        self.base_url = base_url
        self._runner = runner

    async def close(self) -> None:
        """Stop serving."""
        await self._runner.cleanup()


@asynccontextmanager
async def running_graph_double(state: GraphState | None = None) -> AsyncIterator[GraphDouble]:
    """Serve the double on 127.0.0.1 on a free port for the duration of the block."""
    state = state or GraphState()
    runner = web.AppRunner(graph_app(state), access_log=None)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    site = web.SockSite(runner, sock)
    await site.start()
    double = GraphDouble(state, f"http://127.0.0.1:{port}/v1.0", runner)
    try:
        yield double
    finally:
        await double.close()
