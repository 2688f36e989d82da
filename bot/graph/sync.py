"""Sync: check each configured RKK against Graph (team, channel, app) and install the app where it lacks."""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.graph.errors import GraphCredentialError, GraphError, GraphForbidden, GraphNotFound
from bot.graph.model import GraphChannel, GraphTeam, MembershipType
from bot.graph.port import RSC_CHANNEL_MESSAGES, GraphPort

logger = logging.getLogger(__name__)

_TEXTS = Path(__file__).with_name("sync_texts.yaml")


class Status(enum.StrEnum):
    """How an RKK's Teams setup stands."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class SyncEntry:
    """One configured place the bot posts to: an RKK (or the Overkoepelend team) with its team and channel."""

    rkk: str
    team: str  # group id or display name
    channel: str  # display name or channel id


@dataclass(frozen=True)
class SyncRow:
    """The outcome for one entry: what was found and, in Dutch, what the operator must fix."""

    rkk: str
    team: str
    channel: str
    status: Status
    fixes: tuple[str, ...] = ()
    team_id: str | None = None
    channel_id: str | None = None


@dataclass(frozen=True)
class InstallRow:
    """The outcome of installing the app for one entry."""

    rkk: str
    team: str
    installed: bool
    detail: str


@cache
def texts() -> Mapping[str, Any]:
    """The Dutch operator texts."""
    with _TEXTS.open(encoding="utf-8") as handle:
        loaded: Mapping[str, Any] = yaml.safe_load(handle)
    return loaded


async def sync_report(graph: GraphPort, entries: Iterable[SyncEntry], teams_app_id: str) -> list[SyncRow]:
    """Check every entry: the team exists, the channel exists and is not private, the app is installed."""
    return [await check_entry(graph, entry, teams_app_id) for entry in entries]


async def check_entry(graph: GraphPort, entry: SyncEntry, teams_app_id: str) -> SyncRow:
    """Check one entry against Graph."""
    say = texts()
    try:
        team = await graph.team(entry.team)
    except GraphNotFound:
        return SyncRow(
            entry.rkk, entry.team, entry.channel, Status.ERROR, (say["team_missing"].format(team=entry.team),)
        )
    except GraphError as e:
        return _failed(entry, e)
    fixes: list[str] = []
    warnings: list[str] = []
    try:
        channel = _find_channel(await graph.channels(team.id), entry.channel)
        installation = await graph.installation(team.id, teams_app_id)
    except GraphError as e:
        return _failed(entry, e, team)
    names = {"team": team.display_name, "channel": entry.channel, "rkk": entry.rkk}
    if channel is None:
        fixes.append(say["channel_missing"].format(**names))
    elif channel.membership is MembershipType.PRIVATE:
        fixes.append(say["channel_private"].format(**{**names, "channel": channel.display_name}))
    elif channel.membership is MembershipType.SHARED:
        warnings.append(say["channel_shared"].format(**{**names, "channel": channel.display_name}))
    if installation is None:
        fixes.append(say["app_missing"].format(**names))
    elif RSC_CHANNEL_MESSAGES not in installation.consented:
        warnings.append(say["rsc_missing"])
    status = Status.ERROR if fixes else Status.WARNING if warnings else Status.OK
    return SyncRow(
        entry.rkk,
        team.display_name,
        channel.display_name if channel else entry.channel,
        status,
        tuple(fixes + warnings),
        team.id,
        channel.id if channel else None,
    )


def _find_channel(channels: Sequence[GraphChannel], wanted: str) -> GraphChannel | None:
    by_id = next((c for c in channels if c.id == wanted), None)
    return by_id or next((c for c in channels if c.display_name.casefold() == wanted.strip().casefold()), None)


def _failed(entry: SyncEntry, error: GraphError, team: GraphTeam | None = None) -> SyncRow:
    say = texts()
    key = "forbidden" if isinstance(error, GraphForbidden) else "graph_error"
    detail = f"HTTP {error.status}" if error.status else type(error).__name__
    if isinstance(error, GraphCredentialError):
        key, detail = "no_token", error.problem
    return SyncRow(
        entry.rkk,
        team.display_name if team else entry.team,
        entry.channel,
        Status.ERROR,
        (say[key].format(detail=detail),),
        team.id if team else None,
    )


def format_table(rows: Sequence[SyncRow]) -> str:
    """A plain-text table for the terminal: one line per entry, one more per extra fix."""
    say = texts()
    head = [say["header"][k] for k in ("rkk", "team", "channel", "status", "fix")]
    lines: list[list[str]] = []
    for row in rows:
        fixes = row.fixes or ("",)
        lines.append([row.rkk, row.team, row.channel, say["status"][row.status.value], fixes[0]])
        lines.extend(["", "", "", "", fix] for fix in fixes[1:])
    widths = [max(len(cells[i]) for cells in [head, *lines]) for i in range(4)]

    def render(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells[:4], widths, strict=True)) + "  " + cells[4]

    rule = "  ".join("-" * width for width in widths) + "  " + "-" * len(head[4])
    return "\n".join([render(head).rstrip(), rule, *(render(cells).rstrip() for cells in lines)])


async def install_missing(
    graph: GraphPort,
    entries: Iterable[SyncEntry],
    teams_app_id: str,
    *,
    rkk: str | None = None,
    rsc_permissions: Sequence[str] = (RSC_CHANNEL_MESSAGES,),
) -> list[InstallRow]:
    """Install the app in every entry's team that lacks it (only `rkk`'s if given); safe to run again."""
    say = texts()["install"]
    rows: list[InstallRow] = []
    done: set[str] = set()
    for entry in entries:
        if rkk is not None and entry.rkk != rkk:
            continue
        try:
            team = await graph.team(entry.team)
            if team.id in done:
                rows.append(InstallRow(entry.rkk, team.display_name, False, say["present"]))
                continue
            installed = await graph.install(team.id, teams_app_id, rsc_permissions)
        except GraphError as e:
            rows.append(InstallRow(entry.rkk, entry.team, False, say["failed"].format(detail=e)))
            continue
        done.add(team.id)
        rows.append(InstallRow(entry.rkk, team.display_name, installed, say["installed" if installed else "present"]))
    return rows
