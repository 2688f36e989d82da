"""Thread replies that reach the bot directly (RSC `ChannelMessage.Read.Group`, or an @mention).

A reply in a posted round's thread is stored at once, through the same `upsert_reply` the harvest uses and
keyed by the same message id (the activity id is the Graph message id), so the later harvest finds it and
does not add it again. Commands, root posts and messages elsewhere are left to the handler.
"""

from __future__ import annotations

import enum
import html
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.commands.registry import parse_command
from bot.roster import TeamRoster
from rkk.answers import ReplySink, html_to_text
from rkk.store.rounds import ThreadRound, split_thread

logger = logging.getLogger(__name__)

_MENTION = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_HTML = "text/html"


class DirectOutcome(enum.StrEnum):
    """What became of a message the bot received."""

    NOT_ROUND_REPLY = "not_round_reply"  # not in a round's thread, or a command: the handler goes on
    STORED = "stored"  # a new answer, or a newer text of one
    UNCHANGED = "unchanged"  # stored before (by the harvest, or Teams sent it twice)
    CLOSED = "closed"  # a reply to a round that takes no answers any more
    IGNORED = "ignored"  # in a round's thread, but nothing to store (no text, a card submit, a bot)

    @property
    def handled(self) -> bool:
        """Whether the handler must stay silent: the message was a reply in a round's thread."""
        return self is not DirectOutcome.NOT_ROUND_REPLY


class RoundLookup(Protocol):
    """Finds the round a thread belongs to (ThreadRounds in production)."""

    async def round_for_thread(self, channel_id: str, root_id: str) -> ThreadRound | None:
        """The round whose question card is the thread's root message."""
        ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DirectReplies:
    """Stores thread replies to posted rounds as answers the moment Teams delivers them."""

    def __init__(
        self,
        sink: ReplySink,
        rounds: RoundLookup,
        roster: TeamRoster,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._sink, self._rounds, self._roster, self._clock = sink, rounds, roster, clock

    async def receive(self, turn_context: TurnContext) -> DirectOutcome:
        """Store the activity if it is a reply in a round's thread; say what happened."""
        activity = turn_context.activity
        thread = split_thread(activity.conversation.id if activity.conversation else None)
        if activity.type != "message" or thread is None or not activity.id or thread[1] == activity.id:
            return DirectOutcome.NOT_ROUND_REPLY  # not a message, or a root post in the channel
        if is_command(activity):
            return DirectOutcome.NOT_ROUND_REPLY
        found = await self._rounds.round_for_thread(*thread)
        if found is None:
            return DirectOutcome.NOT_ROUND_REPLY
        if not found.open:
            return DirectOutcome.CLOSED
        sender = activity.from_property
        text = reply_text(activity)
        if not text or activity.value is not None or sender is None or sender.role == "bot":
            return DirectOutcome.IGNORED
        if not getattr(sender, "aad_object_id", None):
            logger.warning(
                "reply %s in round %s has no Entra object id: left to the harvest", activity.id, found.round_id
            )
            return DirectOutcome.IGNORED
        member = await self._roster.member(turn_context)
        moment = _moment(activity.timestamp) or self._clock()
        outcome = await self._sink.upsert_reply(
            found.round_id, activity.id, sender.aad_object_id, member.name, member.bestuur, text, moment, moment
        )
        logger.info("reply %s to round %s received directly: %s", activity.id, found.round_id, outcome)
        return DirectOutcome.UNCHANGED if outcome == "unchanged" else DirectOutcome.STORED


def is_command(activity: Activity) -> bool:
    """Whether the message @mentions the bot with a command (those stay commands, also in a thread)."""
    if not mentions_bot(activity):
        return False
    return parse_command(reply_text(activity)).command is not None


def reply_text(activity: Activity) -> str:
    """Clean text of the message: its HTML (attachment, else text) without the bot's @mention."""
    source = next(
        (
            a.content
            for a in activity.attachments or []
            if a.content_type == _HTML and isinstance(a.content, str) and a.content.strip()
        ),
        activity.text or "",
    )
    names = _bot_mentions(activity)
    if names:
        source = _MENTION.sub(lambda m: " " if _plain(m.group(1)) in names else m.group(0), source)
    return html_to_text(source)


def mentions_bot(activity: Activity) -> bool:
    """Whether the message @mentions the bot (with RSC, channel messages that do not are not meant for it)."""
    return bool(_bot_mentions(activity))


def _bot_mentions(activity: Activity) -> set[str]:
    """The names under which the bot is @mentioned in this message."""
    bot_id = activity.recipient.id if activity.recipient else None
    names: set[str] = set()
    for mention in TurnContext.get_mentions(activity):
        props: dict[str, Any] = mention.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if bot_id is None or mentioned.get("id") != bot_id:
            continue
        inner = _MENTION.search(str(props.get("text") or ""))
        names.update(
            name for name in (_plain(inner.group(1)) if inner else "", _plain(mentioned.get("name") or "")) if name
        )
    return names


def _plain(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split()).casefold()


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
