"""In-memory doubles of the Teams-facing ports, and builders of the activities Teams sends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity, Mention

from bot.commands.context import BotDeps
from bot.outbound.file_upload import FileUploader
from config.rkk_config import BotConfig, RkkConfig, load_config
from i18n.catalog import Catalog
from rkk.access import Coordinators
from rkk.answers.bestuur import UNKNOWN_BESTUUR, bestuur_for
from rkk.errors import PostFailed
from rkk.model import Member, Rkk, Round
from rkk.ports import Posted
from rkk.store.admin_store import AdminStore, QuestionAdmin
from rkk.store.insights import InsightQueries
from rkk.store.rounds.sql_store import SqlStore

TEAM_ID = "19:kempen-general@thread.tacv2"
TENANT_ID = "tenant-victor"
BOT_ID = "28:rkkbot"
SERVICE_URL = "http://127.0.0.1:9/teams/"  # loopback discard port: tests never reach the internet


@dataclass
class FakePublisher:
    """Records the question cards it was asked to post; can be told to fail."""

    posted: list[tuple[str, Round]] = field(default_factory=list)
    fail: bool = False

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Remember the post and hand back a Teams-like thread id."""
        if self.fail:
            raise PostFailed("Teams answered 503 six times", rkk=rkk.name)
        self.posted.append((rkk.key, round_))
        message_id = f"{1700000000000 + len(self.posted)}"
        return Posted(f"{rkk.channel_id};messageid={message_id}", message_id)


@dataclass
class FakeRoster:
    """Knows members by their Teams user id and the team's channels, as the roster lookup would."""

    emails: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=lambda: {"brasschaat.be": "Gemeente Brasschaat"})
    forgotten: list[str] = field(default_factory=list)

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member with the bestuur from their mail domain."""
        sender = turn_context.activity.from_property
        email = self.emails.get(sender.id)
        return Member(
            sender.aad_object_id or sender.id, sender.name or sender.id, email, bestuur_for(email, self.domains)
        )

    def forget(self, member_id: str) -> None:
        """Remember who was forgotten (after erasure)."""
        self.forgotten.append(member_id)

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """General and one topic channel."""
        return [(team_id, "General"), ("19:vraag@thread.tacv2", "Vraag van de week")]

    async def team_besturen(self, turn_context: TurnContext, team_id: str) -> set[str]:
        """The besturen of the known members plus two others present in the team."""
        known = {bestuur_for(email, self.domains) for email in self.emails.values()}
        return (known | {"Stad Hoogstraten", "OCMW Diepenbeek"}) - {UNKNOWN_BESTUUR}


def user(user_id: str = "29:an", name: str = "An Peeters", aad: str = "aad-an") -> ChannelAccount:
    """A Teams user account."""
    return ChannelAccount(id=user_id, name=name, aad_object_id=aad)


def _base(sender: ChannelAccount, conversation_id: str, team_id: str | None) -> dict[str, Any]:
    channel_data: dict[str, Any] = {"tenant": {"id": TENANT_ID}}
    if team_id:
        channel_data.update(
            team={"id": team_id, "name": "RKK Kempen", "aadGroupId": "group-kempen"}, channel={"id": team_id}
        )
    return {
        "channel_id": "msteams",
        "service_url": SERVICE_URL,
        "from_property": sender,
        "recipient": ChannelAccount(id=BOT_ID, name="Vraag van de week"),
        "conversation": ConversationAccount(
            id=conversation_id,
            is_group=bool(team_id),
            conversation_type="channel" if team_id else "personal",
            tenant_id=TENANT_ID,
        ),
        "channel_data": channel_data,
        "locale": "nl-BE",
    }


def installed(team_id: str = TEAM_ID) -> Activity:
    """The conversationUpdate Teams sends when the bot is added to a team."""
    return Activity(
        type="conversationUpdate", members_added=[ChannelAccount(id=BOT_ID)], **_base(user(), team_id, team_id)
    )


def channel_message(text: str, sender: ChannelAccount | None = None, team_id: str | None = TEAM_ID) -> Activity:
    """A message in the team's channel that @mentions the bot."""
    sender = sender or user()
    mention = Mention(
        mentioned=ChannelAccount(id=BOT_ID, name="Vraag van de week"), text="<at>Vraag van de week</at>", type="mention"
    )
    conversation = f"{team_id};messageid=99" if team_id else "a:personal-chat"
    return Activity(
        type="message",
        text=f"<at>Vraag van de week</at> {text}",
        entities=[Entity().deserialize(mention.serialize())],
        **_base(sender, conversation, team_id),
    )


def card_action(
    verb: str,
    data: dict[str, Any],
    conversation_id: str,
    sender: ChannelAccount | None = None,
    team_id: str | None = TEAM_ID,
) -> Activity:
    """The adaptiveCard/action invoke Teams sends for an Action.Execute button."""
    return Activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        **_base(sender or user(), conversation_id, team_id),
    )


def file_consent(
    action: str, context: dict[str, Any], upload_url: str, sender: ChannelAccount | None = None
) -> Activity:
    """The fileConsent/invoke Teams sends in a personal chat when the person accepts or declines a file."""
    value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": context}
    if action == "accept":
        value["uploadInfo"] = {
            "contentUrl": "https://victor-my.sharepoint.com/personal/coord/Documents/Applications/rkk.csv",
            "name": "rkk-antwoorden-2026-11-23.csv",
            "uploadUrl": upload_url,
            "uniqueId": "01ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
            "fileType": "csv",
            "etag": "1",
        }
    return Activity(
        type="invoke", name="fileConsent/invoke", value=value, **_base(sender or user(), "a:personal-chat", None)
    )


def bot_config(demo: bool = False, global_coordinators: tuple[str, ...] = ("aad-global",)) -> BotConfig:
    """The demo config turned into one RKK, Kempen, in TEAM_ID with coordinator aad-coord."""
    base = load_config(Path(__file__).resolve().parents[2] / "config" / "demo.yaml")
    kempen = RkkConfig("kempen", "RKK Kempen", TEAM_ID, None, ("aad-coord",), None, ())
    return replace(base, demo=demo, rkks=(kempen,), coordinators=global_coordinators)


def bot_deps(
    store: SqlStore, publisher: FakePublisher, texts: Catalog, clock: Callable[[], datetime], demo: bool = False
) -> BotDeps:
    """The handler's parts with a real store and fake Teams ports (exports go to the upload URL Teams gives)."""
    config = bot_config(demo)
    coordinators = Coordinators.build(config.coordinators, {r.key: r.coordinators for r in config.rkks}, everyone=demo)
    roster = FakeRoster(emails={"29:an": "an@brasschaat.be"})
    engine = store.engine
    return BotDeps(
        store,
        AdminStore(engine),
        QuestionAdmin(engine),
        publisher,
        texts,
        roster,
        coordinators,
        config,
        clock,
        FileUploader(),
        InsightQueries(engine),
    )
