"""The Adaptive Cards parser harness (tests/cards/parse_cards.mjs) really catches broken cards."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "cards" / "parse_cards.mjs"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed; the harness runs on Node.js"),
    pytest.mark.skipif(
        not (ROOT / "node_modules" / "adaptivecards").is_dir(),
        reason="node_modules/adaptivecards is missing; run `npm ci`",
    ),
]

VALID_CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Hoe pakken jullie phishing aan?", "wrap": True, "weight": "Bolder"},
        {
            "type": "Input.Text",
            "id": "answer",
            "label": "Jouw antwoord",
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": "Vul een antwoord in.",
        },
    ],
    "actions": [{"type": "Action.Execute", "title": "Verstuur", "verb": "answer", "data": {"roundId": 1}}],
}


def run_harness(*cards: Any, args: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]]]:
    """Feed the cards to the harness on stdin; its exit code and one parsed report per card."""
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(HARNESS), *args, "-"],
        input=json.dumps(list(cards)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    reports = [json.loads(line) for line in completed.stdout.splitlines()]
    return completed.returncode, reports


def events(report: dict[str, Any]) -> set[str]:
    """The kinds of error a report lists."""
    return {error["event"] for error in report["errors"]}


def test_valid_card_yields_no_errors() -> None:
    """A schema 1.5 card with TextBlock, a labelled Input.Text and Action.Execute passes cleanly."""
    code, reports = run_harness(VALID_CARD)
    assert code == 0
    assert reports == [{"file": "<stdin>#0", "ok": True, "errors": [], "warnings": []}]


def test_unknown_element_type_is_an_error() -> None:
    """An element type the SDK does not know fails the card and exits 1."""
    card = {**VALID_CARD, "body": [*VALID_CARD["body"], {"type": "Carrousel", "items": []}]}
    code, [report] = run_harness(card)
    assert code == 1
    assert events(report) == {"UnknownElementType"}
    assert "Carrousel" in report["errors"][0]["message"]


def test_bad_version_string_is_an_error() -> None:
    """A version that is not X.Y is reported as a bad value and an unsupported version."""
    code, [report] = run_harness({**VALID_CARD, "version": "vijf"})
    assert code == 1
    assert {"InvalidPropertyValue", "UnsupportedCardVersion"} <= events(report)


def test_version_newer_than_teams_supports_is_an_error() -> None:
    """By default cards above 1.5 (what Teams renders) are refused; --max-version relaxes it."""
    assert events(run_harness({**VALID_CARD, "version": "1.6"})[1][0]) == {"UnsupportedCardVersion"}
    assert run_harness({**VALID_CARD, "version": "1.6"}, args=("--max-version", "1.6"))[0] == 0


def test_missing_version_is_an_error() -> None:
    """Teams needs a version; the SDK alone would silently assume the latest."""
    card = {key: value for key, value in VALID_CARD.items() if key != "version"}
    assert events(run_harness(card)[1][0]) == {"MissingVersion"}


def test_bad_property_value_is_an_error() -> None:
    """An enum value the schema does not allow is reported with the element that carries it."""
    card = {**VALID_CARD, "body": [{"type": "TextBlock", "text": "x", "size": "Enormous"}]}
    [error] = run_harness(card)[1][0]["errors"]
    assert (error["event"], error["source"]) == ("InvalidPropertyValue", "TextBlock")
    assert "Enormous" in error["message"]


def test_action_newer_than_card_version_is_an_error() -> None:
    """Action.Execute in a 1.2 card is reported as needing card version 1.4."""
    code, [report] = run_harness({**VALID_CARD, "version": "1.2", "body": []})
    assert code == 1
    assert events(report) == {"TypeNotInCardVersion"}
    assert "Action.Execute needs card version 1.4" in report["errors"][0]["message"]


def test_templating_left_in_an_expanded_card_is_an_error() -> None:
    """A $when key that templating should have removed fails the card."""
    card = {**VALID_CARD, "body": [{"type": "TextBlock", "text": "x", "$when": "${notice}"}]}
    assert "UnexpandedTemplate" in events(run_harness(card)[1][0])


def test_placeholder_text_is_only_a_warning() -> None:
    """ "${...}" inside a string may be what a member typed, so it warns without failing."""
    card = {**VALID_CARD, "body": [{"type": "TextBlock", "text": "Wij schrijven ${var} in scripts", "wrap": True}]}
    code, [report] = run_harness(card)
    assert code == 0
    assert [warning["event"] for warning in report["warnings"]] == ["TemplatePlaceholder"]


def test_each_card_gets_its_own_report_and_one_bad_card_fails_the_run() -> None:
    """A batch reports every card separately; the exit code is 1 if any of them has an error."""
    code, reports = run_harness(VALID_CARD, {**VALID_CARD, "type": "Card"})
    assert code == 1
    assert [report["ok"] for report in reports] == [True, False]
    assert events(reports[1]) == {"MissingCardType"}


def test_files_and_folders_are_read(tmp_path: Path) -> None:
    """Given a folder, the harness parses every *.json below it and names each file."""
    (tmp_path / "nested").mkdir()
    (tmp_path / "good.json").write_text(json.dumps(VALID_CARD), encoding="utf-8")
    (tmp_path / "nested" / "bad.json").write_text("{not json", encoding="utf-8")
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(HARNESS), str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    reports = {Path(line["file"]).name: line for line in map(json.loads, completed.stdout.splitlines())}
    assert completed.returncode == 1
    assert reports["good.json"]["ok"] is True
    assert events(reports["bad.json"]) == {"UnreadableFile"}


CHART = {
    "type": "Chart.Donut",
    "data": [{"legend": "Antwoordden", "value": 3}],
    "fallback": {"type": "TextBlock", "text": "Antwoordden: 3", "wrap": True},
}


def test_allowed_host_element_with_fallback_is_only_a_warning() -> None:
    """A Teams chart named with --allow-element parses through its fallback and only warns."""
    code, [report] = run_harness({**VALID_CARD, "body": [CHART]}, args=("--allow-element", "Chart.Donut"))
    assert code == 0
    assert [warning["event"] for warning in report["warnings"]] == ["HostElement"]


def test_host_element_not_allowed_stays_an_error() -> None:
    """Without --allow-element the chart type is unknown to the SDK and fails the card."""
    code, [report] = run_harness({**VALID_CARD, "body": [CHART]}, args=("--allow-element", "Chart.Line"))
    assert code == 1
    assert events(report) == {"UnknownElementType"}


def test_allowed_host_element_without_fallback_is_an_error() -> None:
    """An allowed chart must carry a fallback element for clients without charts."""
    chart = {key: value for key, value in CHART.items() if key != "fallback"}
    code, [report] = run_harness({**VALID_CARD, "body": [chart]}, args=("--allow-element", "Chart.Donut"))
    assert code == 1
    assert "MissingFallback" in events(report)


def test_a_broken_fallback_is_reported() -> None:
    """The SDK checks the fallback in the chart's place, so a bad value in it fails the card."""
    chart = {**CHART, "fallback": {"type": "TextBlock", "text": "x", "size": "Enormous"}}
    code, [report] = run_harness({**VALID_CARD, "body": [chart]}, args=("--allow-element", "Chart.Donut"))
    assert code == 1
    assert events(report) == {"InvalidPropertyValue"}
