"""The `AnnouncementPublisher` port for Teams: announcement cards, their updates, replies in their threads."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from botbuilder.schema import Activity

from bot.outbound.connector import card_activity, text_activity
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from bot.outbound.theme_publisher import ConnectorPort, escape_markdown, thread_of
from cards.meetings import coming_text, meeting_card, meeting_summary, when_text
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from rkk.crosspost import PostUncertain
from rkk.errors import PostFailed
from rkk.meetings import MeetingView, Mode
from rkk.model import ChannelTarget
from rkk.ports import Posted

logger = logging.getLogger(__name__)


class TeamsMeetingPublisher:
    """Posts kennismoment cards in Dutch, the circles' language (every viewer's own view comes by refresh)."""

    def __init__(self, connector: ConnectorPort, texts: Catalog, tz: ZoneInfo, lang: str = DEFAULT_LANGUAGE) -> None:
        self._connector = connector
        self._texts = texts
        self._tz = tz
        self._lang = lang

    async def post_announcement(self, target: ChannelTarget, view: MeetingView) -> Posted:
        """Post the announcement card as a new thread in the RKK's channel."""
        try:
            return await self._connector.create_thread(target, self._activity(view))
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), meeting=view.meeting.id) from error
        except ConnectorError as error:
            raise PostFailed(str(error), meeting=view.meeting.id) from error

    async def reply_announcement(self, target: ChannelTarget, thread: Posted, view: MeetingView) -> Posted:
        """Post the announcement card as a reply in the theme's cross-post thread."""
        conversation = thread_of(thread)
        try:
            reply_id = await self._connector.send(target.service_url, conversation, self._activity(view))
        except OutcomeUnknown as error:
            raise PostUncertain(str(error), meeting=view.meeting.id) from error
        except ConnectorError as error:
            raise PostFailed(str(error), meeting=view.meeting.id) from error
        if not reply_id:
            raise PostUncertain("Teams gave no id for the reply", meeting=view.meeting.id)
        return Posted(conversation, reply_id)

    async def update_announcement(self, target: ChannelTarget, posted: Posted, view: MeetingView) -> None:
        """Replace the card in place: everyone's base view (a PUT, safe to repeat)."""
        try:
            await self._connector.update(
                target.service_url, posted.conversation_id, posted.message_id, self._activity(view)
            )
        except ConnectorError as error:
            raise PostFailed(str(error), meeting=view.meeting.id) from error

    async def notify(self, target: ChannelTarget, thread: Posted, kind: str, view: MeetingView) -> None:
        """Reply in the announcement's thread (no @-mentions): the reminder, a move, a cancellation."""
        texts, lang, details = self._texts, self._lang, view.meeting.details
        when = when_text(details, self._tz, texts, lang)
        title = escape_markdown(details.title)
        coming = coming_text(view.attendance.members, view.attendance.besturen, texts, lang)
        text = texts.text(f"meeting_reply_{kind}", lang, title=title, when=when, coming=coming)
        if kind != "cancelled" and details.mode is Mode.ONLINE and details.join_url:
            link = details.join_url.replace("(", "%28").replace(")", "%29")  # keeps the Markdown link whole
            text += "\n\n" + texts.text("meeting_reply_join", lang, link=link)
        try:
            await self._connector.send(target.service_url, thread.conversation_id, text_activity(text))
        except ConnectorError as error:
            raise PostFailed(str(error), meeting=view.meeting.id) from error

    def _activity(self, view: MeetingView) -> Activity:
        card = meeting_card(view, self._texts, self._lang, self._tz)
        return card_activity(card, meeting_summary(view, self._texts, self._lang))
