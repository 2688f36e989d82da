"""The `ThemePublisher` port for Teams: theme cards, their updates and thread replies, forwards."""

from __future__ import annotations

import logging
import re
from typing import Protocol

from botbuilder.schema import Activity

from bot.outbound.connector import card_activity, text_activity
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from cards.crosspost import forward_card, theme_card, theme_summary
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.crosspost import ForwardView, Growth, PostUncertain, ThemeView
from rkk.errors import PostFailed
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard

logger = logging.getLogger(__name__)

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~>-])")


class ConnectorPort(Protocol):
    """The three Bot Connector calls this publisher needs (bot.connector.Connector has them)."""

    async def create_thread(self, target: ChannelTarget, activity: Activity, guard: SendGuard | None = None) -> Posted:
        """Post an activity as a new thread at the root of a channel (`guard` marks the moment it goes)."""
        ...

    async def send(self, service_url: str, conversation_id: str, activity: Activity) -> str | None:
        """Send an activity into a conversation or thread."""
        ...

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: Activity) -> None:
        """Replace an activity the bot sent earlier."""
        ...


def escape_markdown(text: str) -> str:
    """Names shown in a Markdown reply, with every formatting character escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def thread_of(posted: Posted) -> str:
    """The conversation id of a message's reply thread: "{channel};messageid={root}"."""
    channel = posted.conversation_id.partition(";")[0]
    return f"{channel};messageid={posted.message_id}"


class TeamsThemePublisher:
    """Posts to RKK Overkoepelend in Dutch, the circles' language."""

    def __init__(self, connector: ConnectorPort, texts: Catalog, lang: str = DEFAULT_LANGUAGE) -> None:
        self._connector = connector
        self._texts = texts
        self._lang = lang

    async def post_theme(self, target: ChannelTarget, view: ThemeView, guard: SendGuard | None = None) -> Posted:
        """Post a theme card as a new thread; `guard` marks the request just before it goes out."""
        card = theme_card(view, self._texts, self._lang)
        activity = card_activity(card, theme_summary(view, self._texts, self._lang))
        try:
            return await self._connector.create_thread(target, activity, guard)
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), theme=view.key) from error
        except ConnectorError as error:
            raise PostFailed(str(error), theme=view.key) from error

    async def update_theme(self, target: ChannelTarget, posted: Posted, view: ThemeView) -> None:
        """Replace the theme card in place (every viewer's base view)."""
        card = theme_card(view, self._texts, self._lang)
        activity = card_activity(card, theme_summary(view, self._texts, self._lang))
        try:
            await self._connector.update(target.service_url, posted.conversation_id, posted.message_id, activity)
        except ConnectorError as error:
            raise PostFailed(str(error), theme=view.key) from error

    async def announce_growth(self, target: ChannelTarget, posted: Posted, growth: Growth) -> None:
        """Reply in the card's thread with what changed."""
        texts, lang = self._texts, self._lang
        key = "theme_returned" if growth.returned else "theme_grew"
        name = escape_markdown(growth.name)
        lines = [texts.text(key, lang, name=name, rkks=growth.rkk_count, besturen=growth.bestuur_count)]
        if growth.new_rkks:
            lines.append(texts.text("theme_new_rkks", lang, names=_names(growth.new_rkks)))
        if growth.new_besturen:
            lines.append(texts.text("theme_new_besturen", lang, names=_names(growth.new_besturen)))
        try:
            await self._connector.send(target.service_url, thread_of(posted), text_activity("\n\n".join(lines)))
        except ConnectorError as error:
            raise PostFailed(str(error)) from error

    async def post_forward(self, target: ChannelTarget, view: ForwardView) -> Posted:
        """Post a forwarded question thread as a new thread."""
        card = forward_card(view, self._texts, self._lang)
        activity = card_activity(card, self._texts.text("forward_card_title", self._lang))
        try:
            return await self._connector.create_thread(target, activity)
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), rkk=view.rkk_name) from error
        except ConnectorError as error:
            raise PostFailed(str(error), rkk=view.rkk_name) from error


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(escape_markdown(n) for n in names)
