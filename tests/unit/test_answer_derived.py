"""Every table that refers to an answer is in the one list the retention run walks."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # msgraph-sdk's generated request builders warn about their own deprecated classes when imported.
    warnings.simplefilter("ignore", DeprecationWarning)
    import app  # noqa: F401 - imports every store module, so the metadata holds every table
from rkk.store.retention import ANSWER_DERIVED
from rkk.store.tables import answers, metadata


def test_every_reference_to_an_answer_is_listed_as_derived() -> None:
    """A table with a foreign key to answers.id must be in ANSWER_DERIVED, or retention would leave it behind."""
    referring = {
        (table.name, fk.parent.name)
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column is answers.c.id
    }
    assert referring == {(column.table.name, column.name) for column in ANSWER_DERIVED}
