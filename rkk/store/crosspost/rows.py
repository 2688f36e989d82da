"""Rows of the theme tables to domain records and back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row

from rkk.crosspost import CrossPost, Decision, DecisionRecord, Spread, StoredTheme, ThemeStatus
from rkk.store.rows import target_from
from rkk.store.timestamps import as_utc
from rkk.themes import FeatureRecord


def listed(values: Iterable[str]) -> str:
    """A set of names as a sorted JSON list."""
    return json.dumps(sorted(values), ensure_ascii=False)


def _names(text: str) -> tuple[str, ...]:
    value = json.loads(text)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def spread_of(row: Row[Any]) -> Spread:
    """The RKKs and besturen a row records."""
    return Spread.of(_names(row.rkks), _names(row.besturen))


def feature_record(row: Row[Any]) -> FeatureRecord:
    """A theme_features row."""
    vector = bytes(row.vector) if row.vector is not None else None
    return FeatureRecord(str(row.answer_id), row.version, row.meta, bytes(row.words), bytes(row.chars), vector)


def stored_theme(row: Row[Any]) -> StoredTheme:
    """A themes row."""
    return StoredTheme(
        key=row.key,
        label=row.label,
        terms=_names(row.terms),
        spread=spread_of(row),
        first_week=row.first_week,
        last_week=row.last_week,
        recurring=bool(row.recurring),
        status=ThemeStatus(row.state),
        merged_into=row.merged_into,
        description=row.description,
        custom_name=row.name,
    )


def crosspost_of(row: Row[Any]) -> CrossPost:
    """A theme_crossposts row."""
    return CrossPost(
        theme_key=row.theme_key,
        state=row.state,
        target=target_from(row),
        conversation_id=row.conversation_id,
        message_id=row.message_id,
        shown=spread_of(row),
        revision=int(row.revision),
    )


def decision_of(row: Row[Any]) -> DecisionRecord:
    """A theme_decisions row."""
    return DecisionRecord(
        theme_key=row.theme_key,
        decision=Decision(row.decision),
        by_id=row.by_id,
        by_name=row.by_name,
        at=as_utc(row.decided_at),
        spread=spread_of(row),
    )
