"""The ports of insights: the aggregate queries (answered by the database) and the digest's claim and post."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from rkk.insights.model import Insights, ParticipationRow, ThemeCount
from rkk.insights.report_model import BestuurRow, QuestionRow, ThemeHistoryRow
from rkk.model import ChannelTarget
from rkk.ports import Posted


class InsightSource(Protocol):
    """Aggregates over visible answers, computed where the answers are (GROUP BY in the database).

    `buckets` maps each ISO week of a period to its bucket key; `weeks` is a period's run of ISO weeks.
    """

    async def participation(self, buckets: Mapping[str, str], rkk_keys: Collection[str]) -> Sequence[ParticipationRow]:
        """Answers and distinct besturen per RKK and bucket, then per bucket over all the RKKs (rkk_key "")."""
        ...

    async def questions_asked(
        self, buckets: Mapping[str, str], rkk_keys: Collection[str]
    ) -> Mapping[tuple[str, str], int]:
        """(RKK key, bucket) -> the number of questions posted in it."""
        ...

    async def besturen_answering(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Mapping[str, int]:
        """Bestuur -> visible answers in these weeks."""
        ...

    async def besturen_known(self, until_week: str, rkk_keys: Collection[str]) -> Collection[str]:
        """Every bestuur that ever answered in these RKKs up to and including a week."""
        ...

    async def theme_counts(self, weeks: Sequence[str], rkk_keys: Collection[str], limit: int) -> Sequence[ThemeCount]:
        """The rode draden raised in these weeks, most besturen first."""
        ...

    async def bestuur_rows(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Sequence[BestuurRow]:
        """Per bestuur: answers, questions answered and RKKs, in these weeks."""
        ...

    async def top_questions(self, weeks: Sequence[str], rkk_keys: Collection[str], limit: int) -> Sequence[QuestionRow]:
        """The questions with the most answers in these weeks."""
        ...

    async def theme_history(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Sequence[ThemeHistoryRow]:
        """The rode draden raised in these weeks, with their cross-post and latest decision."""
        ...


class DigestClaims(Protocol):
    """Which week's digest was posted: a claim in the database makes "once a week" hold across replicas."""

    async def claim(self, week: str, now: datetime) -> bool:
        """Claim the week's digest (new, or after a failure); False when it is posted, under way or uncertain."""
        ...

    async def mark_posted(self, week: str, posted: Posted, now: datetime) -> None:
        """Record where the digest landed."""
        ...

    async def mark_failed(self, week: str, error: str, *, uncertain: bool) -> None:
        """Record a failure; an uncertain post (Teams may have it) is never claimed again."""
        ...


class DigestPublisher(Protocol):
    """Posts the digest card into the umbrella channel."""

    async def post_digest(self, target: ChannelTarget, insights: Insights) -> Posted:
        """Post the insights as a new thread; raises PostFailed (or its PostUncertain) on failure."""
        ...
