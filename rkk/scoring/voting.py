"""A member submits the scores of their bestuur: one set per bestuur, the latest counts, history kept."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from rkk.answers import UNKNOWN_BESTUUR
from rkk.model import Rkk
from rkk.scoring.ballots import refresh_ballot
from rkk.scoring.context import Scoring
from rkk.scoring.errors import ForeignScoringAction, InvalidScores, ScoringClosed, UnknownBestuur
from rkk.scoring.model import SCORE_MAX, SCORE_MIN, ScoreSet, ScoringRound, Topic, Voter

logger = logging.getLogger(__name__)

_INPUT = re.compile(r"^s(\d{1,9})$")  # the ballot's input ids: "s{topic id}"
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")
NOT_SCORED = "-"  # the ballot's choice for leaving a topic empty (a choice's value may not be empty)


def input_id(topic: Topic) -> str:
    """The id of a topic's score input on the ballot."""
    return f"s{topic.id}"


def parse_scores(round_: ScoringRound, values: Mapping[str, object]) -> dict[int, int | None]:
    """Each topic's score from the card's inputs (empty: not scored); refuses forged topics and bad scores."""
    for name in values:
        found = _INPUT.match(name)
        if found and round_.topic(int(found[1])) is None:
            raise ForeignScoringAction(f"input {name} names no topic of scoring round {round_.id}")
    scores = {topic.id: _score(values.get(input_id(topic)), topic) for topic in round_.topics}
    if all(score is None for score in scores.values()):
        raise InvalidScores("no score given", reason="empty")
    return scores


def _score(raw: object, topic: Topic) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip() in ("", NOT_SCORED)):
        return None
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and (number := _NUMBER.match(raw)):
        value = int(number[1])
    if value is None or not SCORE_MIN <= value <= SCORE_MAX:
        raise InvalidScores(f"score {raw!r} for topic {topic.id}", reason="range", topic=topic.label)
    return value


@dataclass(frozen=True)
class Submitted:
    """The score set that counts now, and the one it replaced (another member's, or the same member's)."""

    saved: ScoreSet
    replaced: ScoreSet | None


async def submit_scores(
    s: Scoring, round_: ScoringRound, rkk: Rkk, voter: Voter, values: Mapping[str, object], now: datetime
) -> Submitted:
    """Store the scores for the voter's bestuur (replacing its earlier set) and refresh the ballot's base card."""
    if not round_.accepts(now):
        raise ScoringClosed(f"scoring round {round_.id} is closed")
    if voter.bestuur == UNKNOWN_BESTUUR or not voter.bestuur.strip():
        raise UnknownBestuur(f"member {voter.member_id} has no known bestuur")
    scores = parse_scores(round_, values)
    saved = await s.repo.save_scores(round_.id, rkk.key, voter, scores, now)
    if saved is None:
        raise ScoringClosed(f"scoring round {round_.id} closed meanwhile")
    await s.repo.add_viewer(round_.id, rkk.key, voter.teams_id, now)
    logger.info("scoring %s: scores of %s (%s) stored", round_.id, voter.bestuur, rkk.key)
    await refresh_ballot(s, round_, rkk)
    return Submitted(*saved)
