"""The operators' HTTP side: `/readyz`, `/metrics` (not public by default) and the count of activities received.

`/metrics` is served only when the environment asks for it, in one of two ways:
- `RKKBOT_METRICS_ADDRESS=host:port`: on a listener of its own (bind it to an internal interface; the bot's
  public port then has no /metrics at all);
- `RKKBOT_METRICS_TOKEN=...`: on the bot's port, to requests with `Authorization: Bearer <token>`.
With both, the own listener asks for the token too.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from config.settings import SettingsError
from observability.health import Readiness
from observability.logs import bound_activity_type, unbind
from observability.metrics import Metrics

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"


@dataclass(frozen=True)
class MetricsAccess:
    """Where /metrics is served, and the token it asks for."""

    token: str = field(default="", repr=False)
    address: tuple[str, int] | None = None

    @property
    def on_bot_port(self) -> bool:
        """Whether /metrics is served on the bot's own port (behind the token)."""
        return bool(self.token) and self.address is None


def metrics_access_from_env(env: Mapping[str, str]) -> MetricsAccess:
    """Read RKKBOT_METRICS_TOKEN and RKKBOT_METRICS_ADDRESS; raise SettingsError naming a bad one."""
    token = env.get("RKKBOT_METRICS_TOKEN", "").strip()
    if token and len(token) < 16:
        raise SettingsError("RKKBOT_METRICS_TOKEN", "must be at least 16 characters (a random string)")
    raw = env.get("RKKBOT_METRICS_ADDRESS", "").strip()
    if not raw:
        return MetricsAccess(token)
    host, colon, port = raw.rpartition(":")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError("RKKBOT_METRICS_ADDRESS", f"must be host:port, such as 127.0.0.1:9464, not {raw!r}")
    return MetricsAccess(token, (host.strip("[]"), int(port)))


def observe_web_app(app: web.Application, metrics: Metrics, access: MetricsAccess, readiness: Readiness) -> None:
    """Add /readyz, /metrics when it belongs on this port, and the count of activities to the bot's app."""
    app.router.add_get("/readyz", readiness.readyz)
    if access.on_bot_port:
        app.router.add_get("/metrics", metrics_handler(metrics.registry, access.token))
    app.middlewares.append(count_activities(metrics))


@asynccontextmanager
async def metrics_listener(access: MetricsAccess, registry: CollectorRegistry) -> AsyncIterator[None]:
    """Serve /metrics on its own address while the block runs (nothing when no address is set)."""
    if access.address is None:
        if not access.token:
            logger.info("metrics off: set RKKBOT_METRICS_ADDRESS or RKKBOT_METRICS_TOKEN to serve /metrics")
        yield
        return
    app = web.Application()
    app.router.add_get("/metrics", metrics_handler(registry, access.token))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, port = access.address
    await web.TCPSite(runner, host, port).start()
    logger.info("metrics served on http://%s:%d/metrics", host, port)
    try:
        yield
    finally:
        await runner.cleanup()


def metrics_handler(registry: CollectorRegistry, token: str) -> Handler:
    """GET /metrics in the Prometheus text format; with a token, only for `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode()

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode()
        if token and not hmac.compare_digest(given, expected):
            return web.json_response(
                {"error": {"status": 401, "message": "a bearer token is required"}},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})

    return handle


def count_activities(metrics: Metrics) -> Middleware:
    """Middleware: each POST to /api/messages counted by its activity type and the status it was answered."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        unbind()
        if request.path != MESSAGES_PATH:
            return await handler(request)
        try:
            response = await handler(request)
        except web.HTTPException as error:
            metrics.activity(bound_activity_type(), error.status)
            raise
        except Exception:
            metrics.activity(bound_activity_type(), 500)  # aiohttp answers an escaped error with 500
            raise
        metrics.activity(bound_activity_type(), response.status)
        return response

    return middleware
