"""The scoring round for the command line: results as JSON or a table, progress as a table."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from rkk.rounds import Texts, aligned
from rkk.scoring.progress import Progress
from rkk.scoring.results import TopicResult
from rkk.scoring.views import ResultsView

logger = logging.getLogger(__name__)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def topic_json(result: TopicResult) -> dict[str, Any]:
    """One topic's numbers."""
    topic = result.topic
    return {
        "rank": result.rank,
        "topic_id": topic.id,
        "theme_key": topic.theme_key,
        "label": topic.label,
        "local_impact": topic.local_impact,
        "scored": result.scored,
        "low": result.low,
        "middle": result.middle,
        "high": result.high,
        "mean": _rounded(result.mean),
        "median": result.median,
        "share_high": round(result.share_high, 4),
        "qualifies": result.qualifies,
    }


def results_json(view: ResultsView) -> dict[str, Any]:
    """The numbers the results card shows, as JSON data (`scoring results --json`)."""
    round_, results = view.round, view.results
    return {
        "scoring_id": round_.id,
        "state": round_.state.value,
        "deadline": round_.deadline.isoformat(),
        "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        "threshold": round_.threshold,
        "participants": results.participants,
        "top": [r.topic.id for r in results.top],
        "topics": [topic_json(r) for r in results.topics],
        "participation": [
            {"rkk": p.rkk_key, "name": p.rkk_name, "scored": p.scored, "known": p.known} for p in view.participation
        ],
    }


def format_results_table(view: ResultsView, texts: Texts, lang: str = "nl") -> str:
    """The ranking as a plain-text table, the top 3 marked, participation per RKK below it."""
    top = {r.topic.id for r in view.results.top}
    lines = [texts.text("scoring_cli_results_header", lang).split("|")]
    for r in view.results.topics:
        lines.append(
            [
                str(r.rank),
                r.topic.label,
                str(r.scored),
                str(r.low),
                str(r.middle),
                str(r.high),
                "-" if r.mean is None else f"{r.mean:.1f}",
                "-" if r.median is None else f"{r.median:.1f}",
                f"{round(r.share_high * 100)}%",
                texts.text("scoring_cli_yes" if r.topic.local_impact else "scoring_cli_no", lang),
                "*" if r.topic.id in top else "",
            ]
        )
    parts = [[p.rkk_name, f"{p.scored}/{p.known}"] for p in view.participation]
    participation = aligned([texts.text("scoring_cli_participation_header", lang).split("|"), *parts])
    summary = texts.text(
        "scoring_cli_results_summary",
        lang,
        id=view.round.id,
        participants=view.results.participants,
        top=len(top),
        threshold=f"{round(view.round.threshold * 100)}%",
    )
    return f"{summary}\n\n{aligned(lines)}\n\n{participation}"


def format_progress_table(shown: Progress, texts: Texts, tz: ZoneInfo, lang: str = "nl") -> str:
    """Per audience RKK: the ballot's phase, besturen scored of those known, reminder, last error."""
    round_ = shown.round
    head = texts.text(
        "scoring_cli_progress_summary",
        lang,
        id=round_.id,
        state=texts.text(f"scoring_state_{round_.state.value}", lang),
        deadline=round_.deadline.astimezone(tz).strftime("%d-%m-%Y %H:%M"),
        participants=shown.participants,
    )
    lines = [texts.text("scoring_cli_progress_header", lang).split("|")]
    for ballot in shown.ballots:
        part = ballot.participation
        error = " ".join((ballot.last_error or "-").split())
        lines.append(
            [
                part.rkk_name,
                texts.text(f"scoring_phase_{ballot.phase}", lang).split(" (")[0],
                f"{part.scored}/{part.known}",
                texts.text("scoring_cli_yes" if ballot.reminded else "scoring_cli_no", lang),
                error[:80],
            ]
        )
    return f"{head}\n\n{aligned(lines)}"
