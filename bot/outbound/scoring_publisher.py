"""The `ScoringPublisher` port for Teams: ballots, their updates, the reminder reply, the results card.

Every call goes through the shared `Connector` (its pacer and retry); new threads pass the card's
`SendGuard`, so each HTTP attempt is fenced exactly as a question card's is.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from botbuilder.schema import Activity

from bot.outbound.connector import Connector, card_activity, text_activity
from bot.outbound.links import message_link
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from bot.outbound.theme_publisher import thread_of
from cards.scoring_ballot import ballot_card
from cards.scoring_results import results_card
from i18n.calendar import format_moment
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.errors import PostFailed
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard
from rkk.rounds import PostUncertain
from rkk.scoring import BallotView, CardPost, Reminder, ResultsView

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")


def results_link(post: CardPost | None) -> str:
    """A deep link to a posted results card ("" when there is none)."""
    if post is None or not post.posted or post.target is None:
        return ""
    return message_link(post.target.team_id, post.conversation_id, post.message_id)


class TeamsScoringPublisher:
    """Posts the scoring round's cards in Dutch, the circles' language."""

    def __init__(self, connector: Connector, texts: Catalog, lang: str = DEFAULT_LANGUAGE) -> None:
        self._connector = connector
        self._texts = texts
        self._lang = lang

    async def post_ballot(self, target: ChannelTarget, view: BallotView, guard: SendGuard) -> Posted:
        """Post a ballot as a new thread in an RKK's channel, fenced per attempt."""
        deadline = format_moment(view.deadline.astimezone(BRUSSELS), self._lang)
        summary = self._texts.text("scoring_ballot_summary", self._lang, deadline=deadline)
        card = ballot_card(view, self._texts, self._lang)
        return await self._create(target, card_activity(card, summary), guard, view.rkk_name)

    async def update_ballot(self, target: ChannelTarget, posted: Posted, view: BallotView) -> None:
        """Replace the ballot's base card (a PUT: safe to repeat)."""
        card = ballot_card(view, self._texts, self._lang, results_link=results_link(view.results))
        activity = card_activity(card, self._texts.text("scoring_ballot_title", self._lang))
        try:
            await self._connector.update(target.service_url, posted.conversation_id, posted.message_id, activity)
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=view.rkk_name) from error

    async def remind(self, target: ChannelTarget, posted: Posted, reminder: Reminder) -> None:
        """Reply once in the ballot's thread with the counts so far (nobody is @-mentioned)."""
        deadline = format_moment(reminder.deadline.astimezone(BRUSSELS), self._lang)
        text = self._texts.text(
            "scoring_reminder", self._lang, scored=reminder.scored, known=reminder.known, deadline=deadline
        )
        try:
            await self._connector.send(target.service_url, thread_of(posted), text_activity(text))
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), rkk=reminder.rkk_name) from error
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=reminder.rkk_name) from error

    async def post_results(self, target: ChannelTarget, view: ResultsView, guard: SendGuard) -> Posted:
        """Post the results card as a new thread, fenced per attempt."""
        card = results_card(view, self._texts, self._lang)
        summary = self._texts.text("scoring_results_summary", self._lang)
        return await self._create(target, card_activity(card, summary), guard, "RKK Overkoepelend")

    async def _create(self, target: ChannelTarget, activity: Activity, guard: SendGuard, where: str) -> Posted:
        try:
            return await self._connector.create_thread(target, activity, guard)
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), rkk=where) from error
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=where) from error
