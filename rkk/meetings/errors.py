"""Named errors of kennismomenten; the Teams side turns each `code` into a Dutch message."""

from __future__ import annotations

import logging

from rkk.errors import RkkError

logger = logging.getLogger(__name__)


class InvalidMeeting(RkkError):
    """What was entered breaks a rule; `params["reason"]` says which (and `field` where)."""

    code = "meeting_invalid"


class MeetingNotAllowed(RkkError):
    """Only the global coordinators (those of RKK Overkoepelend) plan, move or cancel."""

    code = "meeting_not_coordinator"


class ForeignMeetingAction(RkkError):
    """A button whose data names another meeting than the card it sits on."""

    code = "meeting_foreign"


class MeetingClosed(RkkError):
    """The meeting was cancelled or has started: answers, moves and cancellations are over."""

    code = "meeting_closed"


class AlreadyPlanned(RkkError):
    """The subject has a kennismoment already; a second one waits until that one is cancelled."""

    code = "meeting_already_planned"


class PlanningInProgress(RkkError):
    """Another coordinator (or a second press) is creating this kennismoment right now."""

    code = "meeting_in_progress"


class CalendarError(RkkError):
    """Microsoft Graph did not create, move or cancel the Teams meeting; `params["kind"]` says why.

    Kinds: forbidden (a permission or the mailbox access policy is missing), not_found (no such
    mailbox), throttled, unavailable, no_teams (the mailbox cannot hold Teams meetings), other.
    """

    code = "meeting_calendar_failed"

    @property
    def kind(self) -> str:
        """Why Graph refused, one of the kinds above."""
        return str(self.params.get("kind", "other"))
