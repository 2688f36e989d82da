"""Named domain errors; the boundary (Teams handler, CLI, HTTP) turns them into Dutch messages or 4xx."""

from __future__ import annotations


class RkkError(Exception):
    """Base of every error the domain raises on purpose; `code` names the message to show."""

    code = "error"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.code)
        self.params = params


class UnknownRkk(RkkError):
    """The RKK named does not exist or the bot is not installed in its team."""

    code = "unknown_rkk"


class NotInstalled(RkkError):
    """The RKK is configured but the bot was never installed in its team."""

    code = "not_installed"


class NoQuestionLeft(RkkError):
    """Rotation found no question that may be asked in this RKK."""

    code = "no_question_left"


class PostFailed(RkkError):
    """Teams did not accept the question card after all retries."""

    code = "post_failed"


class InvalidAnswer(RkkError):
    """An answer that breaks a rule (empty, too long)."""

    code = "invalid_answer"


class ForeignAction(RkkError):
    """A card action whose data does not belong to the conversation it came from."""

    code = "foreign_action"


class RoundClosed(RkkError):
    """The round no longer accepts answers."""

    code = "round_closed"
