"""The umbrella cards, in every view, pass the official Adaptive Cards parser (npm adaptivecards)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cards.crosspost import forward_card, theme_card
from i18n.catalog import Catalog
from rkk.crosspost.model import Decision, DecisionRecord, ForwardView, Spread, ThemeStatus, ThemeView
from tests.unit.crosspost.test_cards import THREAD, VIEW

ROOT = Path(__file__).resolve().parents[3]
HARNESS = ROOT / "tests" / "cards" / "parse_cards.mjs"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "adaptivecards").is_dir(),
    reason="node or node_modules/adaptivecards missing: run `make setup`",
)


def test_every_umbrella_card_view_parses_without_errors(texts: Catalog, tmp_path: Path) -> None:
    """Open, planned, without quotes, described, renaming, and the forward card: zero parser errors in nl and en."""
    at = datetime(2026, 11, 23, 9, tzinfo=UTC)
    planned = DecisionRecord("t-12", Decision.PLAN, "aad", "Griet", at, Spread.of([], []))
    views = {
        "open": VIEW,
        "planned": ThemeView(**{**VIEW.__dict__, "status": ThemeStatus.PLANNED, "decision": planned}),
        "bare": ThemeView(**{**VIEW.__dict__, "quotes": (), "sources": (), "rkk_names": ()}),
        "described": ThemeView(**{**VIEW.__dict__, "description": "5 besturen uit 3 RKK's melden **dit**."}),
    }
    files = []
    for lang in ("nl", "en"):
        cards = {name: theme_card(view, texts, lang) for name, view in views.items()}
        cards["renaming"] = theme_card(views["described"], texts, lang, name_draft="MAGDA {{zonder}} papier")
        cards["forward"] = forward_card(ForwardView("RKK Kempen", "2026-W10", "Vraag?", 0, "Koen", THREAD), texts, lang)
        for name, card in cards.items():
            path = tmp_path / f"crosspost-{name}-{lang}.json"
            path.write_text(json.dumps(card), encoding="utf-8")
            files.append(str(path))
    result = subprocess.run(["node", str(HARNESS), *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(reports) == len(files)
    assert {Path(r["file"]).stem: r["errors"] for r in reports if r["errors"]} == {}
    assert result.returncode == 0, result.stderr
