"""SQL of the round lifecycle, the question queues and notices; `SqlStore` exposes each as a method."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.model import Question, Round, RoundState
from rkk.ports import Posted
from rkk.rounds import Pool, QuestionSource, RoundFacts
from rkk.store.group_commit import group_commit
from rkk.store.rows import facts_from, insert_once
from rkk.store.tables import answers, questions, round_notices, rounds

logger = logging.getLogger(__name__)

QUEUE = "queue"  # questions.source of queued questions (rkk_key NULL: the queue for all RKKs)
QUEUED, ASKED, REMOVED = "queued", "asked", "removed"


# --- question queues --------------------------------------------------------------------


def _queue_where(rkk_key: str | None) -> Any:
    owner = questions.c.rkk_key.is_(None) if rkk_key is None else questions.c.rkk_key == rkk_key
    return and_(questions.c.source == QUEUE, owner, questions.c.state == QUEUED)


async def enqueue_question(engine: AsyncEngine, rkk_key: str | None, text: str, author: str, now: datetime) -> Question:
    """Append a question to an RKK's queue (None: the queue for all RKKs)."""
    last = select(func.coalesce(func.max(questions.c.position), 0) + 1).where(_queue_where(rkk_key))
    async with engine.begin() as conn:
        result = await conn.execute(
            insert(questions)
            .values(
                key=f"queue-pending-{uuid.uuid4().hex}",  # renamed to queue-{id} below
                text=text,
                source=QUEUE,
                position=last.scalar_subquery(),
                active=True,
                rkk_key=rkk_key,
                state=QUEUED,
                author=author,
                created_at=now,
            )
            .returning(questions.c.id)
        )
        question_id = int(result.scalar_one())
        key = f"queue-{question_id}"
        await conn.execute(update(questions).where(questions.c.id == question_id).values(key=key))
    return Question(question_id, key, text)


async def queued_questions(engine: AsyncEngine, rkk_key: str | None) -> list[Question]:
    """The questions waiting in an RKK's queue (None: the shared queue), next first."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(questions.c.id, questions.c.key, questions.c.text)
            .where(_queue_where(rkk_key))
            .order_by(questions.c.position, questions.c.id)
        )
        return [Question(row.id, row.key, row.text) for row in rows]


async def remove_queued(engine: AsyncEngine, question_id: int) -> bool:
    """Take a waiting question out of its queue; False if it is not waiting (any more)."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(questions)
            .where(questions.c.id == question_id, questions.c.source == QUEUE, questions.c.state == QUEUED)
            .values(state=REMOVED, active=False)
        )
        return bool(result.rowcount == 1)


async def move_queued(engine: AsyncEngine, question_id: int, up: bool) -> bool:
    """Swap a waiting question with its neighbour (up: towards the front); False at the edge or if gone."""
    async with engine.begin() as conn:
        # A no-op write first takes SQLite's write lock before the reads (see close_round).
        await conn.execute(update(questions).where(questions.c.id == question_id).values(position=questions.c.position))
        row = (
            await conn.execute(
                select(questions.c.rkk_key, questions.c.position, questions.c.id).where(
                    questions.c.id == question_id, questions.c.source == QUEUE, questions.c.state == QUEUED
                )
            )
        ).first()
        if row is None:
            return False
        queue = (
            await conn.execute(
                select(questions.c.id, questions.c.position)
                .where(_queue_where(row.rkk_key))
                .order_by(questions.c.position, questions.c.id)
            )
        ).all()
        ids = [item.id for item in queue]
        index = ids.index(question_id)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ids):
            return False
        ids[index], ids[other] = ids[other], ids[index]
        for position, item_id in enumerate(ids, start=1):  # renumber: positions may have gaps or ties
            await conn.execute(update(questions).where(questions.c.id == item_id).values(position=position))
        return True


async def rotation_pool(engine: AsyncEngine, rkk_key: str) -> Pool:
    """The RKK's own queue, the shared queue and the active starter bank, each in order (one query)."""
    queued = and_(
        questions.c.source == QUEUE,
        questions.c.state == QUEUED,
        or_(questions.c.rkk_key.is_(None), questions.c.rkk_key == rkk_key),
    )
    bank = and_(questions.c.source == "bank", questions.c.active.is_(True))
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(questions.c.id, questions.c.key, questions.c.text, questions.c.source, questions.c.rkk_key)
            .where(or_(queued, bank))
            .order_by(questions.c.position, questions.c.id)
        )
        own: list[Question] = []
        shared: list[Question] = []
        starter: list[Question] = []
        for row in rows:
            target = starter if row.source != QUEUE else shared if row.rkk_key is None else own
            target.append(Question(row.id, row.key, row.text))
    return Pool(own, shared, starter)


# --- claiming and posting -----------------------------------------------------------------


async def claim_round_as(
    engine: AsyncEngine,
    rkk_key: str,
    week: str,
    question: Question,
    source: QuestionSource,
    owner: str,
    now: datetime,
    lease: timedelta,
) -> Round | None:
    """Create the week's round owned by `owner`; None if it exists. An own-queue question is used up with it."""

    async def write(conn: AsyncConnection) -> Row[Any] | None:
        try:
            async with conn.begin_nested():  # a savepoint: a lost race must not undo the batch's other writes
                result = await conn.execute(
                    insert(rounds)
                    .values(
                        rkk_key=rkk_key,
                        week=week,
                        question_id=question.id,
                        question_text=question.text,
                        state=RoundState.CLAIMED.value,
                        claimed_at=now,
                        attempts=1,
                        owner=owner,
                        lease_until=now + lease,
                    )
                    .returning(*rounds.c)
                )
                row = result.one()
                if source is QuestionSource.OWN_QUEUE:
                    await conn.execute(update(questions).where(questions.c.id == question.id).values(state=ASKED))
        except IntegrityError:
            logger.info("round %s %s already claimed", rkk_key, week)
            return None
        return row

    row = await group_commit(engine).run(write, order=(0, rkk_key))
    return _facts(row).round if row is not None else None


async def take_over_round(
    engine: AsyncEngine, round_id: int, owner: str, now: datetime, lease: timedelta, uncertain: bool = False
) -> Round | None:
    """Own a failed round, an abandoned unsent claim (lease over) or, when `uncertain`, an uncertain one."""
    if uncertain:
        where = and_(rounds.c.state == RoundState.CLAIMED.value, rounds.c.sending_at.is_not(None))
    else:
        where = or_(
            rounds.c.state == RoundState.FAILED.value,
            and_(
                rounds.c.state == RoundState.CLAIMED.value,
                rounds.c.sending_at.is_(None),
                rounds.c.lease_until <= now,
            ),
        )
    async with engine.begin() as conn:
        result = await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, where)
            .values(
                state=RoundState.CLAIMED.value,
                owner=owner,
                lease_until=now + lease,
                claimed_at=now,
                sending_at=None,
                uncertain_at=None,
                attempts=rounds.c.attempts + 1,
            )
            .returning(*rounds.c)
        )
        row = result.first()
    return _facts(row).round if row else None


async def start_sending(engine: AsyncEngine, round_id: int, owner: str, now: datetime) -> bool:
    """The fence before the HTTP call: True for exactly one caller, the owner of an unsent claim."""

    async def write(conn: AsyncConnection) -> bool:
        result = await conn.execute(
            update(rounds)
            .where(
                rounds.c.id == round_id,
                rounds.c.state == RoundState.CLAIMED.value,
                rounds.c.owner == owner,
                rounds.c.sending_at.is_(None),
            )
            .values(sending_at=now)
        )
        return bool(result.rowcount == 1)

    return await group_commit(engine).run(write, order=(1, f"{round_id:012d}"))


async def stop_sending(engine: AsyncEngine, round_id: int, owner: str, now: datetime, lease: timedelta) -> None:
    """Teams refused the attempt outright (nothing was posted): the claim is unsent again."""

    async def write(conn: AsyncConnection) -> None:
        await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.owner == owner, rounds.c.state == RoundState.CLAIMED.value)
            .values(sending_at=None, lease_until=now + lease)
        )

    await group_commit(engine).run(write, order=(1, f"{round_id:012d}"))


async def finish_posted(engine: AsyncEngine, round_id: int, posted: Posted, now: datetime) -> Round:
    """Teams took the card: remember where (also when a coordinator adopts an uncertain round)."""

    async def write(conn: AsyncConnection) -> Row[Any]:
        result = await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id)
            .values(
                state=RoundState.POSTED.value,
                posted_at=now,
                conversation_id=posted.conversation_id,
                message_id=posted.message_id,
                last_error=None,
                uncertain_at=None,
            )
            .returning(*rounds.c)
        )
        return result.one()

    return _facts(await group_commit(engine).run(write, order=(1, f"{round_id:012d}"))).round


async def finish_failed(engine: AsyncEngine, round_id: int, error: str) -> None:
    """Teams did not take the card after all retries; a later attempt may claim the round again."""
    async with engine.begin() as conn:
        await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.state == RoundState.CLAIMED.value)
            .values(state=RoundState.FAILED.value, sending_at=None, last_error=error[:2000])
        )


async def mark_uncertain(engine: AsyncEngine, round_id: int, error: str, now: datetime) -> bool:
    """Flag a round whose card may or may not be in Teams; True the first time."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(rounds)
            .where(
                rounds.c.id == round_id,
                rounds.c.state == RoundState.CLAIMED.value,
                rounds.c.sending_at.is_not(None),
                rounds.c.uncertain_at.is_(None),
            )
            .values(uncertain_at=now, last_error=error[:2000])
        )
        return bool(result.rowcount == 1)


async def dismiss_uncertain(engine: AsyncEngine, round_id: int, now: datetime) -> bool:
    """A coordinator gives up on an uncertain round: it counts as closed without a card."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(rounds)
            .where(
                rounds.c.id == round_id, rounds.c.state == RoundState.CLAIMED.value, rounds.c.sending_at.is_not(None)
            )
            .values(state=RoundState.CLOSED.value, closed_at=now, card_closed_at=now, final_count=0)
        )
        return bool(result.rowcount == 1)


# --- reminders and closing ----------------------------------------------------------------


async def claim_reminder(engine: AsyncEngine, round_id: int, now: datetime) -> bool:
    """True exactly once per round: the caller sends the reminder (at most once, by design)."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.state == RoundState.POSTED.value, rounds.c.reminded_at.is_(None))
            .values(reminded_at=now)
        )
        return bool(result.rowcount == 1)


async def set_reminder_message(engine: AsyncEngine, round_id: int, message_id: str | None) -> None:
    """Remember the reminder's activity id."""
    async with engine.begin() as conn:
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(reminder_message_id=message_id))


async def close_round(engine: AsyncEngine, round_id: int, now: datetime) -> int | None:
    """Close a posted round and freeze its answer count; None if it was not open (someone else closed it)."""
    async with engine.begin() as conn:
        # Write first: on SQLite a transaction that reads before it writes cannot upgrade its lock
        # when another connection wrote meanwhile ("database is locked").
        result = await conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.state == RoundState.POSTED.value)
            .values(state=RoundState.CLOSED.value, closed_at=now)
        )
        if result.rowcount != 1:
            return None
        count = (
            await conn.execute(
                select(func.count())
                .select_from(answers)
                .where(answers.c.round_id == round_id, answers.c.hidden.is_(False))
            )
        ).scalar_one()
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(final_count=int(count)))
        return int(count)


async def mark_card_closed(engine: AsyncEngine, round_id: int, now: datetime) -> None:
    """The card in Teams now shows the closed view."""
    async with engine.begin() as conn:
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(card_closed_at=now, last_error=None))


async def set_round_error(engine: AsyncEngine, round_id: int, error: str) -> None:
    """Remember the last thing that went wrong with a round (shown in the status)."""
    async with engine.begin() as conn:
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(last_error=error[:2000]))


# --- reading ------------------------------------------------------------------------------


async def round_facts(engine: AsyncEngine, round_id: int) -> RoundFacts | None:
    """A round with its lifecycle timestamps."""
    async with engine.connect() as conn:
        row = (await conn.execute(select(rounds).where(rounds.c.id == round_id))).first()
    return _facts(row) if row else None


async def active_round_facts(engine: AsyncEngine) -> list[RoundFacts]:
    """Every round the lifecycle job may still have to act on."""
    unfinished = or_(
        rounds.c.state.in_([RoundState.CLAIMED.value, RoundState.POSTED.value]),
        and_(
            rounds.c.state == RoundState.CLOSED.value,
            rounds.c.card_closed_at.is_(None),
            rounds.c.message_id.is_not(None),
        ),
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(select(rounds).where(unfinished).order_by(rounds.c.week, rounds.c.rkk_key))).all()
    return [_facts(row) for row in rows]


async def week_facts(engine: AsyncEngine, week: str) -> dict[str, RoundFacts]:
    """This week's round of every RKK that has one, by RKK key."""
    async with engine.connect() as conn:
        rows = (await conn.execute(select(rounds).where(rounds.c.week == week))).all()
    return {row.rkk_key: _facts(row) for row in rows}


async def latest_open_round(engine: AsyncEngine, rkk_key: str) -> Round | None:
    """The RKK's newest round that accepts answers."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(rounds)
                .where(rounds.c.rkk_key == rkk_key, rounds.c.state == RoundState.POSTED.value)
                .order_by(rounds.c.week.desc())
            )
        ).first()
    return _facts(row).round if row else None


async def answer_counts(engine: AsyncEngine, round_ids: Sequence[int]) -> dict[int, int]:
    """Visible answers per round."""
    if not round_ids:
        return {}
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(answers.c.round_id, func.count().label("n"))
            .where(answers.c.round_id.in_(list(round_ids)), answers.c.hidden.is_(False))
            .group_by(answers.c.round_id)
        )
        return {row.round_id: int(row.n) for row in rows}


# --- notices ------------------------------------------------------------------------------


async def claim_notice(engine: AsyncEngine, rkk_key: str, week: str, kind: str, detail: str, now: datetime) -> bool:
    """True exactly once per (RKK, week, kind), across restarts and replicas: the caller tells the coordinators."""
    async with engine.begin() as conn:
        return await insert_once(
            conn, round_notices, rkk_key=rkk_key, week=week, kind=kind, detail=detail[:2000], created_at=now
        )


async def mark_notice_sent(engine: AsyncEngine, rkk_key: str, week: str, kind: str, now: datetime) -> None:
    """The notice reached the channel."""
    async with engine.begin() as conn:
        await conn.execute(
            update(round_notices)
            .where(round_notices.c.rkk_key == rkk_key, round_notices.c.week == week, round_notices.c.kind == kind)
            .values(sent_at=now)
        )


async def week_notices(engine: AsyncEngine, week: str) -> dict[str, list[str]]:
    """The kinds of notice given this week, by RKK key."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(round_notices.c.rkk_key, round_notices.c.kind)
            .where(round_notices.c.week == week)
            .order_by(round_notices.c.id)
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.rkk_key, []).append(row.kind)
        return found


def _facts(row: Row[Any]) -> RoundFacts:
    return facts_from(row)
