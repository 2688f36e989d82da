"""Benchmark of insights: the `rapport` card and the annual report on 100,000 answers.

A SQLite database (the default store) gets 20 RKKs, 300 besturen and 100,000 visible answers over two
years (2025-W01 to 2026-W52, with week 53 of 2026), 40 rode draden holding a fifth of the answers,
seeded with a fixed seed. Timed: a global coordinator's card (the aggregates, the card JSON), one RKK's
card, and the report over both years (aggregates, matplotlib SVG charts, the HTML page). The reference
is one plain scan that counts every answer joined to its round, measured in the same run. Targets:
under 1 s for a card, under 5 s for the report. Run `python -m bench.report [--answers 100000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cards.insights import insights_card
from i18n.catalog import load_catalog
from reports.page import ReportContext, write_report
from reports.sections import report_sections
from rkk.insights import RECENT_WEEKS, TREND_WEEKS, Period, Scope, load_insights, weeks_back
from rkk.store.crosspost import theme_answers, theme_crossposts, themes
from rkk.store.engine import create_engine
from rkk.store.insights import InsightQueries
from rkk.store.migrate import migrate
from rkk.store.tables import answers, members, questions, rkks, rounds

T = TypeVar("T")
RKKS, BESTUREN, THEMES = 20, 300, 40
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
NOW = datetime(2026, 12, 31, 12, tzinfo=UTC)
CHUNK = 5000


async def seed(engine: AsyncEngine, total: int, rng: random.Random) -> None:
    """RKKs, questions, one posted round per RKK and week, members of besturen, answers and rode draden."""
    weeks = Period(FIRST, LAST).weeks()
    besturen = [f"Gemeente {name}" for name in (f"Bestuur {i:03d}" for i in range(BESTUREN))]
    async with engine.begin() as conn:
        await conn.execute(insert(rkks), [{"key": f"rkk-{i:02d}", "name": f"RKK Regio {i:02d}"} for i in range(RKKS)])
        await conn.execute(
            insert(questions),
            [
                {"key": f"q{i}", "text": f"Vraag {i} over digitale dienstverlening?", "source": "bank"}
                for i in range(120)
            ],
        )
        round_rows = [
            {
                "rkk_key": f"rkk-{r:02d}",
                "week": week,
                "question_id": 1 + (w + r) % 120,
                "question_text": f"Vraag {(w + r) % 120} over digitale dienstverlening?",
                "state": "closed",
                "claimed_at": NOW,
                "posted_at": NOW,
                "conversation_id": f"19:rkk-{r:02d};messageid={w}",
                "message_id": f"{w}",
            }
            for r in range(RKKS)
            for w, week in enumerate(weeks)
            if not (r % 5 == 0 and 26 <= w % 52 <= 34)  # every fifth RKK pauses in summer
        ]
        await conn.execute(insert(rounds), round_rows)
        round_ids = [(row.id, row.rkk_key) for row in await conn.execute(select(rounds.c.id, rounds.c.rkk_key))]
        home = {b: f"rkk-{i % RKKS:02d}" for i, b in enumerate(besturen)}  # each bestuur has a home RKK
        member_rows = [
            {"aad_object_id": f"aad-{m}", "name": f"Lid {m}", "bestuur": besturen[m % BESTUREN], "updated_at": NOW}
            for m in range(BESTUREN * 5)
        ]
        await conn.execute(insert(members), member_rows)
        by_rkk: dict[str, list[int]] = {}
        for round_id, rkk_key in round_ids:
            by_rkk.setdefault(rkk_key, []).append(round_id)
        rows = []
        for n in range(total):
            member = member_rows[rng.randrange(len(member_rows))]
            rkk_key = home[member["bestuur"]] if rng.random() < 0.9 else f"rkk-{rng.randrange(RKKS):02d}"
            rows.append(
                {
                    "round_id": rng.choice(by_rkk[rkk_key]),
                    "member_id": member["aad_object_id"],
                    "member_name": member["name"],
                    "bestuur": member["bestuur"],
                    "text": f"Antwoord {n}",
                    "source": "reply",
                    "message_id": f"m{n}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(answers), rows[start : start + CHUNK])
        await conn.execute(
            insert(themes),
            [
                {
                    "key": f"t-{t}",
                    "label": f"Rode draad {t}: verwerkersovereenkomsten",
                    "terms": "[]",
                    "rkks": "[]",
                    "besturen": "[]",
                    "first_week": weeks[0],
                    "last_week": weeks[-1],
                    "recurring": True,
                    "state": "crossposted",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for t in range(THEMES)
            ],
        )
        await conn.execute(
            insert(theme_crossposts),
            [
                {
                    "theme_key": f"t-{t}",
                    "state": "posted",
                    "claimed_at": NOW,
                    "posted_at": NOW,
                    "rkks": "[]",
                    "besturen": "[]",
                }
                for t in range(THEMES)
            ],
        )
        ids = [row.id for row in await conn.execute(select(answers.c.id))]
        chosen = rng.sample(ids, len(ids) // 5)
        links = [{"answer_id": a, "theme_key": f"t-{rng.randrange(THEMES)}"} for a in chosen]
        for start in range(0, len(links), CHUNK):
            await conn.execute(insert(theme_answers), links[start : start + CHUNK])


async def timed(work: Callable[[], Awaitable[T]], runs: int = 3) -> tuple[float, T]:
    """The best wall time of a few runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = await work()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


async def main(total: int) -> None:
    """Seed, then time the reference scan, the cards and the report."""
    logging.basicConfig(level=logging.WARNING)
    texts = load_catalog()
    with tempfile.TemporaryDirectory(prefix="rkk-bench-report-") as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await migrate(engine)
        started = time.perf_counter()
        await seed(engine, total, random.Random(15))
        seconds = time.perf_counter() - started
        print(f"seeded {total:,} answers, {RKKS} RKKs, {BESTUREN} besturen, 2025-2026 in {seconds:.1f} s")
        source = InsightQueries(engine)
        async with engine.connect() as conn:
            names = {row.key: row.name for row in await conn.execute(select(rkks.c.key, rkks.c.name))}

        async def scan() -> int:
            async with engine.connect() as conn:
                count = select(func.count()).select_from(answers.join(rounds, rounds.c.id == answers.c.round_id))
                return int((await conn.execute(count)).scalar_one())

        async def card(scope: Scope) -> int:
            today = NOW.date()
            insights = await load_insights(
                source, scope, weeks_back(today, TREND_WEEKS), weeks_back(today, RECENT_WEEKS)
            )
            return len(json.dumps(insights_card(insights, texts, "nl"), ensure_ascii=False).encode("utf-8"))

        async def report() -> int:
            context = ReportContext(Scope(names, everything=True), Period(FIRST, LAST), texts, "nl")
            return len((await write_report(report_sections(source), context, NOW)).encode("utf-8"))

        reference, counted = await timed(scan)
        everything, card_bytes = await timed(lambda: card(Scope(names, everything=True)))
        one, one_bytes = await timed(lambda: card(Scope({"rkk-03": names["rkk-03"]}, everything=False)))
        page_time, page_bytes = await timed(report, runs=2)
        await engine.dispose()
    print(f"{'run':<44}{'wall s':>8}{'target s':>10}{'size':>12}")
    print(f"{f'reference: count {counted:,} answers with rounds':<44}{reference:>8.3f}{'':>10}{'':>12}")
    print(f"{'card, global coordinator (20 RKKs)':<44}{everything:>8.3f}{1:>10}{f'{card_bytes:,} B':>12}")
    print(f"{'card, one RKK':<44}{one:>8.3f}{1:>10}{f'{one_bytes:,} B':>12}")
    print(f"{'report 2025-2026 (HTML with SVG charts)':<44}{page_time:>8.3f}{5:>10}{f'{page_bytes:,} B':>12}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().answers))
