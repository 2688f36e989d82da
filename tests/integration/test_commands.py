"""Coordinator and member commands through botbuilder's TestAdapter, with a real store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from botbuilder.core import InvokeResponse
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.handler import RkkBot
from i18n.catalog import Catalog
from rkk.rounds.rotation import QuestionSource
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import actions, strings
from tests.doubles.teams import FakePublisher, bot_deps, card_action, channel_message, installed, user

BANK = tuple((f"q{i}", f"Vraag nummer {i} over digitale dienstverlening?") for i in range(1, 4))
COORDINATOR = user("29:coord", "Coördinator Kempen", "aad-coord")
GLOBAL = user("29:global", "Globale Coördinator", "aad-global")
MEMBER = user("29:an", "An Peeters", "aad-an")


class Bot:
    """The bot on a TestAdapter, installed in the Kempen team."""

    def __init__(self, store: SqlStore, texts: Catalog, now: datetime, tenants: frozenset[str] = frozenset()) -> None:
        self.store, self.publisher = store, FakePublisher()
        self.deps = bot_deps(store, self.publisher, texts, lambda: now)
        self.bot = RkkBot(self.deps, tenants)
        self.adapter = TestAdapter()

    async def send(self, activity: Activity) -> list[Activity]:
        """The activities the bot sends back for one incoming activity."""
        self.adapter.activity_buffer.clear()
        await self.adapter.run_pipeline(self.adapter.create_turn_context(activity), self.bot.on_turn)
        return list(self.adapter.activity_buffer)

    async def say(self, text: str, sender: Any = COORDINATOR, team: bool = True) -> str:
        """Everything the bot answers to a typed command, texts and card texts joined."""
        return _all_text(
            await self.send(
                channel_message(text, sender, team_id=None if not team else "19:kempen-general@thread.tacv2")
            )
        )


def _all_text(activities: list[Activity]) -> str:
    """Texts and card texts of the bot's replies, joined."""
    return "\n".join(
        [a.text or "" for a in activities] + [strings(att.content) for a in activities for att in a.attachments or []]
    )


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> Bot:
    """Installed in Kempen with the starter bank."""
    await store.sync_question_bank(BANK)
    harness = Bot(store, texts, now)
    await harness.send(installed())
    return harness


async def _answer(bot: Bot, sender: Any, text: str) -> None:
    _, round_ = bot.publisher.posted[-1]
    stored = await bot.store.get_round(round_.id)
    assert stored is not None
    await bot.send(card_action("answer", {"roundId": round_.id, "answer": text}, stored.conversation_id or "", sender))


async def test_pause_until_next_week_confirms_dates_in_brussels_time(bot: Bot) -> None:
    """`pauze tot volgende week` pauses until next Monday and says when the next question comes."""
    reply = await bot.say("pauze tot volgende week")
    assert "gepauzeerd tot en met maandag 30 november 2026" in reply
    assert "maandag 7 december 2026 om 09:00" in reply
    controls = await bot.deps.admin.controls("kempen")
    assert controls.paused_until is not None and controls.paused_until.isoformat() == "2026-11-30"
    [entry] = await bot.deps.admin.audit_entries()
    assert (entry.action, entry.actor_name, entry.rkk_key) == ("pause", "Coördinator Kempen", "kempen")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pauze tot gisteren", "ligt in het verleden"),
        ("pauze tot 2026-01-01", "ligt in het verleden"),
        ("pauze tot ergens in de lente", "Die datum begrijp ik niet"),
        ("pauze", "Tot wanneer?"),
        ("pauze tot", "Tot wanneer?"),
    ],
)
async def test_pause_with_a_bad_date_explains_and_changes_nothing(bot: Bot, text: str, expected: str) -> None:
    """Past, unreadable or missing dates are refused with a Dutch explanation; nothing is stored."""
    assert expected in await bot.say(text)
    assert (await bot.deps.admin.controls("kempen")).paused_until is None
    assert await bot.deps.admin.audit_entries() == []


async def test_resume_ends_a_pause_and_says_so(bot: Bot) -> None:
    """`hervat` after a pause resumes; without a pause it says there was none."""
    assert "was niet gepauzeerd" in await bot.say("hervat")
    await bot.say("pauze tot 1 januari")
    assert "is hervat" in await bot.say("resume")
    assert (await bot.deps.admin.controls("kempen")).paused_until is None


async def test_skip_marks_the_week_and_refuses_once_posted(bot: Bot) -> None:
    """`overslaan` skips this week; after the question is out it is too late."""
    assert "week 2026-W48 wordt overgeslagen" in await bot.say("overslaan")
    assert (await bot.deps.admin.controls("kempen")).skipped_week == "2026-W48"
    await bot.say("post nu")
    assert "overslaan kan niet meer" in await bot.say("skip")


async def test_schedule_command_sets_weekday_and_time(bot: Bot) -> None:
    """`schema dinsdag 9:30` moves the question and names the next moment."""
    reply = await bot.say("schema dinsdag 9:30")
    assert "op dinsdag om 09:30" in reply and "dinsdag 24 november 2026 om 09:30" in reply
    assert "Geef een dag en een uur" in await bot.say("schema ooit")


async def test_status_shows_count_participation_and_state(bot: Bot) -> None:
    """`status` shows this week's round, the answers and how many besturen took part."""
    assert "Week 2026-W48: nog niet gepost" in await bot.say("status")
    await bot.say("post nu")
    await _answer(bot, MEMBER, "Wij zijn live.")
    reply = await bot.say("status")
    assert "Week 2026-W48: gepost" in reply and "Gepost op maandag 23 november 2026" in reply
    assert "Antwoorden: 1, van 1 bestuur" in reply
    assert "1 van de 3 besturen in het team antwoordden" in reply


async def test_answers_show_names_only_to_coordinators(bot: Bot) -> None:
    """`antwoorden` lists this week's answers; only coordinators see who wrote them."""
    await bot.say("post nu")
    await _answer(bot, MEMBER, "Via de intercommunale.")
    as_member = await bot.say("antwoorden", MEMBER)
    as_coordinator = await bot.say("answers")
    assert "Via de intercommunale." in as_member and "An Peeters" not in as_member
    assert "An Peeters · Gemeente Brasschaat" in as_coordinator


async def test_my_answers_and_delete_my_data_after_confirmation(bot: Bot, store: SqlStore) -> None:
    """A member sees their answers, confirms deletion, and only their data is erased."""
    await bot.say("post nu")
    await _answer(bot, MEMBER, "Mijn antwoord.")
    await _answer(bot, COORDINATOR, "Antwoord van de coördinator.")
    assert "Mijn antwoord." in await bot.say("mijn antwoorden", MEMBER)
    confirm = await bot.say("verwijder mijn gegevens", MEMBER)
    assert "Al je gegevens wissen?" in confirm and "(1)" in confirm
    [reply] = await bot.send(card_action("delete_confirm", {}, "a:personal", MEMBER, team_id=None))
    assert isinstance(reply.value, InvokeResponse)
    assert "1 antwoord en je gegevens zijn gewist" in reply.value.body.value
    assert [row.text for row in await store.export_rows()] == ["Antwoord van de coördinator."]
    assert "nog geen antwoorden" in await bot.say("my answers", MEMBER)


async def test_cancel_erases_nothing(bot: Bot, store: SqlStore) -> None:
    """Cancelling the confirmation keeps every answer."""
    await bot.say("post nu")
    await _answer(bot, MEMBER, "Blijft staan.")
    [reply] = await bot.send(card_action("delete_cancel", {}, "a:personal", MEMBER, team_id=None))
    assert reply.value.body.value == "Niets gewist."
    assert len(await store.export_rows()) == 1


@pytest.mark.parametrize(
    "command", ["post nu", "pauze tot volgende week", "hervat", "overslaan", "schema maandag 9:00", "status"]
)
async def test_member_cannot_use_coordinator_commands(bot: Bot, command: str) -> None:
    """A member who is not a coordinator is refused politely and nothing changes."""
    assert "Alleen coördinatoren" in await bot.say(command, MEMBER)
    assert bot.publisher.posted == []
    assert await bot.deps.admin.audit_entries() == []


async def test_audit_is_for_global_coordinators(bot: Bot) -> None:
    """`audit` lists changes for global coordinators and refuses RKK coordinators."""
    await bot.say("pauze tot volgende week")
    assert "Alleen globale coördinatoren" in await bot.say("audit")
    shown = await bot.say("audit", GLOBAL, team=False)
    assert "Coördinator Kempen" in shown and "pause: tot en met 2026-11-30" in shown


async def test_personal_chat_uses_the_only_rkk_a_coordinator_has(bot: Bot) -> None:
    """In a personal chat, a coordinator of one RKK needs not name it; a global coordinator names it."""
    assert "staat online" in await bot.say("post nu", team=False)
    assert "gepauzeerd" in await bot.say("pauze tot kempen volgende week", GLOBAL, team=False)


async def test_personal_chat_offers_a_card_to_choose_the_rkk(bot: Bot) -> None:
    """A global coordinator who names no RKK chooses it from a card; the button runs the command."""
    [reply] = await bot.send(channel_message("pauze tot volgende week", GLOBAL, team_id=None))
    card = reply.attachments[0].content
    assert "Over welke RKK gaat pauze tot?" in card["body"][0]["text"]
    [button] = card["body"][-1]["items"][-1]["actions"]
    activities = await bot.send(card_action(button["verb"], button["data"], "a:personal", GLOBAL, team_id=None))
    assert "gepauzeerd tot en met maandag 30 november 2026" in _all_text(activities)
    assert (await bot.deps.admin.controls("kempen")).paused_until is not None


async def test_chooser_button_is_authorised_again(bot: Bot) -> None:
    """A member pressing a forwarded chooser button is refused in the button's answer alone, not as if it worked."""
    data = {"command": "pause", "args": "volgende week", "rkk": "kempen"}
    [reply] = await bot.send(card_action("choose_rkk", data, "a:personal", MEMBER, team_id=None))
    assert isinstance(reply.value, InvokeResponse)
    assert "Alleen coördinatoren" in reply.value.body.value and "→" not in reply.value.body.value
    assert (await bot.deps.admin.controls("kempen")).paused_until is None


async def test_ten_thousand_character_command_gets_a_short_answer(bot: Bot) -> None:
    """A 10,000-character message is refused as too long, not parsed."""
    assert "te lang voor een commando" in await bot.say("pauze tot " + "x" * 10_000)


async def test_other_tenants_are_refused(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """Activities from a tenant that is not served get a refusal and change nothing."""
    harness = Bot(store, texts, now, tenants=frozenset({"another-tenant"}))
    assert "alleen voor de organisatie" in _all_text(await harness.send(channel_message("post nu", COORDINATOR)))
    assert await store.list_rkks() == []


async def test_channel_chatter_without_a_mention_is_ignored(bot: Bot) -> None:
    """With RSC every channel message reaches the bot; one that does not @mention it gets no answer."""
    activity = channel_message("wie heeft er nog een laptoplader?", MEMBER)
    activity.text, activity.entities = "wie heeft er nog een laptoplader?", []
    assert await bot.send(activity) == []


async def test_uncertain_post_shows_decision_buttons_for_coordinators(bot: Bot, now: datetime) -> None:
    """A post that died inside the call to Teams shows as uncertain; a coordinator posts it anyway, a member may not."""
    pool = await bot.store.rotation_pool("kempen")
    round_ = await bot.store.claim_round_as(
        "kempen",
        "2026-W48",
        pool.bank[0],
        QuestionSource.BANK,
        "dead",
        now - timedelta(minutes=30),
        timedelta(minutes=5),
    )
    assert round_ is not None and await bot.store.start_sending(round_.id, "dead", now - timedelta(minutes=30))
    [reply] = await bot.send(channel_message("status", COORDINATOR))
    card = reply.attachments[0].content
    assert "onzeker" in strings(card)
    [post_anyway] = actions(card, "uncertain_post")
    [refused] = await bot.send(card_action("uncertain_post", post_anyway["data"], "a:x", MEMBER, team_id=None))
    assert "Alleen coördinatoren" in refused.value.body.value and bot.publisher.posted == []
    [done] = await bot.send(card_action("uncertain_post", post_anyway["data"], "a:x", COORDINATOR, team_id=None))
    assert "staat online" in done.value.body.value and len(bot.publisher.posted) == 1


async def test_the_eleventh_command_in_a_minute_gets_a_friendly_dutch_message(bot: Bot) -> None:
    """Ten commands a minute per member; the eleventh is told to wait, the twelfth gets no answer at all."""
    for _ in range(10):
        assert "Rustig aan" not in await bot.say("help", MEMBER)
    assert "Rustig aan" in await bot.say("help", MEMBER)
    assert await bot.send(channel_message("help", MEMBER)) == []
    assert "Rustig aan" not in await bot.say("help", COORDINATOR)  # others are not slowed down


async def test_card_answers_are_not_rate_limited(bot: Bot) -> None:
    """A member editing their answer twenty times in a minute is never refused."""
    await bot.say("post nu")
    for number in range(20):
        await _answer(bot, MEMBER, f"Versie {number}")
    [row] = await bot.store.export_rows()
    assert row.text == "Versie 19"


async def test_erasure_forgets_the_member_in_the_roster(bot: Bot) -> None:
    """After `verwijder mijn gegevens` the roster no longer remembers the member (the day-long cache)."""
    await bot.send(card_action("delete_confirm", {}, "a:personal", MEMBER, team_id=None))
    assert bot.deps.roster.forgotten == ["aad-an"]  # type: ignore[attr-defined]
