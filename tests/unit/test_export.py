"""Writing answers out as CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, fields

import pytest

from rkk.answers.export import COLUMNS, write_export
from rkk.model import ExportRow


def row(answer_id: int, text: str) -> ExportRow:
    """An export row with Dutch text."""
    return ExportRow(
        answer_id=answer_id,
        rkk="kempen",
        week="2026-W48",
        question="Hoe beheren jullie laptops: Intune, een ander MDM-pakket of nog manueel?",
        member_id="00000000-0000-0000-0000-0000000000a1",
        member_name="Anaïs Cörvers",
        bestuur="Gemeente Brasschaat",
        text=text,
        source="card",
        created_at="2026-11-23T09:15:00+00:00",
        updated_at="2026-11-23T09:20:00+00:00",
    )


TRICKY = 'Wij gebruiken Intune, "zero-touch" én Autopilot.\nTweede regel; met een ; en een , erin.'


def test_csv_header_lists_every_export_column_in_order() -> None:
    """The first CSV line names the ExportRow fields in declaration order."""
    out = io.StringIO()
    write_export([], out, "csv")
    assert out.getvalue().strip() == ",".join(field.name for field in fields(ExportRow))
    assert COLUMNS[0] == "answer_id"


def test_csv_rows_survive_a_round_trip_with_accents_commas_quotes_and_newlines() -> None:
    """Reading the CSV back gives exactly the values written."""
    rows = [row(1, TRICKY), row(2, "Kort.")]
    out = io.StringIO(newline="")
    write_export(rows, out, "csv")
    read = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert read == [{key: str(value) for key, value in asdict(r).items()} for r in rows]


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example")', "+32 3 123 45 67", "-10% budget", "@SUM(A1)"])
def test_csv_cells_a_spreadsheet_would_run_as_a_formula_start_with_an_apostrophe(text: str) -> None:
    """An answer starting with =, +, - or @ is written as text (a leading apostrophe), never as a formula."""
    out = io.StringIO(newline="")
    write_export([row(1, text)], out, "csv")
    [read] = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert read["text"] == f"'{text}"


def test_jsonl_keeps_formula_like_text_as_it_was_written() -> None:
    """JSON Lines is for programs: the text is exactly what the member wrote."""
    out = io.StringIO()
    write_export([row(1, "=1+1")], out, "jsonl")
    assert json.loads(out.getvalue())["text"] == "=1+1"


def test_write_export_returns_the_number_of_rows_written() -> None:
    """The count is the number of answers, not of lines."""
    assert write_export([row(1, TRICKY), row(2, "x"), row(3, "y")], io.StringIO(), "csv") == 3
    assert write_export([row(1, TRICKY), row(2, "x")], io.StringIO(), "jsonl") == 2


def test_jsonl_writes_one_object_per_line() -> None:
    """Each answer is one JSON object on its own line, newlines in the text escaped."""
    out = io.StringIO()
    write_export([row(1, TRICKY), row(2, "Kort.")], out, "jsonl")
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [asdict(row(1, TRICKY)), asdict(row(2, "Kort."))]


def test_jsonl_keeps_accents_readable() -> None:
    """Non-ASCII characters are written as themselves, not as \\u escapes."""
    out = io.StringIO()
    write_export([row(1, "Één coördinator")], out, "jsonl")
    assert "Één coördinator" in out.getvalue()
    assert "Anaïs Cörvers" in out.getvalue()
    assert "\\u" not in out.getvalue()


def test_jsonl_of_no_rows_is_empty() -> None:
    """Without answers nothing is written."""
    out = io.StringIO()
    write_export([], out, "jsonl")
    assert out.getvalue() == ""


def test_write_export_refuses_an_unknown_format() -> None:
    """Only csv and jsonl are known."""
    with pytest.raises(ValueError, match="xlsx"):
        write_export([], io.StringIO(), "xlsx")
