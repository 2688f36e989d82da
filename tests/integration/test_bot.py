"""The bot through botbuilder's TestAdapter: install, commands and card answers, with a real store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.handler import RkkBot
from i18n.catalog import Catalog
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import strings
from tests.doubles.teams import (
    TEAM_ID,
    FakePublisher,
    bot_deps,
    card_action,
    channel_message,
    installed,
    user,
)

BANK = tuple((f"q{i}", f"Vraag nummer {i} over digitale dienstverlening?") for i in range(1, 4))
COORDINATOR = user("29:coord", "Coördinator Kempen", "aad-coord")
MEMBER = user("29:an", "An Peeters", "aad-an")


class Harness:
    """A bot on a TestAdapter with a real store and fake publisher and roster."""

    def __init__(self, store: SqlStore, texts: Catalog, now: datetime, demo: bool = False) -> None:
        self.store, self.publisher = store, FakePublisher()
        self.deps = bot_deps(store, self.publisher, texts, lambda: now, demo)
        self.bot = RkkBot(self.deps)
        self.adapter = TestAdapter()

    async def send(self, activity: Activity) -> list[Activity]:
        """Run one activity through the bot; the activities it sent back."""
        self.adapter.activity_buffer.clear()
        # TestAdapter.process_activity would overwrite sender, recipient and conversation with
        # its own template; run the pipeline directly so the activity keeps its Teams shape.
        await self.adapter.run_pipeline(self.adapter.create_turn_context(activity), self.bot.on_turn)
        return list(self.adapter.activity_buffer)

    async def invoke(self, activity: Activity) -> Any:
        """Run an invoke; the body of its invoke response."""
        [reply] = await self.send(activity)
        response = reply.value
        assert isinstance(response, InvokeResponse) and response.status == 200
        return response.body


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> Harness:
    """A bot installed in the Kempen team, with the starter bank loaded."""
    await store.sync_question_bank(BANK)
    harness = Harness(store, texts, now)
    await harness.send(installed())
    return harness


def _texts(activities: list[Activity]) -> str:
    return "\n".join(a.text or "" for a in activities)


async def test_install_greets_team_in_dutch_once(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """Adding the bot to an RKK team greets it once; a repeated install notice stays silent."""
    await store.sync_question_bank(BANK)
    harness = Harness(store, texts, now)
    first = await harness.send(installed())
    again = await harness.send(installed())
    assert "Hallo RKK Kempen" in _texts(first) and "vraag van de week" in _texts(first)
    assert again == []
    rkk = await store.rkk_for_team(TEAM_ID)
    assert rkk is not None and rkk.key == "kempen" and rkk.reachable


async def test_coordinator_post_nu_posts_one_card_and_confirms(bot: Harness) -> None:
    """`post nu` by a coordinator posts the question once and says so in Dutch."""
    replies = await bot.send(channel_message("post nu", COORDINATOR))
    assert len(bot.publisher.posted) == 1
    assert "staat online" in _texts(replies)


async def test_second_post_nu_in_same_week_posts_nothing_and_links_the_question(bot: Harness) -> None:
    """A second `post now` in the same week says the question is already out, with a link."""
    await bot.send(channel_message("post nu", COORDINATOR))
    replies = await bot.send(channel_message("Post Now", COORDINATOR))
    assert len(bot.publisher.posted) == 1
    text = _texts(replies)
    assert "staat al online" in text and "https://teams.microsoft.com/l/message/" in text


async def test_member_who_is_not_coordinator_cannot_post(bot: Harness) -> None:
    """A plain member's `post nu` is refused politely and posts nothing."""
    replies = await bot.send(channel_message("post nu", MEMBER))
    assert bot.publisher.posted == []
    assert "Alleen coördinatoren" in _texts(replies)


async def test_failed_post_is_reported_and_can_be_retried(bot: Harness) -> None:
    """When Teams refuses the card the coordinator hears so, and a later `post nu` tries again."""
    bot.publisher.fail = True
    replies = await bot.send(channel_message("post nu", COORDINATOR))
    assert "mislukt" in _texts(replies)
    bot.publisher.fail = False
    await bot.send(channel_message("post nu", COORDINATOR))
    assert len(bot.publisher.posted) == 1


async def test_help_shows_a_dutch_card_with_the_commands(bot: Harness) -> None:
    """`help` answers with a card listing the commands, coordinator ones for coordinators."""
    [reply] = await bot.send(channel_message("help", COORDINATOR))
    card = reply.attachments[0].content
    text = strings(card)
    assert "post nu" in text and "help" in text and "Voor coördinatoren" in text
    [member_reply] = await bot.send(channel_message("hulp", MEMBER))
    assert "post nu" not in strings(member_reply.attachments[0].content)


async def test_unknown_command_gets_a_hint(bot: Harness) -> None:
    """A typo gets a Dutch "did you mean" hint instead of silence."""
    replies = await bot.send(channel_message("post nuu", COORDINATOR))
    assert "Bedoelde je **post nu**" in _texts(replies)
    replies = await bot.send(channel_message("wat is het weer", COORDINATOR))
    assert "Dat commando ken ik niet" in _texts(replies)


async def test_english_locale_gets_english_texts(bot: Harness) -> None:
    """A member whose Teams speaks English gets English replies."""
    activity = channel_message("blabla", MEMBER)
    activity.locale = "en-US"
    assert "I do not know that command" in _texts(await bot.send(activity))


async def _posted_round(bot: Harness) -> tuple[int, str]:
    await bot.send(channel_message("post nu", COORDINATOR))
    _, round_ = bot.publisher.posted[0]
    stored = await bot.store.get_round(round_.id)
    assert stored is not None and stored.conversation_id
    return round_.id, stored.conversation_id


async def test_answer_through_card_updates_the_card_for_that_member(bot: Harness) -> None:
    """Answering shows the member their answer, an edit button and the count."""
    round_id, conversation = await _posted_round(bot)
    body = await bot.invoke(
        card_action("answer", {"roundId": round_id, "answer": "Wij zijn live sinds maart."}, conversation, MEMBER)
    )
    card = body.value
    text = strings(card)
    assert "Wij zijn live sinds maart." in text and "1 antwoord tot nu toe" in text and "Bedankt" in text
    assert [a["verb"] for a in card["actions"]] == ["edit"]
    [row] = await bot.store.export_rows()
    assert (row.member_id, row.bestuur, row.member_name) == ("aad-an", "Gemeente Brasschaat", "An Peeters")


async def test_answering_again_edits_instead_of_adding(bot: Harness) -> None:
    """A second answer from the same member replaces the first."""
    round_id, conversation = await _posted_round(bot)
    await bot.invoke(card_action("answer", {"roundId": round_id, "answer": "Eerste"}, conversation, MEMBER))
    body = await bot.invoke(card_action("answer", {"roundId": round_id, "answer": "Tweede"}, conversation, MEMBER))
    assert "Je antwoord is aangepast" in strings(body.value)
    rows = await bot.store.export_rows()
    assert [r.text for r in rows] == ["Tweede"]


async def test_edit_button_shows_the_input_prefilled(bot: Harness) -> None:
    """The edit button brings back the input with the member's answer in it."""
    round_id, conversation = await _posted_round(bot)
    await bot.invoke(card_action("answer", {"roundId": round_id, "answer": "Mijn antwoord"}, conversation, MEMBER))
    body = await bot.invoke(card_action("edit", {"roundId": round_id}, conversation, MEMBER))
    [field] = [e for e in body.value["body"] if e.get("type") == "Input.Text"]
    assert field["value"] == "Mijn antwoord"


@pytest.mark.parametrize("answer", ["", "   \n ", "x" * 4001, None, 42])
async def test_bad_answer_gets_a_dutch_message_and_stores_nothing(bot: Harness, answer: Any) -> None:
    """Empty, whitespace, too long or non-text answers are refused in the card; nothing is stored."""
    round_id, conversation = await _posted_round(bot)
    body = await bot.invoke(card_action("answer", {"roundId": round_id, "answer": answer}, conversation, MEMBER))
    text = strings(body.value)
    assert "Je antwoord is leeg" in text or "Je antwoord is te lang" in text
    assert await bot.store.export_rows() == []


@pytest.mark.parametrize("data", [{}, {"roundId": "1"}, {"roundId": 999}, {"roundId": True}])
async def test_card_action_with_missing_or_unknown_round_is_refused(bot: Harness, data: dict[str, Any]) -> None:
    """A card action whose data names no valid round changes nothing."""
    _, conversation = await _posted_round(bot)
    body = await bot.invoke(card_action("answer", {**data, "answer": "hallo"}, conversation, MEMBER))
    assert body.type == "application/vnd.microsoft.activity.message"
    assert "hoort niet bij deze kenniskring" in body.value
    assert await bot.store.export_rows() == []


async def test_card_action_from_another_team_is_refused(bot: Harness) -> None:
    """A forwarded card used in another team cannot answer this RKK's round."""
    round_id, _ = await _posted_round(bot)
    other = "19:other-team@thread.tacv2"
    body = await bot.invoke(
        card_action("answer", {"roundId": round_id, "answer": "hallo"}, f"{other};messageid=5", MEMBER, team_id=other)
    )
    assert "hoort niet bij deze kenniskring" in body.value
    assert await bot.store.export_rows() == []


async def test_card_action_from_another_thread_is_refused(bot: Harness) -> None:
    """Card data pointing at this week's round but sent from another thread changes nothing."""
    round_id, _ = await _posted_round(bot)
    body = await bot.invoke(
        card_action("answer", {"roundId": round_id, "answer": "hallo"}, f"{TEAM_ID};messageid=123", MEMBER)
    )
    assert "hoort niet bij deze kenniskring" in body.value
    assert await bot.store.export_rows() == []


async def test_unknown_verb_changes_nothing(bot: Harness) -> None:
    """A forged verb gets a message and stores nothing."""
    round_id, conversation = await _posted_round(bot)
    body = await bot.invoke(card_action("delete_everything", {"roundId": round_id}, conversation, MEMBER))
    assert "Deze knop ken ik niet" in body.value


async def test_member_text_with_markup_is_shown_literally(bot: Harness) -> None:
    """Markdown, links and mentions in an answer come back as plain text runs, never formatting."""
    round_id, conversation = await _posted_round(bot)
    nasty = "**vet** [klik](https://evil.example) <at>Iedereen</at>"
    body = await bot.invoke(card_action("answer", {"roundId": round_id, "answer": nasty}, conversation, MEMBER))
    runs = [
        inline
        for element in body.value["body"]
        if element.get("type") == "Container"
        for item in element["items"]
        if item["type"] == "RichTextBlock"
        for inline in item["inlines"]
    ]
    assert runs == [{"type": "TextRun", "text": nasty}]
    blocks = [e.get("text", "") for e in body.value["body"] if e.get("type") == "TextBlock"]
    assert all("evil.example" not in b for b in blocks)


async def test_turn_context_helpers_stay_pure() -> None:
    """Removing the mention leaves the command text (a guard for botbuilder's helper)."""
    activity = channel_message("post nu")
    assert TurnContext.remove_recipient_mention(activity).strip() == "post nu"
