"""Status rows and their Dutch table; the closed view of the question card."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cards.question import QuestionView, question_card
from i18n.catalog import Catalog
from rkk.model import ChannelTarget, Rkk, Round, RoundState
from rkk.rounds.lifecycle import RoundFacts
from rkk.rounds.status import PauseInfo, format_status_table, status_rows

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TARGET = ChannelTarget("http://127.0.0.1:9/", "t", "team", "chan")
KEMPEN = Rkk("kempen", "RKK Kempen", "team", "chan", TARGET)
LIMBURG = Rkk("limburg", "RKK Limburg", "team2", "chan2", TARGET)
GENT = Rkk("gent", "RKK Gent", None, None, None)
ROOT = Path(__file__).resolve().parents[3]


def posted_round(state: RoundState = RoundState.POSTED, error: str | None = None) -> Round:
    """Kempen's round of week 48."""
    return Round(5, "kempen", "2026-W48", 1, "Vraag?", state, "chan;messageid=9", "9", NOW, 1, error)


def test_rows_show_phase_count_error_and_pause() -> None:
    """A posted round with answers, a skipped week and a not-installed RKK with a pause."""
    facts = {"kempen": RoundFacts(posted_round(error="Teams answered 503"), claimed_at=NOW)}
    pauses = {"gent": PauseInfo(date(2027, 8, 31), "zomervakantie")}
    rows = status_rows([LIMBURG, KEMPEN, GENT], "2026-W48", facts, {5: 4}, {"limburg": ["skipped"]}, pauses, NOW)
    assert [(r.rkk_key, r.phase, r.answers) for r in rows] == [
        ("gent", "not_installed", None),
        ("kempen", "posted", 4),
        ("limburg", "skipped", None),
    ]
    assert rows[0].pause == PauseInfo(date(2027, 8, 31), "zomervakantie")


def test_uncertain_round_shows_as_uncertain_with_its_error() -> None:
    """A send that never finished is visible, not silent."""
    round_ = Round(6, "kempen", "2026-W48", 1, "Vraag?", RoundState.CLAIMED, None, None, None, 1, "timeout")
    facts = {"kempen": RoundFacts(round_, claimed_at=NOW, sending_at=NOW - timedelta(hours=1))}
    [row] = status_rows([KEMPEN], "2026-W48", facts, {}, {}, {}, NOW)
    assert (row.phase, row.last_error) == ("uncertain", "timeout")


def test_dutch_table_has_a_header_and_one_line_per_rkk(texts: Catalog) -> None:
    """The table says 'gepauzeerd tot ... (reden)' and the Dutch phase names."""
    facts = {"kempen": RoundFacts(posted_round(RoundState.CLOSED), claimed_at=NOW, final_count=7)}
    pauses = {"gent": PauseInfo(date(2027, 8, 31), "zomervakantie")}
    table = format_status_table(status_rows([KEMPEN, GENT], "2026-W48", facts, {}, {}, pauses, NOW), texts)
    lines = table.splitlines()
    assert lines[0].split() == ["RKK", "week", "status", "gepost", "antwoorden", "pauze", "laatste", "fout"]
    assert "gepauzeerd tot 31-08-2027 (zomervakantie)" in lines[2]
    assert "afgesloten" in lines[3] and "23-11-2026 13:00" in lines[3] and " 7 " in lines[3]


def test_closed_card_has_no_input_no_buttons_no_refresh_and_the_final_count(texts: Catalog) -> None:
    """After closing every viewer sees the same 'afgesloten' card."""
    card = question_card(QuestionView(5, "RKK Kempen", "2026-W48", "Vraag?", 3, closed=True), texts, "nl")
    dumped = json.dumps(card, ensure_ascii=False)
    assert "refresh" not in card and card.get("actions", []) == []
    assert "Input.Text" not in dumped
    assert "Afgesloten met 3 antwoorden" in dumped


@pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "adaptivecards").is_dir(),
    reason="node or node_modules/adaptivecards missing: run `make setup`",
)
def test_closed_card_passes_the_official_parser(texts: Catalog, tmp_path: Path) -> None:
    """The official Adaptive Cards parser finds no error in the closed view, in Dutch and English."""
    files = []
    for lang in ("nl", "en"):
        for count in (0, 1, 5):
            path = tmp_path / f"closed-{lang}-{count}.json"
            view = QuestionView(5, "RKK Kempen", "2026-W48", "Vraag?", count, closed=True)
            path.write_text(json.dumps(question_card(view, texts, lang)), encoding="utf-8")
            files.append(str(path))
    harness = ROOT / "tests" / "cards" / "parse_cards.mjs"
    result = subprocess.run(["node", str(harness), *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(reports) == len(files)
    assert [r["errors"] for r in reports if r["errors"]] == []
