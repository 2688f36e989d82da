"""A Bot Connector double: the endpoints the bot calls, Teams' rate limits enforced, faults on demand.

Serves POST /v3/conversations (a new thread in a channel), POST /v3/conversations/{id}/activities
(a reply) and PUT /v3/conversations/{id}/activities/{activityId} (a card update). Every request is
checked against Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; 50/s per tenant);
a request over a limit gets 429 and counts as a violation. Faults are drawn per request from a
seeded generator: 429 with or without Retry-After, 503, or a timeout (the request is accepted,
then the answer never comes in time). A throttled conversation that comes back before its
Retry-After is answered 429 again and counted as an early retry. GET /_double/stats tells all.

Run as a process: `python -m tests.doubles.connector_double --port 0 [--throttle 0.1 ...]`; it
prints `LISTENING <port>` once it accepts requests. It binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import random
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

PER_CONVERSATION = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PER_TENANT = ((50, 1.0),)


@dataclass
class Faults:
    """What the double does wrong, and how often (ratios of eligible requests)."""

    throttle: float = 0.0  # 429 on a first attempt
    retry_after: float | None = 1.0  # seconds in the Retry-After header; None: no header
    unavailable: float = 0.0  # 503
    timeout: float = 0.0  # accept the request, then answer only after `hang` seconds
    hang: float = 5.0
    delay: float = 0.0  # every accepted request answers after this many seconds
    seed: int = 7


@dataclass
class Stats:
    """What the double saw."""

    requests: int = 0
    cards: dict[str, int] = field(default_factory=dict)  # channel id -> cards posted (question cards and others)
    notices: dict[str, int] = field(default_factory=dict)  # channel id -> text messages
    round_cards: dict[str, int] = field(default_factory=dict)  # round id -> cards
    round_arrivals: dict[str, list[float]] = field(default_factory=dict)  # round id -> wall-clock time of each card
    replies: dict[str, int] = field(default_factory=dict)  # thread -> replies
    updates: dict[str, int] = field(default_factory=dict)  # activity id -> updates
    throttled: int = 0  # injected 429s
    unavailable: int = 0
    timeouts: int = 0
    violations: int = 0  # requests over a Teams limit (the client's pacing failed)
    early_retries: int = 0  # came back before their Retry-After
    arrivals: list[float] = field(default_factory=list)  # monotonic time of every request
    first_at: float | None = None
    last_ok_at: float | None = None


class _Windows:
    """Sliding-window counters like Teams keeps them."""

    def __init__(self, windows: tuple[tuple[int, float], ...]) -> None:
        self.windows = windows
        self.times: deque[float] = deque(maxlen=max(limit for limit, _ in windows))

    def wait(self, now: float) -> float:
        """Seconds until one more request fits (0: it fits now)."""
        longest = 0.0
        for limit, seconds in self.windows:
            if len(self.times) >= limit:
                longest = max(longest, self.times[-limit] + seconds - now)
        return longest


class ConnectorDouble:
    """The double's state and request handlers."""

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self.stats = Stats()
        self._rng = random.Random(self.faults.seed)
        self._ids = itertools.count(1_700_000_000_000)
        self._tenant = _Windows(PER_TENANT)
        self._conversations: dict[str, _Windows] = {}
        self._not_before: dict[str, float] = {}

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application()
        app.router.add_post("/v3/conversations", self.create_conversation)
        app.router.add_post("/v3/conversations/{conversation}/activities", self.send_activity)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self.update_activity)
        app.router.add_get("/_double/stats", self.get_stats)
        app.router.add_post("/_double/faults", self.set_faults)
        return app

    def _gate(self, key: str, retryable: bool) -> web.Response | None:
        """Limits, Retry-After and injected faults; None when the request may go through."""
        now = time.monotonic()
        stats = self.stats
        stats.requests += 1
        stats.arrivals.append(now)
        stats.first_at = stats.first_at if stats.first_at is not None else now
        conversation = self._conversations.setdefault(key, _Windows(PER_CONVERSATION))
        not_before = self._not_before.get(key, 0.0)
        if now < not_before - 0.02:  # 20 ms for clock and scheduling noise
            stats.early_retries += 1
            return _throttle(not_before - now)
        wait = max(self._tenant.wait(now), conversation.wait(now))
        self._tenant.times.append(now)  # every request counts, refused or not
        conversation.times.append(now)
        if wait > 0:
            stats.violations += 1
            return _throttle(wait)
        draw = self._rng.random()
        faults = self.faults
        if retryable and draw < faults.throttle:
            stats.throttled += 1
            if faults.retry_after is not None:
                self._not_before[key] = now + faults.retry_after
            return _throttle(faults.retry_after)
        if retryable and draw < faults.throttle + faults.unavailable:
            stats.unavailable += 1
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        return None

    async def _answer(self, body: dict[str, Any], status: int = 201) -> web.Response:
        faults = self.faults
        if faults.timeout and self._rng.random() < faults.timeout:
            self.stats.timeouts += 1
            await asyncio.sleep(faults.hang)
        elif faults.delay:
            await asyncio.sleep(faults.delay)
        self.stats.last_ok_at = time.monotonic()
        return web.json_response(body, status=status)

    async def create_conversation(self, request: web.Request) -> web.Response:
        """A new thread at a channel's root (a question card or a notice)."""
        params = await request.json()
        channel = ((params.get("channelData") or {}).get("channel") or {}).get("id") or ""
        refused = self._gate(channel, retryable=True)
        if refused is not None:
            return refused
        activity = params.get("activity") or {}
        message_id = str(next(self._ids))
        round_id = _round_id(activity)
        if activity.get("attachments"):  # a card: a question, or another card such as a ballot
            _bump(self.stats.cards, channel)
            if round_id is not None:
                _bump(self.stats.round_cards, round_id)
                self.stats.round_arrivals.setdefault(round_id, []).append(time.time())
        else:
            _bump(self.stats.notices, channel)
        return await self._answer({"id": f"{channel};messageid={message_id}", "activityId": message_id})

    async def send_activity(self, request: web.Request) -> web.Response:
        """A message in a conversation or a reply in a thread."""
        conversation = request.match_info["conversation"]
        await request.json()
        refused = self._gate(conversation, retryable=True)
        if refused is not None:
            return refused
        _bump(self.stats.replies, conversation)
        return await self._answer({"id": str(next(self._ids))})

    async def update_activity(self, request: web.Request) -> web.Response:
        """Replace a message the bot posted."""
        conversation, activity_id = request.match_info["conversation"], request.match_info["activity"]
        await request.json()
        refused = self._gate(conversation, retryable=True)
        if refused is not None:
            return refused
        _bump(self.stats.updates, activity_id)
        return await self._answer({"id": activity_id}, status=200)

    async def get_stats(self, _request: web.Request) -> web.Response:
        """Everything counted so far."""
        return web.json_response(asdict(self.stats))

    async def set_faults(self, request: web.Request) -> web.Response:
        """Change the faults while running."""
        self.faults = Faults(**{**asdict(self.faults), **(await request.json())})
        return web.json_response(asdict(self.faults))


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _throttle(retry_after: float | None) -> web.Response:
    headers = {"Retry-After": f"{retry_after:.3f}"} if retry_after is not None else {}
    return web.json_response({"error": {"code": "TooManyRequests"}}, status=429, headers=headers)


def _round_id(activity: dict[str, Any]) -> str | None:
    """The round a question card belongs to (its refresh or action data), or None for plain text."""
    for attachment in activity.get("attachments") or []:
        content = attachment.get("content") or {}
        text = json.dumps(content)
        marker = '"roundId": '
        if marker in text:
            return text.split(marker, 1)[1].split(",", 1)[0].split("}", 1)[0].strip().strip('"')
    return None


async def serve(double: ConnectorDouble, port: int) -> tuple[web.AppRunner, int]:
    """Start the double on 127.0.0.1; the runner and the port it got."""
    runner = web.AppRunner(double.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server = site._server  # aiohttp keeps the bound socket here; needed for port 0
    assert server is not None
    return runner, int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]


def main() -> None:
    """Run the double until killed."""
    parser = argparse.ArgumentParser(description="Bot Connector double")
    parser.add_argument("--port", type=int, default=0)
    for name, default in asdict(Faults()).items():
        kind = int if name == "seed" else float
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default)
    parser.add_argument("--no-retry-after", action="store_true")
    args = parser.parse_args()
    values = {name: getattr(args, name) for name in asdict(Faults())}
    if args.no_retry_after:
        values["retry_after"] = None
    double = ConnectorDouble(Faults(**values))

    async def run() -> None:
        _runner, port = await serve(double, args.port)
        print(f"LISTENING {port}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
