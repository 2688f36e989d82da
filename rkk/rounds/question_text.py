"""Rules for a question a coordinator adds to a queue."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rkk.errors import RkkError

MIN_QUESTION_CHARS = 15
MAX_QUESTION_CHARS = 500


class InvalidQuestion(RkkError):
    """A question that is empty, too short, too long or already queued or banked."""

    code = "invalid_question"


def clean_question(text: str, existing: Iterable[str]) -> str:
    """The question as stored (single-spaced), or InvalidQuestion with the reason."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidQuestion("empty", reason="empty")
    if len(cleaned) < MIN_QUESTION_CHARS:
        raise InvalidQuestion("too short", reason="too_short", limit=MIN_QUESTION_CHARS, length=len(cleaned))
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InvalidQuestion("too long", reason="too_long", limit=MAX_QUESTION_CHARS, length=len(cleaned))
    key = _compare_key(cleaned)
    if any(_compare_key(other) == key for other in existing):
        raise InvalidQuestion("duplicate", reason="duplicate")
    return cleaned


def _compare_key(text: str) -> str:
    """Case, accents, punctuation and spacing do not make a question new."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()
