"""Where a scoring round stands (for `scoring status`), participation per RKK, and the results view."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rkk.scoring.context import Scoring
from rkk.scoring.model import CardPost, Participation, PostKind, ScoringRound
from rkk.scoring.results import aggregate
from rkk.scoring.views import ResultsView

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BallotStatus:
    """One audience RKK: where its ballot is, how many besturen scored of those known, the last error."""

    participation: Participation
    phase: str  # waiting, sending, uncertain, posted, failed
    reminded: bool
    last_error: str | None


@dataclass(frozen=True)
class Progress:
    """The round, every bestuur that took part, and each audience RKK's ballot."""

    round: ScoringRound
    participants: int
    ballots: tuple[BallotStatus, ...]
    results: tuple[CardPost, ...]


def phase_of(post: CardPost | None) -> str:
    """The phase of a card as coordinators see it."""
    if post is None:
        return "waiting"
    if post.posted:
        return "posted"
    if post.state == "failed":
        return "failed"
    if post.uncertain_at is not None:
        return "uncertain"
    return "sending" if post.sending_at is not None else "waiting"


async def participation(s: Scoring, round_: ScoringRound, counted: set[str] | None = None) -> tuple[Participation, ...]:
    """Per audience RKK: besturen known in its team that scored (`counted`, else read), of all known there.

    Known in the team = the besturen of members who ever answered a question in that RKK or
    submitted scores on its ballot (the bot cannot see the besturen of members who never acted).
    """
    known = await s.repo.known_besturen(round_.id, round_.audience)
    if counted is None:
        counted = {score_set.bestuur for score_set in await s.repo.score_sets(round_.id)}
    names = {rkk.key: rkk.name for rkk in await s.rkks.list_rkks()}
    return tuple(
        Participation(key, names.get(key, key), len(known.get(key, set()) & counted), len(known.get(key, set())))
        for key in round_.audience
    )


async def round_progress(s: Scoring, round_: ScoringRound) -> Progress:
    """The round's ballots and participation."""
    posts = {(p.kind, p.target_key): p for p in await s.repo.posts(round_.id)}
    rows = []
    for part in await participation(s, round_):
        post = posts.get((PostKind.BALLOT, part.rkk_key))
        rows.append(
            BallotStatus(
                part,
                phase_of(post),
                post is not None and post.reminded_for is not None,
                post.last_error if post else None,
            )
        )
    results = tuple(p for (kind, _), p in sorted(posts.items()) if kind is PostKind.RESULTS)
    return Progress(round_, len(await s.repo.score_sets(round_.id)), tuple(rows), results)


async def results_view(s: Scoring, round_: ScoringRound) -> ResultsView:
    """The numbers of a round (final once it is closed) with participation per RKK."""
    sets = await s.repo.score_sets(round_.id)
    results = aggregate(round_.topics, sets, round_.threshold)
    return ResultsView(round_, results, await participation(s, round_, {score_set.bestuur for score_set in sets}))
