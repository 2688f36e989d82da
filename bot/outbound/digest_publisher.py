"""The `DigestPublisher` port for Teams: the weekly insights card as a new thread in RKK Overkoepelend."""

from __future__ import annotations

import logging

from bot.outbound.connector import card_activity
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from bot.outbound.theme_publisher import ConnectorPort
from cards.insights import insights_card, insights_summary
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.errors import PostFailed
from rkk.insights import Insights
from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.rounds import PostUncertain

logger = logging.getLogger(__name__)


class TeamsDigestPublisher:
    """Posts the digest in Dutch, the circles' language, through the paced and retried connector."""

    def __init__(self, connector: ConnectorPort, texts: Catalog, lang: str = DEFAULT_LANGUAGE) -> None:
        self._connector, self._texts, self._lang = connector, texts, lang

    async def post_digest(self, target: ChannelTarget, insights: Insights) -> Posted:
        """Post the insights card as a new thread; a post Teams may have taken raises PostUncertain."""
        card = insights_card(insights, self._texts, self._lang)
        activity = card_activity(card, insights_summary(self._texts, self._lang))
        try:
            return await self._connector.create_thread(target, activity)
        except OutcomeUnknown as error:
            raise PostUncertain(str(error)) from error
        except ConnectorError as error:
            raise PostFailed(str(error)) from error
