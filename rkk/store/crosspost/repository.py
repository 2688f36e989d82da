"""The SQL adapter of the `ThemeRepository` port: features, themes and leases; cards, forwards, names in mixins."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.crosspost import Evidence, PendingAnswer, StoredTheme, ThemeChanges, ThemeStatus
from rkk.meetings import MeetingState
from rkk.store.crosspost.cards import CrossPostQueries
from rkk.store.crosspost.forwards import ForwardQueries
from rkk.store.crosspost.names import ThemeNameQueries
from rkk.store.crosspost.rows import feature_record, stored_theme
from rkk.store.crosspost.tables import (
    theme_answers,
    theme_crossposts,
    theme_decisions,
    theme_features,
    themes,
)
from rkk.store.leases import SqlLeases
from rkk.store.meetings import meetings
from rkk.store.tables import answers, rkks, rounds, teams
from rkk.themes import FeatureRecord, ThemeAnswer, ThemeQuestion

logger = logging.getLogger(__name__)


class ThemeStore(CrossPostQueries, ForwardQueries, ThemeNameQueries):
    """Every read and write of themes and cross-posts; each method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def lease(self, name: str, holder: str, now: datetime, seconds: int) -> bool:
        """Take or renew a named lease; False while another holder has it."""
        return await SqlLeases(self._engine).lease(name, holder, now, seconds)

    async def release(self, name: str, holder: str) -> None:
        """Give a lease back."""
        await SqlLeases(self._engine).release(name, holder)

    async def answers_to_featurize(self, version: int) -> Sequence[PendingAnswer]:
        """Visible answers without current features (new, edited, or read by an older version)."""
        query = (
            select(
                answers.c.id,
                answers.c.text,
                answers.c.bestuur,
                answers.c.updated_at,
                rounds.c.rkk_key,
                rounds.c.week,
                rounds.c.question_id,
                rounds.c.question_text,
            )
            .join(rounds, rounds.c.id == answers.c.round_id)
            .outerjoin(theme_features, theme_features.c.answer_id == answers.c.id)
            .where(
                answers.c.hidden.is_(False),
                or_(
                    theme_features.c.answer_id.is_(None),
                    theme_features.c.version != version,
                    theme_features.c.source_updated_at != answers.c.updated_at,
                ),
            )
            .order_by(answers.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            PendingAnswer(
                ThemeAnswer(str(r.id), r.rkk_key, r.bestuur, r.text, r.week, f"q{r.question_id}"),
                ThemeQuestion(f"q{r.question_id}", r.question_text),
                r.updated_at,
            )
            for r in rows
        ]

    async def save_features(self, items: Sequence[tuple[FeatureRecord, datetime]], now: datetime) -> None:
        """Store features (with the answer's updated_at they were read at), not yet clustered."""
        async with self._engine.begin() as conn:
            for record, updated_at in items:
                answer_id = int(record.answer_id)
                await conn.execute(delete(theme_features).where(theme_features.c.answer_id == answer_id))
                await conn.execute(
                    insert(theme_features).values(
                        answer_id=answer_id,
                        version=record.version,
                        source_updated_at=updated_at,
                        meta=record.meta,
                        words=record.words,
                        chars=record.chars,
                        vector=record.vector,
                        clustered=False,
                        computed_at=now,
                    )
                )

    async def feature_records(self) -> tuple[Sequence[FeatureRecord], Sequence[FeatureRecord]]:
        """Stored features of visible answers: (already clustered, not yet clustered)."""
        query = (
            select(theme_features)
            .join(answers, answers.c.id == theme_features.c.answer_id)
            .where(answers.c.hidden.is_(False))
            .order_by(theme_features.c.answer_id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        clustered = [feature_record(r) for r in rows if r.clustered]
        fresh = [feature_record(r) for r in rows if not r.clustered]
        return clustered, fresh

    async def hidden_answer_ids(self) -> Sequence[str]:
        """Answers with stored features that are hidden now."""
        query = (
            select(theme_features.c.answer_id)
            .join(answers, answers.c.id == theme_features.c.answer_id)
            .where(answers.c.hidden.is_(True))
        )
        async with self._engine.connect() as conn:
            return [str(r.answer_id) for r in await conn.execute(query)]

    async def theme_assignment(self) -> dict[str, str]:
        """Answer id -> theme key for every answer in a theme."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(theme_answers.c.answer_id, theme_answers.c.theme_key))
            return {str(r.answer_id): r.theme_key for r in rows}

    async def save_changes(self, changes: ThemeChanges, now: datetime) -> None:
        """Write a refresh's result in one transaction."""
        async with self._engine.begin() as conn:
            columns = (themes.c.key, themes.c.state, themes.c.label, themes.c.description)
            known = {r.key: r for r in await conn.execute(select(*columns))}
            for theme in changes.themes:
                values = {
                    "label": theme.label[:300],
                    "description": theme.description,
                    "terms": json.dumps(list(theme.terms), ensure_ascii=False),
                    "rkks": json.dumps(list(theme.rkks), ensure_ascii=False),
                    "besturen": json.dumps(list(theme.besturen), ensure_ascii=False),
                    "first_week": theme.first_week,
                    "last_week": theme.last_week,
                    "recurring": theme.recurring,
                    "updated_at": now,
                    "ended_at": None,  # a key that ended and came back is the same theme again
                }
                if theme.key in known:
                    if known[theme.key].state == ThemeStatus.MERGED.value:  # its key is free again: a live theme
                        values |= {"state": ThemeStatus.ACTIVE.value, "merged_into": None}
                    await conn.execute(update(themes).where(themes.c.key == theme.key).values(**values))
                else:
                    state = ThemeStatus.ACTIVE.value
                    await conn.execute(insert(themes).values(key=theme.key, state=state, created_at=now, **values))
            await _relabel(conn, {r.key: (r.label, r.description) for r in known.values()}, changes)
            for key in changes.ended:  # the row stays: a card, its decisions and merges may refer to it
                await conn.execute(update(themes).where(themes.c.key == key).values(ended_at=now, updated_at=now))
            moved = [int(i) for i in (*changes.assigned, *changes.unassigned)]
            for chunk in _chunks(moved):
                await conn.execute(delete(theme_answers).where(theme_answers.c.answer_id.in_(chunk)))
            rows = [{"answer_id": int(a), "theme_key": k} for a, k in sorted(changes.assigned.items())]
            if rows:
                await conn.execute(insert(theme_answers), rows)
            for gone, survivor in sorted(changes.merged.items()):
                await _merge(conn, gone, survivor, now)
            for chunk in _chunks([int(i) for i in changes.clustered]):
                await conn.execute(
                    update(theme_features).where(theme_features.c.answer_id.in_(chunk)).values(clustered=True)
                )
            for chunk in _chunks([int(i) for i in changes.removed]):
                await conn.execute(delete(theme_features).where(theme_features.c.answer_id.in_(chunk)))

    async def get_theme(self, key: str) -> StoredTheme | None:
        """A theme by key, also one that ended (its card may still be in the channel)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(themes).where(themes.c.key == key))).first()
        return stored_theme(row) if row else None

    async def list_themes(self, keys: Sequence[str] | None = None) -> Sequence[StoredTheme]:
        """Themes that have not ended (all, or these keys), oldest first."""
        query = select(themes).where(themes.c.ended_at.is_(None)).order_by(themes.c.first_week, themes.c.key)
        if keys is not None:
            query = query.where(themes.c.key.in_(list(keys)))
        async with self._engine.connect() as conn:
            return [stored_theme(r) for r in await conn.execute(query)]

    async def set_status(self, key: str, status: ThemeStatus, now: datetime) -> None:
        """Change where a theme stands."""
        async with self._engine.begin() as conn:
            await conn.execute(update(themes).where(themes.c.key == key).values(state=status.value, updated_at=now))

    async def evidence(self, key: str) -> Sequence[Evidence]:
        """The visible answers of a theme with their RKK, week and question thread."""
        query = (
            select(
                answers.c.id,
                answers.c.text,
                answers.c.bestuur,
                answers.c.member_name,
                rounds.c.rkk_key,
                rounds.c.week,
                rounds.c.conversation_id,
                rounds.c.message_id,
                rkks.c.name.label("rkk_name"),
                rkks.c.team_id,
                teams.c.aad_group_id,
            )
            .join(answers, answers.c.id == theme_answers.c.answer_id)
            .join(rounds, rounds.c.id == answers.c.round_id)
            .join(rkks, rkks.c.key == rounds.c.rkk_key)
            .outerjoin(teams, teams.c.id == rkks.c.team_id)
            .where(theme_answers.c.theme_key == key, answers.c.hidden.is_(False))
            .order_by(rounds.c.week, answers.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            Evidence(
                str(r.id),
                r.text,
                r.bestuur,
                r.member_name,
                r.rkk_key,
                r.rkk_name,
                r.week,
                r.team_id,
                r.aad_group_id,
                r.conversation_id,
                r.message_id,
            )
            for r in rows
        ]

    async def features_of(self, answer_ids: Sequence[str]) -> Sequence[FeatureRecord]:
        """Stored features of these answers."""
        out: list[FeatureRecord] = []
        async with self._engine.connect() as conn:
            for chunk in _chunks([int(i) for i in answer_ids]):
                rows = await conn.execute(select(theme_features).where(theme_features.c.answer_id.in_(chunk)))
                out.extend(feature_record(r) for r in rows)
        return out


async def _relabel(conn: AsyncConnection, stored: Mapping[str, tuple[str, str]], changes: ThemeChanges) -> None:
    """Rewrite the label and description of each stored theme whose answers did not change but whose texts did."""
    touched = {t.key for t in changes.themes}  # written in full already
    rows = [
        {"theme_key": key, "new_label": label[:300], "new_description": description}
        for key, (label, description) in sorted(changes.labels.items())
        if key not in touched and key in stored and stored[key] != (label[:300], description)
    ]
    if rows:  # one statement for all of them (executemany): after an engine upgrade, that may be every theme
        relabel = update(themes).where(themes.c.key == bindparam("theme_key"))
        await conn.execute(relabel.values(label=bindparam("new_label"), description=bindparam("new_description")), rows)


async def _merge(conn: AsyncConnection, gone: str, survivor: str, now: datetime) -> None:
    """Theme `gone` was folded into `survivor`: its card and decisions move along when it had the only card."""
    await conn.execute(
        update(themes)
        .where(themes.c.key == gone)
        .values(state=ThemeStatus.MERGED.value, merged_into=survivor, updated_at=now)
    )
    has_card = select(theme_crossposts.c.theme_key).where(theme_crossposts.c.theme_key == survivor)
    if (await conn.execute(has_card)).first() is not None:
        logger.warning("theme %s merged into %s: both have a card; %s's card is left as it is", gone, survivor, gone)
        return
    moved = await conn.execute(
        update(theme_crossposts).where(theme_crossposts.c.theme_key == gone).values(theme_key=survivor)
    )
    if moved.rowcount:  # the kennismoment shows on the card, so it moves with it
        await conn.execute(update(meetings).where(meetings.c.theme_key == gone).values(theme_key=survivor))
        await conn.execute(
            update(theme_decisions).where(theme_decisions.c.theme_key == gone).values(theme_key=survivor)
        )
        decided = await conn.execute(
            select(theme_decisions.c.decision)
            .where(theme_decisions.c.theme_key == survivor)
            .order_by(theme_decisions.c.decided_at.desc(), theme_decisions.c.id.desc())
            .limit(1)
        )
        last = decided.scalar_one_or_none()
        status = {"plan": ThemeStatus.PLANNED, "dismiss": ThemeStatus.DISMISSED}.get(last or "")
        if status is ThemeStatus.PLANNED and not await _has_meeting(conn, survivor):
            status = None  # its kennismoment was cancelled: it may be planned again
        state = (status or ThemeStatus.CROSSPOSTED).value
        await conn.execute(update(themes).where(themes.c.key == survivor).values(state=state, updated_at=now))
        # The card keeps the name a coordinator gave it (the survivor had no card, so no name of its own).
        name = (await conn.execute(select(themes.c.name).where(themes.c.key == gone))).scalar_one_or_none()
        if name is not None:
            unnamed = update(themes).where(themes.c.key == survivor, themes.c.name.is_(None))
            await conn.execute(unnamed.values(name=name))


async def _has_meeting(conn: AsyncConnection, theme_key: str) -> bool:
    """Whether a kennismoment is scheduled for the theme."""
    query = select(meetings.c.id).where(
        meetings.c.theme_key == theme_key, meetings.c.state == MeetingState.SCHEDULED.value
    )
    return (await conn.execute(query.limit(1))).first() is not None


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """Lists short enough for an IN clause on every backend."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]
