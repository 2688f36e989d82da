"""Writing answers out for analysts: CSV (Excel-friendly) or JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from typing import Any, TextIO

from rkk.model import ExportRow

FORMATS = ("csv", "jsonl")
COLUMNS = tuple(field.name for field in fields(ExportRow))
# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection, OWASP): member and
# coordinator text is written with a leading apostrophe, which Excel and LibreOffice show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_export(
    rows: Iterable[Any], out: TextIO, fmt: str, *, delimiter: str = ",", columns: Sequence[str] = COLUMNS
) -> int:
    """Write every row (a dataclass with these fields) in the format (CSV with this delimiter); rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in asdict(row).items()})
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
            count += 1
    return count


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as the text it is, never runs as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
