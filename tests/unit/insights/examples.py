"""Insights to build cards from without a database: a small one and one as large as V-ICT-OR's."""

from __future__ import annotations

from datetime import date

from rkk.insights import (
    BesturenSplit,
    Counts,
    Insights,
    RkkSeries,
    Scope,
    ThemeCount,
    Trend,
    buckets,
    weeks_back,
)

TODAY = date(2026, 11, 23)


def large_insights() -> Insights:
    """20 RKKs with long names, 12 weeks of three-digit counts, 300 besturen all silent, 10 long theme labels."""
    trend_period, recent = weeks_back(TODAY, 12), weeks_back(TODAY, 8)
    chosen = buckets(trend_period)
    names = {f"rkk-{i:02d}": f"RKK Regio Oost-Vlaanderen-Zuid {i:02d}" for i in range(20)}
    series = tuple(
        RkkSeries(key, name, tuple(Counts(100 + i + w, 90 + w, 1) for w in range(len(chosen))), TODAY)
        for i, (key, name) in enumerate(names.items())
    )
    total = tuple(Counts(2000 + w, 300, 20) for w in range(len(chosen)))
    silent = tuple(f"Gemeente Sint-Lievens-Houtem-Zottegem {i:03d}" for i in range(300))
    themes = tuple(
        ThemeCount(f"t-{i}", f"verwerkersovereenkomsten met leveranciers van software {i}", 300 - i, 999)
        for i in range(10)
    )
    return Insights(
        Scope(names, everything=True),
        trend_period,
        recent,
        Trend(chosen, series, total),
        BesturenSplit((), silent),
        themes,
    )


def small_insights() -> Insights:
    """One RKK, four weeks, two besturen that answered and one silent, one rode draad."""
    trend_period, recent = weeks_back(TODAY, 4), weeks_back(TODAY, 4)
    chosen = buckets(trend_period)
    counts = (Counts(0, 0, 0), Counts(3, 2, 1), Counts(0, 0, 1), Counts(5, 2, 1))
    return Insights(
        Scope({"kempen": "RKK Kempen"}, everything=False),
        trend_period,
        recent,
        Trend(chosen, (RkkSeries("kempen", "RKK Kempen", counts),), counts),
        BesturenSplit(("Gemeente Brasschaat", "Stad Hoogstraten"), ("OCMW Diepenbeek",)),
        (ThemeCount("magda", "MAGDA **documenten** {{DATE(2026-01-01)}}", 2, 4),),
    )
