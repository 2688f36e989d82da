"""The numbers of a scoring round: per topic, the ranking, and the top-3 rule (pure functions).

Definitions (also on the results card):
- a topic's *besturen* are those that gave it a score; a topic left empty counts as "not scored";
- *mean* and *median* are over those scores;
- *share hoog* is the number of besturen that gave 7 or more, divided by every bestuur that took
  part in the round (a topic left empty is not "hoog"), so a topic only a few besturen care about
  cannot look like a great majority;
- ranking: share hoog, then mean, then number of besturen (each highest first), then the label
  (alphabetical) and the topic id, so the order never depends on the database;
- the top 3 are the first topics in that order with lokale impact whose share hoog reaches the
  threshold; when fewer qualify, fewer are named (never filled up).
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from rkk.scoring.model import HIGH_FROM, MIDDLE_FROM, TOP_SIZE, ScoreSet, Topic

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicResult:
    """The numbers of one topic and its place in the ranking (1 = first)."""

    topic: Topic
    rank: int
    scored: int  # besturen that gave it a score
    low: int  # 0 to 4
    middle: int  # 5 and 6
    high: int  # 7 to 10
    mean: float | None
    median: float | None
    share_high: float  # high / besturen that took part
    qualifies: bool  # lokale impact and share hoog at least the threshold


@dataclass(frozen=True)
class Results:
    """Every topic ranked, the top 3 (maybe fewer), and what they were computed from."""

    participants: int  # besturen with a score set
    topics: tuple[TopicResult, ...]
    top: tuple[TopicResult, ...]
    threshold: float


def share(part: int, whole: int) -> float:
    """part / whole, 0 when there is nothing to divide."""
    return part / whole if whole else 0.0


def reaches(high: int, participants: int, threshold: float) -> bool:
    """Whether high / participants >= threshold, exactly (0.6 of 5 is 3, not 3.0000000000000004)."""
    if participants == 0:
        return False
    return Fraction(high, participants) >= Fraction(str(threshold))


def topic_numbers(topic: Topic, scores: Iterable[int], participants: int, threshold: float) -> TopicResult:
    """One topic's numbers from the scores it got; its rank is filled in by `aggregate`."""
    given = sorted(scores)
    high = sum(1 for s in given if s >= HIGH_FROM)
    middle = sum(1 for s in given if MIDDLE_FROM <= s < HIGH_FROM)
    return TopicResult(
        topic=topic,
        rank=0,
        scored=len(given),
        low=len(given) - high - middle,
        middle=middle,
        high=high,
        mean=statistics.fmean(given) if given else None,
        median=float(statistics.median(given)) if given else None,
        share_high=share(high, participants),
        qualifies=topic.local_impact and reaches(high, participants, threshold),
    )


def ranking_key(result: TopicResult) -> tuple[float, float, int, str, int]:
    """Share hoog, mean, besturen (highest first), then label and id: a total, repeatable order."""
    mean = result.mean if result.mean is not None else -1.0  # not scored at all: after every scored topic
    return (-result.share_high, -mean, -result.scored, result.topic.label.casefold(), result.topic.id)


def aggregate(topics: Sequence[Topic], sets: Iterable[ScoreSet], threshold: float) -> Results:
    """The results of a round from the score set of every bestuur that took part."""
    counted = list(sets)
    per_topic: dict[int, list[int]] = {topic.id: [] for topic in topics}
    for score_set in counted:
        for topic_id, score in score_set.scores.items():
            if score is not None and topic_id in per_topic:
                per_topic[topic_id].append(score)
    participants = len(counted)
    numbers = [topic_numbers(t, per_topic[t.id], participants, threshold) for t in topics]
    ranked = tuple(replace(r, rank=index) for index, r in enumerate(sorted(numbers, key=ranking_key), 1))
    top = tuple(r for r in ranked if r.qualifies)[:TOP_SIZE]
    return Results(participants, ranked, top, threshold)
