"""Thread replies the bot receives directly are stored at once, and the harvest does not store them again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, Attachment, ChannelAccount, ConversationAccount, Entity, Mention
from sqlalchemy import update

from bot.direct_replies import DirectOutcome, DirectReplies, reply_text
from bot.graph.adapter import MsGraph
from bot.graph.harvest import OpenRound, harvest
from rkk.answers.bestuur import bestuur_for
from rkk.model import Member
from rkk.store.answers.replies import SqlReplySink
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import ThreadRounds
from rkk.store.tables import rounds
from tests.doubles.graph_double import GraphState
from tests.integration.graph.conftest import DOMAINS
from tests.integration.harvest.conftest import CHANNEL_ID, ROOT_ID, TEAM_ID, TEAMS_ID, reply_rows

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

BOT = ChannelAccount(id="28:bot", name="Vraag van de week")
AN = ChannelAccount(id="29:an", name="An", aad_object_id="aad-an")
SENT = datetime(2026, 11, 23, 10, 0, 5, tzinfo=UTC)
MENTION = "<at>Vraag van de week</at>"


class Roster:
    """The member lookup as TeamsInfo would answer it: An of Brasschaat."""

    async def member(self, turn_context: TurnContext) -> Member:
        """The acting member."""
        sender = turn_context.activity.from_property
        return Member(sender.aad_object_id, "An Peeters", "an@brasschaat.be", bestuur_for("an@brasschaat.be", DOMAINS))

    async def channels(self, turn_context: TurnContext, team_id: str) -> list[tuple[str, str]]:
        """No channels are needed here."""
        return []


def reply(text: str, message_id: str = "1763892005000", *, root: str = ROOT_ID, mention: bool = False) -> Activity:
    """A message in a channel thread, as Teams delivers it with RSC (or with an @mention of the bot)."""
    entities: list[Any] = []
    if mention:
        entities.append(Entity().deserialize(Mention(mentioned=BOT, text=MENTION, type="mention").serialize()))
        text = f"{MENTION} {text}"
    return Activity(
        type="message",
        id=message_id,
        text=text,
        timestamp=SENT,
        channel_id="msteams",
        service_url="http://127.0.0.1:9/",
        conversation=ConversationAccount(id=f"{CHANNEL_ID};messageid={root}", is_group=True),
        from_property=AN,
        recipient=BOT,
        entities=entities,
        channel_data={"team": {"id": TEAMS_ID, "aadGroupId": TEAM_ID}, "channel": {"id": CHANNEL_ID}},
    )


async def receive(store: SqlStore, activity: Activity) -> DirectOutcome:
    """Hand the activity to the direct-reply path on the real store."""
    direct = DirectReplies(SqlReplySink(store.engine), ThreadRounds(store.engine), Roster())
    return await direct.receive(TurnContext(TestAdapter(), activity))


async def test_direct_reply_followed_by_a_harvest_is_stored_once(
    state: GraphState, graph: MsGraph, store: SqlStore, round_id: int
) -> None:
    """The reply is an answer at once; the harvest finds the same message id unchanged."""
    outcome = await receive(store, reply("Wij gebruiken MAGDA"))
    state.add_reply(
        (TEAM_ID, CHANNEL_ID, ROOT_ID),
        "1763892005000",
        user_id="aad-an",
        html="<p>Wij gebruiken MAGDA</p>",
        created=SENT,
    )

    report = await harvest(
        graph, SqlReplySink(store.engine), [OpenRound(round_id, *(TEAM_ID, CHANNEL_ID, ROOT_ID))], DOMAINS
    )

    rows = await reply_rows(store)
    assert outcome is DirectOutcome.STORED
    assert (report.added, report.unchanged) == (0, 1)
    assert list(rows) == ["1763892005000"]
    row = rows["1763892005000"]
    assert (row.member_id, row.bestuur, row.text) == ("aad-an", "Gemeente Brasschaat", "Wij gebruiken MAGDA")


async def test_redelivered_reply_is_unchanged(store: SqlStore, round_id: int) -> None:
    """Teams delivering the same activity twice stores one answer."""
    first = await receive(store, reply("Eén keer"))
    second = await receive(store, reply("Eén keer"))

    assert (first, second) == (DirectOutcome.STORED, DirectOutcome.UNCHANGED)
    assert len(await reply_rows(store)) == 1


async def test_mentioned_answer_is_stored_without_the_mention(store: SqlStore, round_id: int) -> None:
    """An answer addressed to the bot loses the bot's @mention, not its words."""
    outcome = await receive(store, reply("Wij gebruiken &amp; delen MAGDA", mention=True))

    assert outcome is DirectOutcome.STORED
    assert (await reply_rows(store))["1763892005000"].text == "Wij gebruiken & delen MAGDA"


async def test_command_in_the_thread_stays_a_command(store: SqlStore, round_id: int) -> None:
    """ "@bot help" in the thread is left to the command handler and stored nowhere."""
    outcome = await receive(store, reply("help", mention=True))

    assert outcome is DirectOutcome.NOT_ROUND_REPLY and not outcome.handled
    assert await reply_rows(store) == {}


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (reply("Elders", root="1700000000999"), DirectOutcome.NOT_ROUND_REPLY),
        (reply("Nieuw bericht", message_id=ROOT_ID), DirectOutcome.NOT_ROUND_REPLY),
        (reply("   "), DirectOutcome.IGNORED),
    ],
    ids=["other-thread", "root-post", "empty"],
)
async def test_messages_that_are_no_answer_are_not_stored(
    store: SqlStore, round_id: int, activity: Activity, expected: DirectOutcome
) -> None:
    """Other threads, root posts and empty replies store nothing."""
    assert await receive(store, activity) is expected
    assert await reply_rows(store) == {}


async def test_reply_to_a_closed_round_is_refused(store: SqlStore, round_id: int) -> None:
    """A closed round takes no more answers; the handler is told so and stays silent."""
    async with store.engine.begin() as conn:
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(state="closed"))

    outcome = await receive(store, reply("Te laat"))

    assert outcome is DirectOutcome.CLOSED and outcome.handled
    assert await reply_rows(store) == {}


def test_reply_text_prefers_the_html_and_keeps_other_mentions() -> None:
    """The HTML attachment gives links and mentions of people; the bot's mention is dropped."""
    activity = reply("ignored", mention=True)
    activity.attachments = [
        Attachment(
            content_type="text/html",
            content='<p><at id="0">Vraag van de week</at> vraag het <at id="1">Jan</at>: <a href="https://magda.be">site</a></p>',
        )
    ]

    assert reply_text(activity) == "vraag het @Jan: site (https://magda.be)"
