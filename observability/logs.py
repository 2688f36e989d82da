"""Logging: one line per event, as text or as JSON (`RKKBOT_LOG_FORMAT=json`), with the activity's ids and RKK.

`bot/server.py` binds the activity id, conversation id and type when a request arrives; the handler binds
the RKK once it knows it. Every record logged while that request is served carries them as fields.
Member texts are never logged at INFO: log counts and ids, not what people wrote.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from config.settings import SettingsError

logger = logging.getLogger(__name__)

FORMATS = ("text", "json")
FIELDS = ("activity_id", "conversation_id", "rkk")
_activity_id: ContextVar[str | None] = ContextVar("activity_id", default=None)
_conversation_id: ContextVar[str | None] = ContextVar("conversation_id", default=None)
_rkk: ContextVar[str | None] = ContextVar("rkk", default=None)
_activity_type: ContextVar[str | None] = ContextVar("activity_type", default=None)


def bind_activity(activity: Any) -> None:
    """Name the activity being served (a botbuilder Activity) in every record logged while serving it."""
    _activity_id.set(activity.id)
    _conversation_id.set(activity.conversation.id if activity.conversation else None)
    _activity_type.set(activity.type)


def bind_rkk(key: str | None) -> None:
    """Name the RKK the activity is about."""
    _rkk.set(key)


def unbind() -> None:
    """Forget the activity: one connection serves several requests in the same task."""
    for var in (_activity_id, _conversation_id, _rkk, _activity_type):
        var.set(None)


def bound_activity_type() -> str | None:
    """The type of the activity being served, when `bind_activity` has seen it."""
    return _activity_type.get()


class ContextFilter(logging.Filter):
    """Puts the bound fields on every record (None when nothing is bound)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add the fields; never drops a record."""
        record.activity_id = _activity_id.get()
        record.conversation_id = _conversation_id.get()
        record.rkk = _rkk.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the bound fields, and an exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: value for name in FIELDS if (value := getattr(record, name, None)) is not None})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable text, still one line an event: the bound fields as key=value, line breaks escaped."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of text."""
        line = super().format(record)
        fields = " ".join(f"{name}={value}" for name in FIELDS if (value := getattr(record, name, None)) is not None)
        line = f"{line} [{fields}]" if fields else line
        return line.replace("\r", "\\r").replace("\n", "\\n")


def configure_logging(env: Mapping[str, str]) -> None:
    """Log to standard error at `RKKBOT_LOG_LEVEL` in `RKKBOT_LOG_FORMAT`; leaves a root logger that has handlers."""
    level = env.get("RKKBOT_LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in logging.getLevelNamesMapping():
        raise SettingsError("RKKBOT_LOG_LEVEL", f"must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    chosen = env.get("RKKBOT_LOG_FORMAT", "").strip().lower() or "text"
    if chosen not in FORMATS:
        raise SettingsError("RKKBOT_LOG_FORMAT", f"must be text or json, not {chosen!r}")
    root = logging.getLogger()
    if root.handlers:  # already set up (a test runner, or an embedding program): keep what it chose
        return
    root.setLevel(level)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
