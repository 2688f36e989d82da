"""Benchmark of the harvest: 50 open rounds x 200 replies through msgraph-sdk against the Graph double.

The double enforces Graph's documented Microsoft Teams limits for reading channel messages (20 requests
a second per app per tenant, 4 a second per team or channel) and throttles 10% of all requests at
random with a short Retry-After. Prints the elapsed time, the minimum those limits allow, their ratio,
the requests sent and the replies stored. Run: `python -m bench.harvest [--rounds 50 --replies 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import random
import time
import warnings

from bot.graph.adapter import connect_graph
from bot.graph.client import StaticTokenCredential
from bot.graph.harvest import OpenRound, harvest
from tests.doubles.graph_double import GraphState, TeamsLimits, running_graph_double
from tests.doubles.reply_sink import InMemoryReplySink

logger = logging.getLogger(__name__)

PAGE = 50  # Graph's maximum $top for replies
DOMAINS = {f"gemeente{n}.be": f"Gemeente {n}" for n in range(30)}


def seeded_state(rounds: int, replies: int, throttle: float, retry_after: float) -> tuple[GraphState, list[OpenRound]]:
    """A tenant with one RKK team a round, 60 members (a sixth of them guests) and their replies."""
    state = GraphState(limits=TeamsLimits(), throttle_ratio=throttle, throttle_retry_after=retry_after)
    state.rng = random.Random(48)
    for n in range(60):
        domain = f"gemeente{n % 30}.be"
        state.add_user(
            f"user-{n}", f"Lid {n}", f"lid{n}@{domain}", guest_of="victor.onmicrosoft.com" if n % 6 == 0 else None
        )
    open_rounds = []
    for r in range(rounds):
        team_id = f"{r:08x}-0000-4000-8000-000000000000"
        channel_id = f"19:vraag-{r}@thread.tacv2"
        state.add_team(team_id, f"RKK {r}")
        state.add_channel(team_id, channel_id, "Vraag van de week")
        thread = (team_id, channel_id, f"17000000{r:05d}")
        for n in range(replies):
            state.add_reply(
                thread, f"{r}-{n}", user_id=f"user-{(r * 7 + n) % 60}", html=f"<p>Antwoord {n} in RKK {r}</p>"
            )
        open_rounds.append(OpenRound(r + 1, *thread))
    return state, open_rounds


async def run(rounds: int, replies: int, throttle: float, retry_after: float, concurrency: int) -> int:
    """Run the harvest once and print its figures; 0 when every reply was stored exactly once."""
    state, open_rounds = seeded_state(rounds, replies, throttle, retry_after)
    sink = InMemoryReplySink()
    limits = TeamsLimits()
    pages = rounds * math.ceil(replies / PAGE)
    # Graph counts every request, throttled ones too: with a share `throttle` of requests refused at random,
    # any client needs pages / (1 - throttle) requests on average. Graph's bucket starts with a second's worth.
    needed = pages / (1.0 - throttle)
    burst = limits.messages_per_tenant
    minimum = max(0.0, needed - burst) / limits.messages_per_tenant
    async with running_graph_double(state) as double:
        graph = connect_graph(StaticTokenCredential(), double.base_url)
        try:
            started = time.perf_counter()
            report = await harvest(graph, sink, open_rounds, DOMAINS, concurrency=concurrency)
            elapsed = time.perf_counter() - started
        finally:
            await graph.close()
    stored = len(sink.answers)
    exactly_once = stored == rounds * replies and sink.writes["upsert"] == stored and not report.failed
    sent = sum(state.statuses.values())
    print(f"rounds x replies          {rounds} x {replies} ({pages} pages of {PAGE})")
    print(
        f"limits (Graph, Teams)     GET channel message {limits.messages_per_tenant:g} rps per app per tenant, "
        f"{limits.per_team:g} rps per team"
    )
    print(
        f"throttled at random       {throttle:.0%} of requests, Retry-After {retry_after:g} s "
        "(kept short so the bench runs in seconds; Graph usually says more)"
    )
    print(f"elapsed                   {elapsed:.2f} s")
    print(
        f"minimum the limits allow  {minimum:.2f} s ({pages} pages = {needed:.0f} requests at {throttle:.0%} "
        f"refused, less a {burst:g}-request burst, at {limits.messages_per_tenant:g} a second)"
    )
    print(f"ratio                     {elapsed / minimum:.2f} (target <= 1.3)" if minimum else "ratio n/a")
    print(
        f"requests sent             {sent} (replies {state.requests['replies']}, $batch {state.requests['$batch']}, "
        f"429 {state.statuses[429]}: {state.requests['faults']} at random, "
        f"{state.requests['over_limit']} over the limits)"
    )
    print(
        f"replies stored            {stored} of {rounds * replies}, upserts {sink.writes['upsert']}, "
        f"failed rounds {len(report.failed)}: {'every reply exactly once' if exactly_once else 'MISMATCH'}"
    )
    return 0 if exactly_once else 1


def main() -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--throttle", type=float, default=0.10)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # msgraph-sdk's generated builders
    return asyncio.run(run(args.rounds, args.replies, args.throttle, args.retry_after, args.concurrency))


if __name__ == "__main__":
    raise SystemExit(main())
