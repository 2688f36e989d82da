"""Rules an answer must follow before it is stored."""

from __future__ import annotations

from rkk.errors import InvalidAnswer

MAX_ANSWER_CHARS = 4000


def clean_answer(text: object) -> str:
    """The answer text as stored: trimmed, non-empty and at most 4,000 characters."""
    if not isinstance(text, str):
        raise InvalidAnswer("answer is not text", reason="empty")
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise InvalidAnswer("empty answer", reason="empty")
    if len(cleaned) > MAX_ANSWER_CHARS:
        raise InvalidAnswer("answer too long", reason="too_long", limit=MAX_ANSWER_CHARS, length=len(cleaned))
    return cleaned
