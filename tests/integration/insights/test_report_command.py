"""`rapport` through botbuilder's TestAdapter with a real store: who sees which RKKs, periods, refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from botbuilder.schema import Activity

from i18n.catalog import Catalog
from rkk.model import Member
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import elements, runs, strings
from tests.doubles.rounds import posted_round
from tests.doubles.teams import TEAM_ID, channel_message, installed
from tests.integration.test_commands import BANK, COORDINATOR, GLOBAL, MEMBER, Bot


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> Bot:
    """Installed in Kempen; Gemeente Brasschaat answered twice in W47 and once in W48, Stad Turnhout in W30."""
    await store.sync_question_bank(BANK)
    harness = Bot(store, texts, now)
    await harness.send(installed())
    seeded = [("2026-W30", "Stad Turnhout"), *[("2026-W47", "Gemeente Brasschaat")] * 2]
    for number, (week, bestuur) in enumerate([*seeded, ("2026-W48", "Gemeente Brasschaat")]):
        round_ = await store.round_for_week("kempen", week) or await posted_round(
            store, "kempen", week, now, TEAM_ID, f"m-{week}"
        )
        member = Member(f"aad-lid-{number}", f"Lid Nummer {number}", None, bestuur)
        await store.save_card_answer(round_.id, member, "Wij gebruiken MAGDA.", now)
    return harness


async def reply_to(bot: Bot, text: str, sender: Any = COORDINATOR, team: bool = True) -> Activity:
    """The one activity the bot answers a typed command with."""
    [reply] = await bot.send(channel_message(text, sender, team_id=TEAM_ID if team else None))
    return reply


def card(reply: Activity) -> dict[str, Any]:
    """The Adaptive Card in a reply."""
    [attachment] = reply.attachments
    content: dict[str, Any] = attachment.content
    return content


def chart(content: dict[str, Any], kind: str) -> dict[str, Any]:
    """The first chart of one type on a card."""
    return next(element for element in elements(content) if element.get("type") == kind)


async def test_coordinator_gets_the_rkks_card_with_charts(bot: Bot) -> None:
    """In the Kempen team its coordinator gets a card for Kempen: 12 weeks of answers and besturen."""
    content = card(await reply_to(bot, "rapport"))
    assert "Rapport: RKK Kempen" in strings(content)
    line = chart(content, "Chart.Line")
    answers, besturen = line["data"]
    assert [point["y"] for point in answers["values"]][-2:] == [2, 1]
    assert [point["y"] for point in besturen["values"]][-2:] == [1, 1]
    assert len(answers["values"]) == 12


async def test_silent_besturen_come_from_the_roster_and_from_earlier_answers(bot: Bot) -> None:
    """Besturen present in the team or that answered before, but not in the last 8 weeks, are named."""
    content = card(await reply_to(bot, "rapport"))
    assert [item["value"] for item in chart(content, "Chart.Donut")["data"]] == [1, 3]
    silent = "\n".join(runs(content))
    assert all(name in silent for name in ("OCMW Diepenbeek", "Stad Hoogstraten", "Stad Turnhout"))


async def test_no_member_name_is_on_the_card(bot: Bot) -> None:
    """Besturen are organisations: the card never shows who answered."""
    text = strings(card(await reply_to(bot, "rapport"))) + "\n".join(runs(card(await reply_to(bot, "rapport"))))
    assert "Lid Nummer" not in text and "An Peeters" not in text


async def test_a_year_is_shown_per_month(bot: Bot) -> None:
    """`rapport 2026` covers 1 January up to today, per month."""
    content = card(await reply_to(bot, "rapport 2026"))
    assert "1 januari 2026 tot en met 23 november 2026" in strings(content)
    assert "Deelname per maand" in strings(content)
    assert len(chart(content, "Chart.Line")["data"][0]["values"]) == 11


async def test_an_unreadable_period_is_explained(bot: Bot) -> None:
    """`rapport ergens in de lente` answers with examples of periods, and no card."""
    reply = await reply_to(bot, "rapport ergens in de lente")
    assert not reply.attachments
    assert "Die periode begrijp ik niet" in (reply.text or "")


async def test_a_member_is_refused(bot: Bot) -> None:
    """Someone who coordinates nothing gets a refusal instead of numbers."""
    reply = await reply_to(bot, "rapport", sender=MEMBER)
    assert not reply.attachments
    assert "coördinator" in (reply.text or "").lower()


async def test_global_coordinator_in_a_personal_chat_sees_every_rkk(bot: Bot) -> None:
    """A global coordinator outside a team gets the card for all RKKs."""
    content = card(await reply_to(bot, "report since 1 september", sender=GLOBAL, team=False))
    assert "Rapport: alle RKK's" in strings(content)
    assert "1 september 2026" in strings(content)


async def test_a_leading_rkk_key_chooses_that_rkk(bot: Bot) -> None:
    """`rapport kempen 2026` in a personal chat covers Kempen over 2026."""
    content = card(await reply_to(bot, "rapport kempen 2026", team=False))
    assert "Rapport: RKK Kempen" in strings(content)
    assert "Deelname per maand" in strings(content)
