"""The annual report opened in Debian's headless Chromium: offline, error-free, charts drawn, SQL numbers shown."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from i18n.catalog import Catalog
from reports.page import ReportContext, write_report
from reports.pdf import chromium
from reports.sections import report_sections
from rkk.insights import Period, Scope, bestuur_participation, monthly_participation, theme_history, top_questions
from rkk.store.engine import create_engine
from rkk.store.insights import InsightQueries
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore
from tests.browser.cdp import PageLog, browser
from tests.integration.insights.conftest import NOW, SCOPE, InsightWorld

ROOT = Path(__file__).resolve().parents[2]
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
EVERYTHING = Scope(SCOPE, everything=True)
CHART_BLUE = (0x1F, 0x5F, 0xA8)


MISSING = "Debian's chromium is not installed: run `make browser`"


def _no_chromium() -> str | None:
    """Why the browser tests cannot run here, or None; in CI a missing Chromium fails instead of skipping."""
    if chromium() is not None:
        return None
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {MISSING}")
    return MISSING


@dataclass
class Opened:
    """The report page as Chromium showed it."""

    file: Path
    log: PageLog
    charts: list[dict[str, Any]]
    tables: dict[str, list[list[str]]]
    screenshot: Image.Image
    store: SqlStore


@pytest.fixture
async def opened(tmp_path: Path, texts: Catalog) -> AsyncIterator[Opened]:
    """The hand-counted world in SQLite, its 2026 report written and opened in headless Chromium."""
    problem = _no_chromium()
    if problem:
        pytest.skip(problem)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'report.db'}")
    await migrate(engine)
    store = SqlStore(engine)
    await InsightWorld(store).setup()
    page_html = await write_report(
        report_sections(InsightQueries(engine)), ReportContext(EVERYTHING, YEAR, texts, "nl"), NOW
    )
    file = tmp_path / "rapport.html"
    file.write_text(page_html, encoding="utf-8")
    async with browser() as page:
        await page.open(file.as_uri(), 1200, 900)
        charts = await page.evaluate(
            """[...document.querySelectorAll('figure.chart svg')].map(svg => {
                 const box = svg.getBoundingClientRect();
                 return {section: svg.closest('section').id, x: box.left + scrollX, y: box.top + scrollY,
                         width: box.width, height: box.height,
                         marks: svg.querySelectorAll('path, line, rect, use').length};
               })"""
        )
        tables = await page.evaluate(
            """Object.fromEntries([...document.querySelectorAll('table')].map(table => [table.id,
                 [...table.querySelectorAll('tbody tr, tfoot tr')].map(row =>
                   [...row.cells].map(cell => cell.dataset.value ?? cell.textContent.trim()))]))"""
        )
        shot = Image.open(io.BytesIO(await page.screenshot())).convert("RGB")
        yield Opened(file, page.log, charts, tables, shot, store)
    await engine.dispose()


async def test_the_page_loads_without_errors(opened: Opened) -> None:
    """No console error, no uncaught exception, no error in Chromium's log."""
    assert opened.log.errors() == []


async def test_the_page_requests_nothing_but_itself(opened: Opened) -> None:
    """The only network request is the file itself: no fonts, scripts or images from anywhere."""
    assert opened.log.requests == [opened.file.as_uri()]


async def test_every_section_draws_its_chart(opened: Opened) -> None:
    """Participation, besturen, questions and rode draden each show an SVG chart of real size with marks in it."""
    assert [chart["section"] for chart in opened.charts] == ["deelname", "besturen", "vragen", "rode-draden"]
    for chart in opened.charts:
        assert chart["width"] > 600 and chart["height"] > 100 and chart["marks"] > 10, chart


async def test_the_screenshot_shows_the_charts_in_colour(opened: Opened) -> None:
    """Inside each chart's box the screenshot has the chart's blue; the page margin beside it is white."""
    image = opened.screenshot
    for chart in opened.charts:
        box = (int(chart["x"]), int(chart["y"]), int(chart["x"] + chart["width"]), int(chart["y"] + chart["height"]))
        region = image.crop(box)
        blue = sum(1 for pixel in region.get_flattened_data() if _near(pixel, CHART_BLUE))
        assert blue > 150, (chart["section"], blue)
    margin = image.crop((0, 0, 20, min(image.height, 2000)))
    assert all(pixel == (255, 255, 255) for pixel in margin.get_flattened_data())


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(pixel, colour, strict=True))


async def test_participation_table_equals_the_sql_aggregates(opened: Opened) -> None:
    """Each RKK's answers per month (and the totals row) in the page are the database's GROUP BY counts."""
    trend = await monthly_participation(InsightQueries(opened.store.engine), EVERYTHING, YEAR)
    expected = [
        [rkk.rkk_name, *[str(c.answers) for c in rkk.counts], str(sum(c.answers for c in rkk.counts))]
        for rkk in trend.rkks
    ]
    totals = [str(c.answers) for c in trend.total]
    expected.append(["Alle RKK's", *totals, str(sum(c.answers for c in trend.total))])
    assert opened.tables["deelname-per-rkk"] == expected
    assert expected[0][12:] == ["7", "7"]  # Antwerpen: 7 answers, all in December (week 53 included)


async def test_besturen_questions_and_themes_tables_equal_the_sql_aggregates(opened: Opened) -> None:
    """The tables per bestuur, of top questions and of rode draden show the aggregates' numbers."""
    source = InsightQueries(opened.store.engine)
    besturen = await bestuur_participation(source, EVERYTHING, YEAR)
    assert opened.tables["besturen"] == [[r.bestuur, str(r.answers), str(r.questions), str(r.rkks)] for r in besturen]
    questions = await top_questions(source, EVERYTHING, YEAR)
    assert opened.tables["vragen"] == [[q.text, str(q.answers), str(q.besturen), str(q.rkks)] for q in questions]
    themes = await theme_history(source, EVERYTHING, YEAR)
    assert [row[:4] for row in opened.tables["rode-draden-tabel"]] == [
        [t.label, str(t.besturen), str(t.rkks), str(t.answers)] for t in themes
    ]
    assert opened.tables["rode-draden-tabel"][0][5].startswith("Kennismoment gepland")


async def test_no_member_name_is_in_the_page(opened: Opened) -> None:
    """Besturen are organisations: no member's name appears in the report."""
    assert "Lid " not in opened.file.read_text(encoding="utf-8")


def test_the_cli_prints_the_report_as_pdf(tmp_path: Path) -> None:
    """`python app.py report --format pdf` makes a PDF through Chromium."""
    problem = _no_chromium()
    if problem:
        pytest.skip(problem)
    out = tmp_path / "rapport.pdf"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}",
        "RKKBOT_CONFIG": str(ROOT / "config" / "rkks.example.yaml"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "app.py",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert "Rapport geschreven naar" in done.stdout
