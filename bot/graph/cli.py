"""`python app.py sync` and `python app.py install`: the operator's view of the RKK teams in Graph.

Exit codes: 0 all fine (warnings allowed), 1 something to fix or an installation failed,
2 cannot run (Graph not configured, no Teams app id, unknown RKK key).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from bot.graph.port import GraphPort
from bot.graph.sync import InstallRow, Status, SyncEntry, format_table, install_missing, sync_report, texts
from config.rkk_config import BotConfig
from i18n.catalog import Catalog

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FIX = 1
EXIT_USAGE = 2
UMBRELLA_KEY = "overkoepelend"
GENERAL = "General"  # Graph's display name of every team's General channel


def sync_entries(config: BotConfig, known_groups: Mapping[str, str] | None = None) -> list[SyncEntry]:
    """Every configured RKK and the Overkoepelend team; a Teams thread id becomes its group id when known."""
    groups = known_groups or {}
    entries = [SyncEntry(rkk.key, groups.get(rkk.team, rkk.team), rkk.channel or GENERAL) for rkk in config.rkks]
    if config.umbrella is not None:
        team = config.umbrella.team
        entries.append(SyncEntry(UMBRELLA_KEY, groups.get(team, team), config.umbrella.channel or GENERAL))
    return entries


async def run_sync(
    graph: GraphPort | None,
    config: BotConfig,
    teams_app_id: str | None,
    say: Catalog,
    *,
    known_groups: Mapping[str, str] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Check every RKK against Graph and print the Dutch table of what is fine and what to fix."""
    if graph is None or not teams_app_id:
        print(say.text("graph_not_configured" if graph is None else "teams_app_id_missing"), file=err)
        return EXIT_USAGE
    rows = await sync_report(graph, sync_entries(config, known_groups), teams_app_id)
    print(format_table(rows), file=out)
    count = {status: sum(row.status is status for row in rows) for status in Status}
    summary = say.text("sync_summary", ok=count[Status.OK], warnings=count[Status.WARNING], errors=count[Status.ERROR])
    print(f"\n{summary}", file=out)
    return EXIT_FIX if count[Status.ERROR] else EXIT_OK


async def run_install(
    graph: GraphPort | None,
    config: BotConfig,
    teams_app_id: str | None,
    say: Catalog,
    *,
    rkk: str | None = None,
    known_groups: Mapping[str, str] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Install the app (with its RSC consent) in the RKK teams that lack it, or in one RKK's team."""
    if graph is None or not teams_app_id:
        print(say.text("graph_not_configured" if graph is None else "teams_app_id_missing"), file=err)
        return EXIT_USAGE
    entries = sync_entries(config, known_groups)
    if rkk is not None and all(entry.rkk != rkk for entry in entries):
        print(say.text("unknown_rkk", rkk=rkk, known=", ".join(e.rkk for e in entries) or "-"), file=err)
        return EXIT_USAGE
    rows = await install_missing(graph, entries, teams_app_id, rkk=rkk)
    print(format_install(rows, say), file=out)
    done = texts()["install"]
    installed = sum(row.installed for row in rows)
    present = sum(not row.installed and row.detail == done["present"] for row in rows)
    failed = len(rows) - installed - present
    print(f"\n{say.text('install_summary', installed=installed, present=present, failed=failed)}", file=out)
    return EXIT_FIX if failed else EXIT_OK


def format_install(rows: Sequence[InstallRow], say: Catalog) -> str:
    """The installation outcome per RKK as a plain-text table."""
    header = texts()["header"]
    head = [header["rkk"], header["team"], say.text("install_header_result")]
    lines = [[row.rkk, row.team, row.detail] for row in rows]
    widths = [max(len(cells[i]) for cells in [head, *lines]) for i in range(2)]

    def render(cells: list[str]) -> str:
        return f"{cells[0].ljust(widths[0])}  {cells[1].ljust(widths[1])}  {cells[2]}".rstrip()

    rule = f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(head[2])}"
    return "\n".join([render(head), rule, *(render(cells) for cells in lines)])
