"""The SQL adapter of the `Store` port (SQLite and PostgreSQL through SQLAlchemy Core)."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.meetings import MeetingState
from rkk.model import (
    Answer,
    AnswerSource,
    ChannelTarget,
    ExportRow,
    Installation,
    Member,
    Question,
    Rkk,
    Round,
)
from rkk.ports import Posted
from rkk.rounds import CardAnswerSaved, Pool, QuestionSource, RoundFacts
from rkk.store.crosspost import theme_answers, themes
from rkk.store.group_commit import group_commit
from rkk.store.meetings import meetings
from rkk.store.rounds import lifecycle as rounds_sql
from rkk.store.rows import facts_from, insert_once, insert_unless_conflict, rkk_from, round_from
from rkk.store.tables import answers, channels, members, questions, rkks, rounds, teams
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)

# The unique index that makes a member's card answer one per round (uq_answers_card_member); its predicate is
# literal SQL because PostgreSQL matches a partial index only on the predicate's text, not on a parameter.
CARD_ANSWER_KEY = ([answers.c.round_id, answers.c.member_id], text(f"source = '{AnswerSource.CARD.value}'"))


class SqlStore:
    """Every read and write of the bot's state; each method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @property
    def engine(self) -> AsyncEngine:
        """The engine, for migrations and shutdown."""
        return self._engine

    async def register_installation(self, installation: Installation, now: datetime) -> None:
        """Remember a team the bot was added to, its channels and how to reach it."""
        values = {
            "name": installation.team_name,
            "aad_group_id": installation.aad_group_id,
            "tenant_id": installation.tenant_id,
            "service_url": installation.service_url,
            "bot_id": installation.bot_id,
        }
        async with self._engine.begin() as conn:
            changed = await conn.execute(update(teams).where(teams.c.id == installation.team_id).values(**values))
            if changed.rowcount == 0:
                await conn.execute(insert(teams).values(id=installation.team_id, installed_at=now, **values))
            for channel_id, name in installation.channels:
                renamed = await conn.execute(update(channels).where(channels.c.id == channel_id).values(name=name))
                if renamed.rowcount == 0:
                    await conn.execute(insert(channels).values(id=channel_id, team_id=installation.team_id, name=name))

    async def claim_greeting(self, team_id: str, now: datetime) -> bool:
        """True exactly once per team: the caller may greet it."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(teams).where(teams.c.id == team_id, teams.c.greeted_at.is_(None)).values(greeted_at=now)
            )
            return bool(result.rowcount == 1)

    async def upsert_rkk(self, key: str, name: str, team_id: str | None, channel_id: str | None) -> None:
        """Create or rename an RKK and point it at a team and channel (a known team is kept)."""
        async with self._engine.begin() as conn:
            current = (await conn.execute(select(rkks).where(rkks.c.key == key))).first()
            if current is None:
                await conn.execute(insert(rkks).values(key=key, name=name, team_id=team_id, channel_id=channel_id))
                return
            values: dict[str, Any] = {"name": name}
            if team_id is not None:
                values.update(team_id=team_id, channel_id=channel_id)
            await conn.execute(update(rkks).where(rkks.c.key == key).values(**values))

    async def set_rkk_target(self, key: str, target: ChannelTarget) -> None:
        """Store how to reach the RKK's channel proactively."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(rkks)
                .where(rkks.c.key == key)
                .values(
                    team_id=target.team_id,
                    channel_id=target.channel_id,
                    service_url=target.service_url,
                    tenant_id=target.tenant_id,
                )
            )

    async def get_rkk(self, key: str) -> Rkk | None:
        """The RKK with this key."""
        return await self._one_rkk(rkks.c.key == key)

    async def rkk_for_team(self, team_id: str) -> Rkk | None:
        """The RKK whose team this is."""
        return await self._one_rkk(rkks.c.team_id == team_id)

    async def list_rkks(self) -> Sequence[Rkk]:
        """Every RKK, by key."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(rkks).order_by(rkks.c.key))).all()
        return [rkk_from(row) for row in rows]

    async def team_channels(self, team_id: str) -> Sequence[tuple[str, str]]:
        """The (id, name) of each channel known for a team."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(channels.c.id, channels.c.name).where(channels.c.team_id == team_id).order_by(channels.c.name)
            )
            return [(row.id, row.name) for row in rows]

    async def sync_question_bank(self, bank: Sequence[tuple[str, str]]) -> None:
        """Make the starter bank (key, text) present in order; entries no longer in it are retired."""
        async with self._engine.begin() as conn:
            existing = {
                row.key for row in await conn.execute(select(questions.c.key).where(questions.c.source == "bank"))
            }
            for position, (key, question_text) in enumerate(bank):
                values = {"text": question_text, "position": position, "active": True}
                if key in existing:
                    await conn.execute(update(questions).where(questions.c.key == key).values(**values))
                else:
                    await conn.execute(insert(questions).values(key=key, source="bank", **values))
            retired = existing - {key for key, _ in bank}
            if retired:
                await conn.execute(update(questions).where(questions.c.key.in_(retired)).values(active=False))

    async def last_asked(self, rkk_key: str) -> dict[int, str]:
        """For each question asked in this RKK, the last ISO week it was asked."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(rounds.c.question_id, func.max(rounds.c.week).label("week"))
                .where(rounds.c.rkk_key == rkk_key)
                .group_by(rounds.c.question_id)
            )
            return {row.question_id: row.week for row in rows}

    async def round_for_week(self, rkk_key: str, week: str) -> Round | None:
        """The round of this RKK in this week, if any."""
        return await self._one_round(and_(rounds.c.rkk_key == rkk_key, rounds.c.week == week))

    async def get_round(self, round_id: int) -> Round | None:
        """A round by id."""
        return await self._one_round(rounds.c.id == round_id)

    async def round_in_team(self, round_id: int, team_id: str) -> tuple[RoundFacts, Rkk] | None:
        """The round with its RKK, only if the round belongs to the RKK of this team (one query)."""
        rkk_columns = [column.label(f"rkk__{column.name}") for column in rkks.c]
        query = (
            select(rounds, *rkk_columns)
            .join(rkks, rkks.c.key == rounds.c.rkk_key)
            .where(rounds.c.id == round_id, rkks.c.team_id == team_id)
        )
        async with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one SELECT needs no BEGIN and ROLLBACK round trips
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            row = (await conn.execute(query)).first()
        return (facts_from(row), rkk_from(row, prefix="rkk__")) if row is not None else None

    async def save_card_answer(self, round_id: int, member: Member, text: str, now: datetime) -> CardAnswerSaved:
        """The member's profile and card answer (replacing an earlier one) and the round's new count, in one
        transaction.

        On SQLite, answers arriving together share a transaction (group commit): when a question goes out,
        dozens of members answer within seconds, and each commit would wait for the one write lock. On
        PostgreSQL each answer has its own transaction, which run side by side (measured: a shared batch
        halved the rate, `bench/inbound.py`).
        """
        where = and_(
            answers.c.round_id == round_id,
            answers.c.member_id == member.aad_object_id,
            answers.c.source == AnswerSource.CARD.value,
        )
        values = {
            "text": text,
            "member_name": member.name,
            "bestuur": member.bestuur,
            "updated_at": now,
            "hidden": False,
        }
        profile = {"name": member.name, "email": member.email, "bestuur": member.bestuur, "updated_at": now}

        async def write(conn: AsyncConnection) -> CardAnswerSaved:
            known = await conn.execute(
                update(members).where(members.c.aad_object_id == member.aad_object_id).values(**profile)
            )
            if known.rowcount == 0:
                await insert_once(conn, members, aad_object_id=member.aad_object_id, **profile)
            # RETURNING and ON CONFLICT save the round trips of a read-back and a savepoint (both databases).
            row = (await conn.execute(update(answers).where(where).values(**values).returning(answers))).first()
            is_new = row is None
            if row is None:
                first = {"round_id": round_id, "member_id": member.aad_object_id, "source": AnswerSource.CARD.value}
                row = await insert_unless_conflict(
                    conn, answers, CARD_ANSWER_KEY, {**first, "created_at": now, **values}
                )
            if row is None:  # a concurrent first answer of the same member won; ours becomes the edit
                is_new = False
                row = (await conn.execute(update(answers).where(where).values(**values).returning(answers))).one()
            count = await conn.scalar(
                select(func.count())
                .select_from(answers)
                .where(answers.c.round_id == round_id, answers.c.hidden.is_(False))
            )
            return CardAnswerSaved(_answer(row), is_new, int(count or 0))

        if self._engine.dialect.name == "sqlite":  # one write lock for everyone: share the commit
            return await group_commit(self._engine).run(write, order=(5, f"{member.aad_object_id}:{round_id:012d}"))
        async with self._engine.begin() as conn:  # PostgreSQL writes in parallel; a shared batch would queue them
            return await write(conn)

    async def card_answer(self, round_id: int, member_id: str) -> Answer | None:
        """The member's card answer to a round."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(answers).where(
                        answers.c.round_id == round_id,
                        answers.c.member_id == member_id,
                        answers.c.source == AnswerSource.CARD.value,
                        answers.c.hidden.is_(False),
                    )
                )
            ).first()
        return _answer(row) if row else None

    async def count_answers(self, round_id: int) -> int:
        """How many visible answers a round has."""
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(func.count())
                .select_from(answers)
                .where(answers.c.round_id == round_id, answers.c.hidden.is_(False))
            )
            return int(result.scalar_one())

    async def export_rows(
        self, rkk_keys: Collection[str] | None = None, until: datetime | None = None
    ) -> Sequence[ExportRow]:
        """Every visible answer with its context and theme, oldest first (of these RKKs, given up to `until`)."""
        planned = meetings.c.state == MeetingState.SCHEDULED.value
        query = (
            select(
                answers,
                rounds.c.rkk_key,
                rounds.c.week,
                rounds.c.question_text,
                func.coalesce(themes.c.name, themes.c.label).label("theme_name"),
                themes.c.description.label("theme_description"),
                themes.c.state.label("theme_state"),
                meetings.c.starts_at.label("meeting_at"),
            )
            .join(rounds, rounds.c.id == answers.c.round_id)
            .outerjoin(theme_answers, theme_answers.c.answer_id == answers.c.id)
            .outerjoin(themes, themes.c.key == theme_answers.c.theme_key)
            .outerjoin(meetings, (meetings.c.theme_key == themes.c.key) & planned)
            .where(answers.c.hidden.is_(False))
            .order_by(answers.c.created_at, answers.c.id)
        )
        if rkk_keys is not None:
            query = query.where(rounds.c.rkk_key.in_(list(rkk_keys)))
        if until is not None:
            query = query.where(answers.c.created_at <= until)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ExportRow(
                answer_id=row.id,
                rkk=row.rkk_key,
                week=row.week,
                question=row.question_text,
                member_id=row.member_id,
                member_name=row.member_name,
                bestuur=row.bestuur,
                text=row.text,
                source=row.source,
                created_at=as_utc(row.created_at).isoformat(),
                updated_at=as_utc(row.updated_at).isoformat(),
                theme=row.theme_name or "",
                theme_description=row.theme_description or "",
                theme_state=row.theme_state or "",
                kennismoment=as_utc(row.meeting_at).isoformat() if row.meeting_at else "",
            )
            for row in rows
        ]

    async def _one_rkk(self, where: Any) -> Rkk | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(rkks).where(where).order_by(rkks.c.key))).first()
        return rkk_from(row) if row else None

    async def _one_round(self, where: Any) -> Round | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(rounds).where(where))).first()
        return round_from(row) if row else None

    # --- round lifecycle, question queues, notices (SQL in rkk/store/rounds/lifecycle.py) ---

    async def enqueue_question(self, rkk_key: str | None, text: str, author: str) -> Question:
        """Append a question to an RKK's queue (None: the queue for all RKKs)."""
        return await rounds_sql.enqueue_question(self._engine, rkk_key, text, author, datetime.now(UTC))

    async def queued_questions(self, rkk_key: str | None) -> list[Question]:
        """The questions waiting in an RKK's queue (None: the shared queue), next first."""
        return await rounds_sql.queued_questions(self._engine, rkk_key)

    async def remove_queued(self, question_id: int) -> bool:
        """Take a waiting question out of its queue; False if it is not waiting."""
        return await rounds_sql.remove_queued(self._engine, question_id)

    async def move_queued(self, question_id: int, up: bool) -> bool:
        """Swap a waiting question with its neighbour; False at the edge or if gone."""
        return await rounds_sql.move_queued(self._engine, question_id, up)

    async def rotation_pool(self, rkk_key: str) -> Pool:
        """The RKK's own queue, the shared queue and the starter bank."""
        return await rounds_sql.rotation_pool(self._engine, rkk_key)

    async def claim_round_as(
        self,
        rkk_key: str,
        week: str,
        question: Question,
        source: QuestionSource,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> Round | None:
        """Create the week's round owned by `owner`; None if it exists."""
        return await rounds_sql.claim_round_as(self._engine, rkk_key, week, question, source, owner, now, lease)

    async def take_over_round(
        self, round_id: int, owner: str, now: datetime, lease: timedelta, uncertain: bool = False
    ) -> Round | None:
        """Own a failed round or an abandoned unsent claim (or, when `uncertain`, an uncertain one)."""
        return await rounds_sql.take_over_round(self._engine, round_id, owner, now, lease, uncertain)

    async def start_sending(self, round_id: int, owner: str, now: datetime) -> bool:
        """The fence before the HTTP call: True for exactly one caller."""
        return await rounds_sql.start_sending(self._engine, round_id, owner, now)

    async def stop_sending(self, round_id: int, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the attempt outright: the claim is unsent again."""
        await rounds_sql.stop_sending(self._engine, round_id, owner, now, lease)

    async def finish_posted(self, round_id: int, posted: Posted, now: datetime) -> Round:
        """Record where the card landed."""
        return await rounds_sql.finish_posted(self._engine, round_id, posted, now)

    async def finish_failed(self, round_id: int, error: str) -> None:
        """Record that Teams refused the card after all retries."""
        await rounds_sql.finish_failed(self._engine, round_id, error)

    async def mark_uncertain(self, round_id: int, error: str, now: datetime) -> bool:
        """Flag a round whose card may or may not be in Teams; True the first time."""
        return await rounds_sql.mark_uncertain(self._engine, round_id, error, now)

    async def dismiss_uncertain(self, round_id: int, now: datetime) -> bool:
        """Close an uncertain round without a card (a coordinator's decision)."""
        return await rounds_sql.dismiss_uncertain(self._engine, round_id, now)

    async def claim_reminder(self, round_id: int, now: datetime) -> bool:
        """True exactly once per round."""
        return await rounds_sql.claim_reminder(self._engine, round_id, now)

    async def set_reminder_message(self, round_id: int, message_id: str | None) -> None:
        """Remember the reminder's activity id."""
        await rounds_sql.set_reminder_message(self._engine, round_id, message_id)

    async def close_round(self, round_id: int, now: datetime) -> int | None:
        """Close a posted round; its final answer count, or None if it was not open."""
        return await rounds_sql.close_round(self._engine, round_id, now)

    async def mark_card_closed(self, round_id: int, now: datetime) -> None:
        """The card shows the closed view."""
        await rounds_sql.mark_card_closed(self._engine, round_id, now)

    async def set_round_error(self, round_id: int, error: str) -> None:
        """Remember the last error of a round."""
        await rounds_sql.set_round_error(self._engine, round_id, error)

    async def round_facts(self, round_id: int) -> RoundFacts | None:
        """A round with its lifecycle timestamps."""
        return await rounds_sql.round_facts(self._engine, round_id)

    async def active_round_facts(self) -> list[RoundFacts]:
        """Every round the lifecycle job may still act on."""
        return await rounds_sql.active_round_facts(self._engine)

    async def week_facts(self, week: str) -> dict[str, RoundFacts]:
        """This week's rounds by RKK key."""
        return await rounds_sql.week_facts(self._engine, week)

    async def latest_open_round(self, rkk_key: str) -> Round | None:
        """The RKK's newest round that accepts answers."""
        return await rounds_sql.latest_open_round(self._engine, rkk_key)

    async def answer_counts(self, round_ids: Sequence[int]) -> dict[int, int]:
        """Visible answers per round."""
        return await rounds_sql.answer_counts(self._engine, round_ids)

    async def claim_notice(self, rkk_key: str, week: str, kind: str, detail: str, now: datetime) -> bool:
        """True exactly once per (RKK, week, kind)."""
        return await rounds_sql.claim_notice(self._engine, rkk_key, week, kind, detail, now)

    async def mark_notice_sent(self, rkk_key: str, week: str, kind: str, now: datetime) -> None:
        """The notice reached Teams."""
        await rounds_sql.mark_notice_sent(self._engine, rkk_key, week, kind, now)

    async def week_notices(self, week: str) -> dict[str, list[str]]:
        """The kinds of notice given this week, by RKK key."""
        return await rounds_sql.week_notices(self._engine, week)


def _answer(row: Row[Any]) -> Answer:
    return Answer(
        id=row.id,
        round_id=row.round_id,
        member_id=row.member_id,
        member_name=row.member_name,
        bestuur=row.bestuur,
        text=row.text,
        source=AnswerSource(row.source),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )
