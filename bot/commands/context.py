"""What a command handler gets: the turn, the bot's parts, who is acting and in which RKK."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import CardFactory, MessageFactory, TurnContext

from bot.commands.meetings import MeetingActions
from bot.commands.registry import CommandSpec
from bot.commands.scoring_actions import ScoringActions
from bot.commands.theme_names import ThemeNames
from bot.commands.themes import ThemeActions
from bot.direct_replies import DirectReplies
from bot.outbound.file_upload import FileUploader
from bot.rate_limit import CommandRateLimit
from bot.roster import TeamRoster
from config.rkk_config import BotConfig
from i18n.catalog import Catalog
from rkk.access import Coordinators, Person
from rkk.insights import InsightSource
from rkk.model import AuditEntry, Rkk
from rkk.rounds import PauseLookup, Publisher, Store, next_post_moment, schedule_override
from rkk.store.admin_store import AdminStore, QuestionAdmin
from scheduler.pauses import with_controls
from scheduler.weekly import pause_on, schedule_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BotDeps:
    """The parts the handler and the commands are built from (composed in app.py)."""

    store: Store
    admin: AdminStore
    questions: QuestionAdmin
    publisher: Publisher
    texts: Catalog
    roster: TeamRoster
    coordinators: Coordinators
    config: BotConfig
    clock: Callable[[], datetime]
    uploader: FileUploader  # puts coordinators' exports in their OneDrive
    insights: InsightSource  # the aggregates behind `rapport`
    direct_replies: DirectReplies | None = None
    theme_actions: ThemeActions | None = None  # thread replies stored on receipt (RSC)
    rate_limit: CommandRateLimit = field(default_factory=CommandRateLimit)  # typed commands per member
    theme_names: ThemeNames | None = None  # "Naam aanpassen" on theme cards
    scoring: ScoringActions | None = None  # the scoring round (needs RKK Overkoepelend)
    meeting_actions: MeetingActions | None = None  # kennismomenten: the planning form and announcement cards

    @property
    def pause_of(self) -> PauseLookup:
        """Pauses from the config's holidays and from coordinators' pauses and skipped weeks."""
        return with_controls(self.config, self.admin.controls)

    @property
    def timezone(self) -> ZoneInfo:
        """The circles' time zone (Europe/Brussels)."""
        return self.config.timezone


@dataclass
class CommandContext:
    """One command being handled."""

    turn: TurnContext
    deps: BotDeps
    lang: str
    person: Person
    actor_name: str
    team_id: str | None
    rkk: Rkk | None
    args: str
    command: CommandSpec

    def t(self, key: str, **params: object) -> str:
        """A catalogue text in the person's language."""
        return self.deps.texts.text(key, self.lang, **params)

    async def say(self, key: str, **params: object) -> None:
        """Reply with one catalogue text."""
        await self.turn.send_activity(MessageFactory.text(self.t(key, **params)))

    async def show(self, card: dict[str, Any]) -> None:
        """Reply with one Adaptive Card."""
        await self.turn.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    def may_steer(self, rkk_key: str | None) -> bool:
        """Whether the acting person coordinates this RKK (None: coordinates all)."""
        return self.deps.coordinators.may_steer(self.person, rkk_key)

    def entry(self, action: str, detail: str, rkk_key: str | None) -> AuditEntry:
        """An audit entry for a change made now by the acting person in this conversation."""
        conversation = self.turn.activity.conversation
        return AuditEntry(
            at=self.deps.clock(),
            actor_id=self.person.aad_object_id or self.person.upn or "?",
            actor_name=self.actor_name,
            action=action,
            rkk_key=rkk_key,
            detail=detail,
            conversation_id=conversation.id if conversation else None,
        )

    async def next_post(self, rkk_key: str) -> datetime | None:
        """When the next question will be posted in the RKK, all controls and pauses considered."""
        deps = self.deps
        controls = await deps.admin.controls(rkk_key)
        override = schedule_override(controls)
        schedule = schedule_of(deps.config, rkk_key)
        weekday, at = override or (schedule.weekday, schedule.at)
        return next_post_moment(
            deps.clock(),
            deps.timezone,
            weekday,
            at,
            controls,
            lambda day: pause_on(deps.config, rkk_key, day) is not None,
        )
