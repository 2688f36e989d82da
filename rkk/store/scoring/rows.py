"""Rows of the scoring tables as domain records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from rkk.scoring import CardPost, PostKey, PostKind, ScoringRound, ScoringState, Topic
from rkk.store.rows import target_from
from rkk.store.scoring.tables import scoring_posts
from rkk.store.timestamps import as_utc, as_utc_or_none


def post_where(key: PostKey) -> Any:
    """The WHERE clause of one card's row."""
    return (
        (scoring_posts.c.scoring_id == key.scoring_id)
        & (scoring_posts.c.kind == key.kind.value)
        & (scoring_posts.c.target_key == key.target_key)
    )


def topic_of(row: Row[Any]) -> Topic:
    """A scoring_topics row."""
    return Topic(
        label=row.label,
        description=row.description,
        theme_key=row.theme_key,
        besturen=row.besturen,
        rkks=row.rkks,
        local_impact=bool(row.local_impact),
        id=row.id,
        position=row.position,
    )


def round_of(row: Row[Any], topics: Sequence[Topic], audience: Sequence[str]) -> ScoringRound:
    """A scoring_rounds row with its topics and audience."""
    return ScoringRound(
        id=row.id,
        state=ScoringState(row.state),
        deadline=as_utc(row.deadline),
        threshold=float(row.threshold),
        share_with_rkks=bool(row.share_with_rkks),
        audience=tuple(audience),
        started_by=row.started_by,
        started_at=as_utc(row.started_at),
        closed_at=as_utc_or_none(row.closed_at),
        topics=tuple(topics),
    )


def post_of(row: Row[Any]) -> CardPost:
    """A scoring_posts row."""
    return CardPost(
        scoring_id=row.scoring_id,
        kind=PostKind(row.kind),
        target_key=row.target_key,
        state=row.state,
        target=target_from(row),
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        posted_at=as_utc_or_none(row.posted_at),
        sending_at=as_utc_or_none(row.sending_at),
        uncertain_at=as_utc_or_none(row.uncertain_at),
        reminded_for=as_utc_or_none(row.reminded_for),
        shown_deadline=as_utc_or_none(row.shown_deadline),
        card_closed_at=as_utc_or_none(row.card_closed_at),
        closed_link=row.closed_link,
        last_error=row.last_error,
    )
