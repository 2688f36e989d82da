"""The status of this week's round per RKK, for `python app.py status` and the coordinator's `status`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from rkk.model import Rkk
from rkk.rounds.lifecycle import DEFAULT_UNCERTAIN_AFTER, RoundFacts, phase_of
from rkk.rounds.ports import Store
from rkk.rounds.weeks import BRUSSELS, iso_week

logger = logging.getLogger(__name__)

ERROR_CHARS = 80


@dataclass(frozen=True)
class PauseInfo:
    """Why an RKK gets no question now."""

    until: date
    reason: str


@dataclass(frozen=True)
class StatusRow:
    """One RKK's week at a glance."""

    rkk_key: str
    rkk_name: str
    week: str
    phase: str  # a Phase value, or "none", "skipped", "no_question", "not_installed"
    posted_at: datetime | None
    answers: int | None
    last_error: str | None
    pause: PauseInfo | None
    round_id: int | None = None


def status_rows(
    rkks: Sequence[Rkk],
    week: str,
    facts: Mapping[str, RoundFacts],
    counts: Mapping[int, int],
    notices: Mapping[str, Sequence[str]],
    pauses: Mapping[str, PauseInfo | None],
    now: datetime,
    uncertain_after: timedelta = DEFAULT_UNCERTAIN_AFTER,
) -> list[StatusRow]:
    """One row per RKK, by key: the round's phase (or why there is none), count, error and pause."""
    rows = []
    for rkk in sorted(rkks, key=lambda r: r.key):
        found = facts.get(rkk.key)
        if found is not None:
            round_ = found.round
            rows.append(
                StatusRow(
                    rkk.key,
                    rkk.name,
                    week,
                    phase_of(found, now, uncertain_after).value,
                    round_.posted_at,
                    found.final_count if found.final_count is not None else counts.get(round_.id, 0),
                    round_.last_error,
                    pauses.get(rkk.key),
                    round_.id,
                )
            )
            continue
        kinds = notices.get(rkk.key, ())
        phase = "none"
        if not rkk.reachable:
            phase = "not_installed"
        elif "skipped" in kinds:
            phase = "skipped"
        elif "no_question" in kinds:
            phase = "no_question"
        rows.append(StatusRow(rkk.key, rkk.name, week, phase, None, None, None, pauses.get(rkk.key)))
    return rows


PauseLookup = Callable[[str, date], Awaitable[PauseInfo | None]]


async def load_status(store: Store, now: datetime, pause_of: PauseLookup, tz: ZoneInfo = BRUSSELS) -> list[StatusRow]:
    """Read what `status_rows` needs for the current week and build the rows."""
    week = iso_week(now, tz)
    rkks = await store.list_rkks()
    facts = await store.week_facts(week)
    counts = await store.answer_counts([f.round.id for f in facts.values()])
    notices = await store.week_notices(week)
    today = now.astimezone(tz).date()
    pauses = {rkk.key: await pause_of(rkk.key, today) for rkk in rkks}
    return status_rows(rkks, week, facts, counts, notices, pauses, now)


class Texts(Protocol):
    """The part of the message catalogue the formatter uses."""

    def text(self, key: str, lang: str = ..., **params: object) -> str:
        """The text for `key` in `lang` with its placeholders filled."""
        ...


def format_status_table(rows: Sequence[StatusRow], texts: Texts, tz: ZoneInfo = BRUSSELS, lang: str = "nl") -> str:
    """A plain-text table (Dutch by default), one line per RKK, columns aligned."""
    if not rows:
        return texts.text("rounds_status_empty", lang)
    header = texts.text("rounds_status_header", lang).split("|")
    lines: list[list[str]] = [header]
    for row in rows:
        pause = (
            texts.text("rounds_paused", lang, until=row.pause.until.strftime("%d-%m-%Y"), reason=row.pause.reason)
            if row.pause
            else "-"
        )
        error = " ".join((row.last_error or "-").split())
        lines.append(
            [
                row.rkk_name,
                row.week,
                texts.text(f"rounds_phase_{row.phase}", lang),
                row.posted_at.astimezone(tz).strftime("%d-%m-%Y %H:%M") if row.posted_at else "-",
                "-" if row.answers is None else str(row.answers),
                pause,
                error if len(error) <= ERROR_CHARS else error[: ERROR_CHARS - 1] + "…",
            ]
        )
    return aligned(lines)


def aligned(lines: Sequence[Sequence[str]]) -> str:
    """Rows of cells as plain text, columns aligned, a rule under the first (header) row."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    rendered = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in lines]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)
