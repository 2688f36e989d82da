"""Log lines: one per event, JSON or text, carrying the bound activity fields; bad settings are named."""

from __future__ import annotations

import json
import logging
import sys
from types import SimpleNamespace

import pytest

from config.settings import SettingsError
from observability.logs import ContextFilter, JsonFormatter, TextFormatter, bind_activity, bind_rkk, configure_logging
from observability.logs import unbind as unbind_all


@pytest.fixture(autouse=True)
def unbound() -> None:
    """Each test starts with nothing bound."""
    unbind_all()


def _record(message: str, *, exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise ValueError("kapot\nop twee regels")
        except ValueError:
            info = sys.exc_info()
    record = logging.LogRecord("bot.handler", logging.WARNING, __file__, 1, message, None, info)
    ContextFilter().filter(record)
    return record


def _activity() -> SimpleNamespace:
    return SimpleNamespace(id="1763892000123", type="invoke", conversation=SimpleNamespace(id="19:abc;messageid=1"))


def test_json_lines_carry_the_bound_activity_and_rkk() -> None:
    """A record logged while an activity is bound names its id, conversation and RKK."""
    bind_activity(_activity())
    bind_rkk("kempen")
    entry = json.loads(JsonFormatter().format(_record("answer stored")))
    assert entry["message"] == "answer stored" and entry["level"] == "WARNING" and entry["logger"] == "bot.handler"
    assert (entry["activity_id"], entry["conversation_id"], entry["rkk"]) == (
        "1763892000123",
        "19:abc;messageid=1",
        "kempen",
    )


def test_json_lines_leave_out_fields_nothing_bound() -> None:
    """Outside an activity (a scheduler job), the fields are absent rather than null."""
    entry = json.loads(JsonFormatter().format(_record("harvest done")))
    assert not {"activity_id", "conversation_id", "rkk"} & entry.keys()


def test_an_exception_stays_on_the_line_of_its_event() -> None:
    """A traceback is part of the one JSON line, and escaped on the one text line."""
    as_json = JsonFormatter().format(_record("failed", exc=True))
    as_text = TextFormatter().format(_record("failed", exc=True))
    assert "\n" not in as_json and "kapot" in json.loads(as_json)["exception"]
    assert "\n" not in as_text and "kapot\\nop twee regels" in as_text


def test_text_lines_show_the_bound_fields() -> None:
    """In text the bound fields follow the message as key=value."""
    bind_activity(_activity())
    assert (
        TextFormatter()
        .format(_record("answer stored"))
        .endswith("answer stored [activity_id=1763892000123 conversation_id=19:abc;messageid=1]")
    )


@pytest.mark.parametrize(("variable", "value"), [("RKKBOT_LOG_FORMAT", "xml"), ("RKKBOT_LOG_LEVEL", "LOUD")])
def test_an_unknown_log_setting_is_named(variable: str, value: str) -> None:
    """An unknown format or level is refused with the variable's name."""
    with pytest.raises(SettingsError, match=variable):
        configure_logging({variable: value})
