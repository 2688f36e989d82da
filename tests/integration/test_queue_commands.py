"""`vraag toevoegen`, `wachtrij` and the queue card's buttons, authorised on the server."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from botbuilder.core import InvokeResponse

from i18n.catalog import Catalog
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import actions, runs
from tests.doubles.teams import card_action, channel_message, installed
from tests.integration.test_commands import COORDINATOR, GLOBAL, MEMBER, Bot

QUESTION = "Hoe organiseren jullie de opvolging van **MAGDA**-machtigingen? Zie [hier](https://evil.example)"


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> Bot:
    """Installed in Kempen with a one-question bank."""
    await store.sync_question_bank((("bank-1", "Welke back-upsoftware gebruiken jullie en waarom?"),))
    harness = Bot(store, texts, now)
    await harness.send(installed())
    return harness


async def _invoke(bot: Bot, verb: str, data: dict[str, Any], sender: Any = COORDINATOR) -> Any:
    [reply] = await bot.send(card_action(verb, data, "19:kempen-general@thread.tacv2;messageid=5", sender))
    assert isinstance(reply.value, InvokeResponse)
    return reply.value.body.value


async def test_added_question_is_queued_and_shown_literally(bot: Bot) -> None:
    """A coordinator's question lands in the RKK's queue; its markup stays literal text."""
    [reply] = await bot.send(_message(f"vraag toevoegen {QUESTION}"))
    card = reply.attachments[0].content
    assert "Vraag toegevoegd aan de wachtrij van RKK Kempen (plaats 1)" in card["body"][0]["text"]
    assert QUESTION in runs(card)
    assert [q.text for q in await bot.store.queued_questions("kempen")] == [QUESTION]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vraag toevoegen", "Welke vraag?"),
        ("vraag toevoegen Waarom?", "te kort"),
        ("vraag toevoegen " + "Waarom " * 100, "te lang"),
        (
            "vraag toevoegen welke BACK-UPSOFTWARE gebruiken jullie, en waarom",
            "staat al in de wachtrij of de vragenbank",
        ),
    ],
)
async def test_bad_questions_are_refused_with_the_reason(bot: Bot, text: str, expected: str) -> None:
    """Empty, too short, too long or duplicate questions are refused and nothing is queued."""
    assert expected in await bot.say(text)
    assert await bot.store.queued_questions("kempen") == []


async def test_shared_queue_is_for_global_coordinators(bot: Bot) -> None:
    """Only a global coordinator can queue a question for all RKKs."""
    assert "Alleen globale coördinatoren" in await bot.say(f"vraag toevoegen {QUESTION} voor alle rkk's")
    await bot.say(f"add question kempen {QUESTION} voor alle RKK's", GLOBAL, team=False)
    assert [q.text for q in await bot.store.queued_questions(None)] == [QUESTION]


async def test_queue_card_lists_questions_with_buttons_for_coordinators(bot: Bot) -> None:
    """`wachtrij` shows the queue; a member may not open it."""
    await bot.say(f"vraag toevoegen {QUESTION}")
    [reply] = await bot.send(_message("wachtrij"))
    card = reply.attachments[0].content
    verbs = [a["verb"] for a in actions(card)]
    assert verbs == ["queue_up", "queue_remove", "queue_post"] and QUESTION in runs(card)
    assert "Alleen coördinatoren" in await bot.say("queue", MEMBER)


async def test_remove_button_takes_the_question_out(bot: Bot) -> None:
    """Pressing Verwijderen removes the question and shows the updated queue."""
    await bot.say(f"vraag toevoegen {QUESTION}")
    [question] = await bot.store.queued_questions("kempen")
    card = await _invoke(bot, "queue_remove", {"questionId": question.id, "rkk": "kempen"})
    assert "Vraag verwijderd uit de wachtrij." in card["body"][0]["text"]
    assert await bot.store.queued_questions("kempen") == []


async def test_post_button_posts_that_question_now(bot: Bot) -> None:
    """Pressing Nu posten posts the queued question as this week's question."""
    await bot.say(f"vraag toevoegen {QUESTION}")
    await bot.say("vraag toevoegen Hoe testen jullie het herstel van back-ups in de praktijk?")
    second = (await bot.store.queued_questions("kempen"))[1]
    assert "staat online" in await _invoke(bot, "queue_post", {"questionId": second.id, "rkk": "kempen"})
    [(_, round_)] = bot.publisher.posted
    assert round_.question_text == second.text


async def test_forwarded_queue_card_cannot_be_used_by_a_member(bot: Bot) -> None:
    """A member pressing a queue button (a forwarded card) is refused; the queue is unchanged."""
    await bot.say(f"vraag toevoegen {QUESTION}")
    [question] = await bot.store.queued_questions("kempen")
    assert "Alleen coördinatoren" in await _invoke(
        bot, "queue_remove", {"questionId": question.id, "rkk": "kempen"}, MEMBER
    )
    assert len(await bot.store.queued_questions("kempen")) == 1


async def test_forged_data_for_another_rkks_queue_is_refused(bot: Bot) -> None:
    """A Kempen coordinator cannot remove a question from another RKK's queue by editing the card data."""
    await bot.store.upsert_rkk("antwerpen", "RKK Antwerpen", None, None)
    other = await bot.store.enqueue_question("antwerpen", "Een vraag die alleen Antwerpen aangaat, graag?", "x")
    assert "Alleen coördinatoren" in await _invoke(bot, "queue_remove", {"questionId": other.id, "rkk": "kempen"})
    assert len(await bot.store.queued_questions("antwerpen")) == 1
    assert "ken ik niet" in await _invoke(bot, "queue_remove", {"questionId": "1; drop table", "rkk": "kempen"})


@pytest.mark.parametrize("question_id", [987654, "old"])
async def test_member_pressing_a_made_up_or_old_queue_button_sees_no_queue(bot: Bot, question_id: object) -> None:
    """A member's forged or stale queue button is refused before anything is read: no queue card, no question."""
    await bot.say(f"vraag toevoegen {QUESTION}")
    [question] = await bot.store.queued_questions("kempen")
    if question_id == "old":
        await _invoke(bot, "queue_remove", {"questionId": question.id, "rkk": "kempen"})  # the card is now stale
        await bot.say("vraag toevoegen Wie beheert bij jullie de certificaten van de servers?")
        question_id = question.id
    answer = await _invoke(bot, "queue_up", {"questionId": question_id, "rkk": "kempen"}, MEMBER)
    assert isinstance(answer, str) and "Alleen coördinatoren" in answer
    assert "Kempen" not in answer and "certificaten" not in answer and "MAGDA" not in answer


async def test_refusal_names_no_rkk_for_a_made_up_key(bot: Bot) -> None:
    """A button naming an RKK that does not exist is refused like any other: nothing about RKKs is shown."""
    answer = await _invoke(bot, "queue_up", {"questionId": 1, "rkk": "geheim"}, COORDINATOR)
    assert answer == "Alleen coördinatoren kunnen **wachtrij** gebruiken. Vraag het aan de coördinator van je RKK."


def _message(text: str) -> Any:
    return channel_message(text, COORDINATOR)
