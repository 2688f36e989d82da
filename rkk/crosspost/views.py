"""What a theme card shows: representative quotes and source threads, chosen from stored evidence."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

from rkk.crosspost.model import (
    DecisionRecord,
    Evidence,
    Growth,
    Quote,
    SourceThread,
    Spread,
    StoredTheme,
    ThemeStatus,
    ThemeView,
)
from rkk.crosspost.ports import ThemeRepository
from rkk.themes import from_record

logger = logging.getLogger(__name__)

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 280
MAX_SOURCES = 8


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def shorten(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when too long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def pick_quotes(
    evidence: Sequence[Evidence], terms: Mapping[str, Mapping[str, float]], show_names: bool
) -> tuple[Quote, ...]:
    """Two or three answers closest to the theme as a whole, each from another bestuur (other RKKs first)."""
    centre: dict[str, float] = {}
    for bag in terms.values():
        for term, weight in bag.items():
            centre[term] = centre.get(term, 0.0) + weight
    ranked = sorted(evidence, key=lambda e: (-_cosine(terms.get(e.answer_id, {}), centre), e.week, e.answer_id))
    chosen: list[Evidence] = []
    for prefer_new_rkk in (True, False):
        for item in ranked:
            if len(chosen) == MAX_QUOTES:
                break
            if item in chosen or item.bestuur in {c.bestuur for c in chosen}:
                continue
            if prefer_new_rkk and item.rkk_key in {c.rkk_key for c in chosen}:
                continue
            chosen.append(item)
    return tuple(Quote(shorten(c.text), c.bestuur, c.rkk_name, c.member_name if show_names else None) for c in chosen)


def source_threads(evidence: Sequence[Evidence]) -> tuple[SourceThread, ...]:
    """The question threads the answers were given in, oldest first, one per thread."""
    seen: dict[str, SourceThread] = {}
    for e in sorted(evidence, key=lambda e: (e.week, e.rkk_key)):
        if e.team_id and e.conversation_id and e.message_id and e.conversation_id not in seen:
            seen[e.conversation_id] = SourceThread(
                e.rkk_name, e.week, e.team_id, e.group_id, e.conversation_id, e.message_id
            )
    return tuple(seen.values())[:MAX_SOURCES]


async def theme_view(
    repo: ThemeRepository,
    theme: StoredTheme,
    show_names: bool,
    *,
    status: ThemeStatus | None = None,
    decision: DecisionRecord | None = None,
) -> ThemeView:
    """The card's content for a theme, from its stored answers and their stored features."""
    evidence = await repo.evidence(theme.key)
    records = await repo.features_of([e.answer_id for e in evidence])
    terms = {r.answer_id: from_record(r).terms for r in records}
    names = {e.rkk_key: e.rkk_name for e in evidence}
    return ThemeView(
        key=theme.key,
        label=theme.name,
        rkk_count=len(theme.spread.rkks),
        bestuur_count=len(theme.spread.besturen),
        rkk_names=tuple(sorted(names.get(k, k) for k in theme.spread.rkks)),
        quotes=pick_quotes(evidence, terms, show_names),
        sources=source_threads(evidence),
        status=status or theme.status,
        decision=decision if decision is not None else await repo.last_decision(theme.key),
        rkk_name_of=names,
        description=theme.description,
        meeting=(await repo.planned_meetings([theme.key])).get(theme.key),
    )


def growth(shown: Spread, now: Spread, view: ThemeView, returned: bool) -> Growth:
    """The RKKs and besturen that are new since the card last showed the theme, under the card's name."""
    return Growth(
        new_rkks=tuple(sorted(view.rkk_name_of.get(k, k) for k in now.rkks - shown.rkks)),
        new_besturen=tuple(sorted(now.besturen - shown.besturen)),
        rkk_count=len(now.rkks),
        bestuur_count=len(now.besturen),
        returned=returned,
        name=view.label,
    )
