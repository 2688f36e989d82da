"""The `Publisher` and `RoundMessenger` ports for Teams: question cards, reminders, closed cards, notices."""

from __future__ import annotations

import logging

from bot.outbound.connector import Connector, card_activity, text_activity
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from cards.question import QuestionView, question_card
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.errors import NotInstalled, PostFailed
from rkk.model import ChannelTarget, Rkk, Round
from rkk.ports import Posted, SendGuard
from rkk.rounds import Notice, PostUncertain

logger = logging.getLogger(__name__)


class TeamsPublisher:
    """Posts question cards and the messages around them in Dutch, the circles' language."""

    def __init__(self, connector: Connector, texts: Catalog) -> None:
        self._connector = connector
        self._texts = texts

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Post the round's question card as a new thread in the RKK's channel."""
        return await self._post_card(rkk, round_, answer_count, None)

    async def publish_guarded(self, rkk: Rkk, round_: Round, guard: SendGuard) -> Posted:
        """Post the card, telling `guard` exactly when each HTTP attempt starts and when it was refused."""
        return await self._post_card(rkk, round_, 0, guard)

    async def remind(self, rkk: Rkk, round_: Round, answer_count: int) -> str | None:
        """Reply once in the question's thread with the count so far (nobody is @-mentioned)."""
        target = self._target(rkk)
        text = self._texts.count("rounds_reminder", answer_count, DEFAULT_LANGUAGE)
        try:
            return await self._connector.send(target.service_url, round_.conversation_id or "", text_activity(text))
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), rkk=rkk.name) from error
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=rkk.name) from error

    async def close_card(self, rkk: Rkk, round_: Round, answer_count: int) -> None:
        """Replace the card with its closed view and the final count (a PUT: safe to repeat)."""
        target = self._target(rkk)
        view = QuestionView(round_.id, rkk.name, round_.week, round_.question_text, answer_count, closed=True)
        card = question_card(view, self._texts, DEFAULT_LANGUAGE)
        activity = card_activity(card, self._texts.text("card_title", DEFAULT_LANGUAGE))
        try:
            await self._connector.update(
                target.service_url, round_.conversation_id or "", round_.message_id or "", activity
            )
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=rkk.name) from error

    async def notify_coordinators(self, rkk: Rkk, notice: Notice) -> None:
        """Post a notice for the coordinators in the RKK's channel.

        A proactive 1:1 chat needs each coordinator's Teams user id and the app installed for
        them; the config names coordinators by UPN, so the notice goes to the RKK's channel.
        """
        target = self._target(rkk)
        text = self._texts.text(
            f"rounds_notice_{notice.kind}", DEFAULT_LANGUAGE, rkk=rkk.name, week=notice.week, **dict(notice.params)
        )
        try:
            await self._connector.create_thread(target, text_activity(text))
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=rkk.name) from error

    async def _post_card(self, rkk: Rkk, round_: Round, answer_count: int, guard: SendGuard | None) -> Posted:
        target = self._target(rkk)
        view = QuestionView(round_.id, rkk.name, round_.week, round_.question_text, answer_count)
        card = question_card(view, self._texts, DEFAULT_LANGUAGE)
        summary = self._texts.text("card_title", DEFAULT_LANGUAGE)
        try:
            return await self._connector.create_thread(target, card_activity(card, summary), guard)
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), rkk=rkk.name) from error
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=rkk.name) from error

    def _target(self, rkk: Rkk) -> ChannelTarget:
        if rkk.target is None:
            raise NotInstalled(rkk.key, rkk=rkk.name)
        return rkk.target
