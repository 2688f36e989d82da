"""Harvest: read the replies to each open round's question through Graph and store them as answers.

A new reply adds an answer, an edited one (later `lastModifiedDateTime`) updates it, a deleted one hides
it; the bot's own messages and system messages are skipped. Answers are keyed by the reply's message id,
so replies the bot already received directly (RSC `ChannelMessage.Read.Group`) are not duplicated.
After each page the sink remembers the next link, so a harvest interrupted by faults resumes there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.graph.errors import GraphCredentialError, GraphError
from bot.graph.model import GraphUser, Reply
from bot.graph.port import GraphPort
from rkk.answers import UNKNOWN_BESTUUR, ReplySink, bestuur_for, body_to_text

logger = logging.getLogger(__name__)

_STALE_LINK = frozenset({400, 404, 410})  # how Graph refuses a next link whose skip token expired


@dataclass(frozen=True)
class OpenRound:
    """A round whose question thread is harvested."""

    round_id: int
    team_id: str
    channel_id: str
    message_id: str  # the root message: the question card the bot posted


@dataclass
class HarvestReport:
    """What a harvest did, summed over rounds."""

    rounds: int = 0
    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    hidden: int = 0
    skipped: int = 0  # the bot's own, system messages, empty bodies
    failed: dict[int, str] = field(default_factory=dict)  # round id -> why
    no_token: str | None = None  # why Graph gave no access token (then no round was read)

    def add(self, other: HarvestReport) -> None:
        """Fold another report into this one."""
        for name in ("rounds", "pages", "added", "updated", "unchanged", "hidden", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed.update(other.failed)
        self.no_token = self.no_token or other.no_token


async def harvest(
    graph: GraphPort,
    sink: ReplySink,
    rounds: Iterable[OpenRound],
    domains: Mapping[str, str],
    *,
    concurrency: int = 20,
) -> HarvestReport:
    """Harvest every round (several at once); a round that fails is reported and resumes next time.

    The first round goes alone: when Graph gives no access token, the others are reported as failed
    with the same reason instead of asking Entra ID once per round.
    """
    gate = asyncio.Semaphore(concurrency)
    pending = list(rounds)
    if not pending:
        return HarvestReport()
    report = await harvest_round(graph, sink, pending[0], domains)
    if report.no_token is not None:
        for round_ in pending[1:]:
            report.rounds += 1
            report.failed[round_.round_id] = report.no_token
        return report

    async def one(round_: OpenRound) -> None:
        async with gate:
            report.add(await harvest_round(graph, sink, round_, domains))

    async with asyncio.TaskGroup() as group:
        for round_ in pending[1:]:
            group.create_task(one(round_))
    return report


async def harvest_round(
    graph: GraphPort, sink: ReplySink, round_: OpenRound, domains: Mapping[str, str]
) -> HarvestReport:
    """Harvest one round from where its last harvest stopped; Graph failures end up in `failed`."""
    report = HarvestReport(rounds=1)
    cursor = await sink.harvest_cursor(round_.round_id)
    try:
        try:
            await _read(graph, sink, round_, domains, cursor, report)
        except GraphError as e:
            if cursor is None or report.pages or e.status not in _STALE_LINK:
                raise
            logger.warning("round %s: stored next link refused (%s), reading from the start", round_.round_id, e)
            await sink.set_harvest_cursor(round_.round_id, None)
            await _read(graph, sink, round_, domains, None, report)
    except GraphCredentialError as e:  # not this round's fault: the harvest logs it once
        report.failed[round_.round_id] = report.no_token = str(e)
    except GraphError as e:
        logger.warning("round %s: harvest stopped after %d pages: %s", round_.round_id, report.pages, e)
        report.failed[round_.round_id] = str(e)
    return report


async def _read(
    graph: GraphPort,
    sink: ReplySink,
    round_: OpenRound,
    domains: Mapping[str, str],
    cursor: str | None,
    report: HarvestReport,
) -> None:
    pages = graph.reply_pages(round_.team_id, round_.channel_id, round_.message_id, resume_from=cursor)
    async for page in pages:
        authors = {r.user_id for r in page.replies if r.by_user and r.deleted is None and r.user_id}
        users = await graph.users(authors) if authors else {}
        for reply in page.replies:
            await _store(sink, round_.round_id, reply, users, domains, report)
        await sink.set_harvest_cursor(round_.round_id, page.next_link)
        report.pages += 1


async def _store(
    sink: ReplySink,
    round_id: int,
    reply: Reply,
    users: Mapping[str, GraphUser],
    domains: Mapping[str, str],
    report: HarvestReport,
) -> None:
    if not reply.by_user or reply.user_id is None:
        report.skipped += 1
        return
    if reply.deleted is not None:
        report.hidden += await sink.hide_reply(round_id, reply.id)
        return
    text = body_to_text(reply.content_type, reply.content)
    if not text:
        report.skipped += 1
        return
    user = users.get(reply.user_id)
    bestuur = bestuur_for(user.address, domains) if user else UNKNOWN_BESTUUR
    name = (user.display_name if user else None) or reply.user_name or reply.user_id
    outcome = await sink.upsert_reply(
        round_id, reply.id, reply.user_id, name, bestuur, text, reply.created, reply.modified
    )
    setattr(report, outcome, getattr(report, outcome) + 1)
