"""The insight aggregates on SQLite and PostgreSQL equal the counts made by hand in conftest.py's table."""

from __future__ import annotations

from datetime import date

from rkk.insights import (
    BestuurRow,
    Counts,
    Period,
    QuestionRow,
    Scope,
    ThemeCount,
    bestuur_participation,
    load_insights,
    load_trend,
    monthly_participation,
    theme_history,
    top_questions,
)
from rkk.store.insights import InsightQueries
from tests.integration.insights.conftest import NOW, SCOPE, InsightWorld

DECEMBER = Period(date(2026, 11, 30), date(2027, 1, 3))  # 2026-W49 .. 2026-W53
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
EVERYTHING = Scope(SCOPE, everything=True)


def _counts(*triples: tuple[int, int, int]) -> tuple[Counts, ...]:
    return tuple(Counts(*triple) for triple in triples)


async def test_weekly_trend_counts_answers_besturen_and_questions_per_rkk(world: InsightWorld) -> None:
    """Per RKK and week: visible answers, known besturen, questions; weeks without answers and paused weeks are 0."""
    trend = await load_trend(InsightQueries(world.store.engine), EVERYTHING, DECEMBER)
    assert [bucket.key for bucket in trend.buckets] == ["2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53"]
    by_rkk = {series.rkk_key: series.counts for series in trend.rkks}
    assert by_rkk["antwerpen"] == _counts((0, 0, 0), (3, 2, 1), (0, 0, 1), (1, 1, 1), (3, 2, 1))
    assert by_rkk["kempen"] == _counts((0, 0, 0), (2, 2, 1), (0, 0, 0), (0, 0, 0), (0, 0, 1))
    assert by_rkk["limburg"] == _counts(*[(0, 0, 0)] * 5)


async def test_total_counts_a_bestuur_answering_in_two_rkks_once(world: InsightWorld) -> None:
    """Stad Hoogstraten answered in Antwerpen and Kempen in W50: the total has 3 besturen, not 4."""
    trend = await load_trend(InsightQueries(world.store.engine), EVERYTHING, DECEMBER)
    assert trend.total == _counts((0, 0, 0), (5, 3, 2), (0, 0, 1), (1, 1, 1), (3, 2, 2))


async def test_one_rkk_scope_reads_only_that_rkk(world: InsightWorld) -> None:
    """A coordinator of Kempen gets Kempen's numbers, and the total equals them."""
    trend = await load_trend(InsightQueries(world.store.engine), Scope({"kempen": "RKK Kempen"}, False), DECEMBER)
    assert [series.rkk_key for series in trend.rkks] == ["kempen"]
    assert trend.total == _counts((0, 0, 0), (2, 2, 1), (0, 0, 0), (0, 0, 0), (0, 0, 1))


async def test_months_put_iso_week_53_in_december(world: InsightWorld) -> None:
    """Per month over 2026: week 53 (28 Dec - 3 Jan) counts in December; October has Kempen's week 40."""
    trend = await monthly_participation(InsightQueries(world.store.engine), EVERYTHING, YEAR)
    assert [bucket.key for bucket in trend.buckets] == [f"2026-{month:02d}" for month in range(1, 13)]
    by_rkk = {series.rkk_key: series.counts for series in trend.rkks}
    assert by_rkk["antwerpen"][11] == Counts(7, 3, 4)
    assert by_rkk["kempen"][9] == Counts(1, 1, 1)
    assert by_rkk["kempen"][11] == Counts(2, 2, 2)
    assert trend.total[11] == Counts(9, 4, 6)
    assert [counts.answers for counts in trend.total[:9]] == [0] * 9


async def test_besturen_split_lists_silent_besturen_by_name(world: InsightWorld) -> None:
    """In W50-W53 four besturen answered; Stad Turnhout answered before and is silent; "onbekend" is neither."""
    insights = await load_insights(InsightQueries(world.store.engine), EVERYTHING, DECEMBER, DECEMBER)
    assert insights.besturen.answered == (
        "Gemeente Brasschaat",
        "OCMW Diepenbeek",
        "Politiezone Grens",
        "Stad Hoogstraten",
    )
    assert insights.besturen.silent == ("Stad Turnhout",)


async def test_roster_besturen_that_never_answered_are_silent(world: InsightWorld) -> None:
    """A bestuur the team's roster shows but that never answered is listed as silent."""
    queries = InsightQueries(world.store.engine)
    insights = await load_insights(queries, EVERYTHING, DECEMBER, DECEMBER, present={"Gemeente Essen"})
    assert insights.besturen.silent == ("Gemeente Essen", "Stad Turnhout")


async def test_card_themes_are_rode_draden_with_their_besturen_in_the_window(world: InsightWorld) -> None:
    """Only MAGDA counts: 3 besturen, 5 visible answers in W50-W53; dismissed and open themes are left out."""
    insights = await load_insights(InsightQueries(world.store.engine), EVERYTHING, DECEMBER, DECEMBER)
    assert insights.themes == (ThemeCount("magda", "MAGDA documenten", 3, 5),)


async def test_bestuur_rows_count_answers_questions_and_rkks(world: InsightWorld) -> None:
    """Per bestuur over 2026, most answers first; a hidden answer and "onbekend" do not count."""
    rows = await bestuur_participation(InsightQueries(world.store.engine), EVERYTHING, YEAR)
    assert rows == [
        BestuurRow("Gemeente Brasschaat", 4, 3, 1),
        BestuurRow("Stad Hoogstraten", 2, 2, 2),
        BestuurRow("OCMW Diepenbeek", 1, 1, 1),
        BestuurRow("Politiezone Grens", 1, 1, 1),
        BestuurRow("Stad Turnhout", 1, 1, 1),
    ]


async def test_top_questions_group_one_question_over_rkks(world: InsightWorld) -> None:
    """The first question, asked in both RKKs, has 9 answers in 2026; the second 1."""
    rows = await top_questions(InsightQueries(world.store.engine), EVERYTHING, YEAR)
    assert [(row.text, row.answers, row.besturen, row.rkks) for row in rows] == [
        ("Hoe pakken jullie MAGDA aan?", 9, 4, 2),
        ("Welke back-up?", 1, 1, 1),
    ]
    assert all(isinstance(row, QuestionRow) for row in rows)


async def test_theme_history_has_cross_posts_and_last_decisions(world: InsightWorld) -> None:
    """MAGDA (planned) and Phishing (dismissed) with their spread in 2026, cross-post moment and decision."""
    rows = await theme_history(InsightQueries(world.store.engine), EVERYTHING, YEAR)
    assert [(r.key, r.besturen, r.rkks, r.answers, r.status, r.decision) for r in rows] == [
        ("magda", 3, 2, 5, "planned", "plan"),
        ("phishing", 1, 1, 2, "dismissed", "dismiss"),
    ]
    assert rows[0].crossposted_at == NOW
    assert rows[0].decided_at == NOW
