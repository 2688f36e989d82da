"""Named errors of the scoring round; `code` names the Dutch (and English) text the boundary shows."""

from __future__ import annotations

from rkk.errors import RkkError


class ScoringAlreadyOpen(RkkError):
    """One scoring round at a time: another one is open (params: started_by, started, deadline)."""

    code = "scoring_already_open"


class NoScoringRound(RkkError):
    """There is no (open) scoring round to act on."""

    code = "scoring_none"


class InvalidSetup(RkkError):
    """The start request breaks a rule; params["reason"] names which (scoring_setup_{reason})."""

    code = "scoring_setup_invalid"


class ForeignScoringAction(RkkError):
    """A card action whose round, topic or RKK does not belong to the card it was pressed on."""

    code = "scoring_foreign"


class InvalidScores(RkkError):
    """A score outside 0 to 10, or no score at all; nothing is stored."""

    code = "scoring_invalid_scores"


class UnknownBestuur(RkkError):
    """The member's bestuur is not known (their mail domain is not mapped); they are not counted."""

    code = "scoring_unknown_bestuur"


class ScoringClosed(RkkError):
    """The round no longer takes scores (closed, or past its deadline)."""

    code = "scoring_closed"


class NotGlobalCoordinator(RkkError):
    """Starting, closing and extending a scoring round is for global coordinators."""

    code = "scoring_not_global"
