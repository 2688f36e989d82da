"""Parsing what a person types to the bot into a command, tolerant of case, accents and typos."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

MAX_COMMAND_CHARS = 1000


@dataclass(frozen=True)
class CommandSpec:
    """A command: its canonical name, the phrases that call it, who may use it, its help text key."""

    name: str
    phrases: tuple[str, ...]  # normalised; the first is the Dutch name shown in help
    coordinators_only: bool
    help_key: str


COMMANDS = (
    CommandSpec("help", ("help", "hulp", "?"), False, "cmd_help"),
    CommandSpec("post_now", ("post nu", "post now", "nu posten"), True, "cmd_post_now"),
    CommandSpec("status", ("status",), True, "cmd_status"),
    CommandSpec("add_question", ("vraag toevoegen", "add question"), True, "cmd_add_question"),
    CommandSpec("queue", ("wachtrij", "queue"), True, "cmd_queue"),
    CommandSpec("skip", ("overslaan", "skip"), True, "cmd_skip"),
    CommandSpec("pause", ("pauze tot", "pause until", "pauze", "pause"), True, "cmd_pause"),
    CommandSpec("resume", ("hervat", "resume"), True, "cmd_resume"),
    CommandSpec("schedule", ("schema", "schedule"), True, "cmd_schedule"),
    CommandSpec("answers", ("antwoorden", "answers"), False, "cmd_answers"),
    CommandSpec("my_answers", ("mijn antwoorden", "my answers"), False, "cmd_my_answers"),
    CommandSpec("delete_my_data", ("verwijder mijn gegevens", "delete my data"), False, "cmd_delete_my_data"),
    CommandSpec("audit", ("audit",), True, "cmd_audit"),
    CommandSpec("themes", ("thema's", "themes", "themas", "thema"), True, "cmd_themes"),
    CommandSpec("forward", ("doorsturen", "forward"), True, "cmd_forward"),
    CommandSpec("export", ("export", "exporteer"), True, "cmd_export"),
    CommandSpec(
        "scoring_start", ("scoor rode draden", "score themes", "scoreronde starten"), True, "cmd_scoring_start"
    ),
    CommandSpec("scoring_status", ("scoring status", "scoreronde status", "scorestatus"), True, "cmd_scoring_status"),
    CommandSpec("scoring_close", ("scoring sluiten", "scoring close", "scoreronde sluiten"), True, "cmd_scoring_close"),
    CommandSpec(
        "scoring_extend", ("scoring verlengen", "scoring extend", "scoreronde verlengen"), True, "cmd_scoring_extend"
    ),
    CommandSpec(
        "scoring_results", ("scoring resultaten", "scoring results", "scoreresultaten"), True, "cmd_scoring_results"
    ),
    CommandSpec("report", ("rapport", "report"), True, "cmd_report"),
)


@dataclass(frozen=True)
class Parsed:
    """The command found (None if unknown), the rest of the text, and the nearest phrase for a hint."""

    command: CommandSpec | None
    args: str
    suggestion: str | None = None
    too_long: bool = False


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces, plain apostrophes: "Post  NÚ" -> "post nu", "thema’s" -> "thema's"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().lower()


def parse_command(text: str) -> Parsed:
    """Find the command at the start of the text (the longest phrase that matches whole words)."""
    if len(text) > MAX_COMMAND_CHARS:
        return Parsed(None, "", too_long=True)
    words = normalise(text)
    best: tuple[CommandSpec, str] | None = None
    for spec in COMMANDS:
        for phrase in spec.phrases:
            if (words == phrase or words.startswith(phrase + " ")) and (best is None or len(phrase) > len(best[1])):
                best = (spec, phrase)
    if best:
        word_count = len(best[1].split())
        parts = re.split(r"\s+", text.strip(), maxsplit=word_count)
        return Parsed(best[0], parts[word_count] if len(parts) > word_count else "")
    return Parsed(None, text.strip(), suggestion=_nearest(words))


def _nearest(words: str) -> str | None:
    """The phrase closest to what was typed, for "did you mean"."""
    phrases = [phrase for spec in COMMANDS for phrase in spec.phrases if len(phrase) > 1]
    head = " ".join(words.split()[:3])
    candidates = {head, " ".join(words.split()[:2]), " ".join(words.split()[:1])}
    best, best_score = None, 0.0
    for candidate in candidates:
        for phrase in phrases:
            score = difflib.SequenceMatcher(None, candidate, phrase).ratio()
            if score > best_score:
                best, best_score = phrase, score
    return best if best_score >= 0.6 else None
