"""The `Publisher` port for Teams: question cards through the Bot Connector."""

from __future__ import annotations

import logging

from bot.connector import Connector, card_activity
from bot.retry import ConnectorError
from cards.question import QuestionView, question_card
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.errors import NotInstalled, PostFailed
from rkk.model import Rkk, Round
from rkk.ports import Posted

logger = logging.getLogger(__name__)


class TeamsPublisher:
    """Posts question cards in Dutch, the circles' language."""

    def __init__(self, connector: Connector, texts: Catalog) -> None:
        self._connector = connector
        self._texts = texts

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Post the round's question card as a new thread in the RKK's channel."""
        if rkk.target is None:
            raise NotInstalled(rkk.key, rkk=rkk.name)
        view = QuestionView(round_.id, rkk.name, round_.week, round_.question_text, answer_count)
        card = question_card(view, self._texts, DEFAULT_LANGUAGE)
        summary = self._texts.text("card_title", DEFAULT_LANGUAGE)
        try:
            return await self._connector.create_thread(rkk.target, card_activity(card, summary))
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=rkk.name) from error
