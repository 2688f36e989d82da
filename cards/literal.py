"""Member-written text shown literally in cards."""

from __future__ import annotations

ZERO_WIDTH_SPACE = "\u200b"


def literal(text: str) -> str:
    """Text safe for a TextRun: no {{DATE()}}-style functions can form.

    Member text only ever goes into RichTextBlock TextRuns, which render no Markdown, so
    asterisks, links and HTML stay visible as typed; this also breaks up "{{" pairs, the
    one construct Teams still interprets inside text runs.
    """
    return text.replace("{{", "{" + ZERO_WIDTH_SPACE + "{").replace("}}", "}" + ZERO_WIDTH_SPACE + "}")
