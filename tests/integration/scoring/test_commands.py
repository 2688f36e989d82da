"""The scoring round in Teams through botbuilder's TestAdapter: commands, ballot buttons and every refusal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from i18n.catalog import Catalog
from rkk.scoring import PostKey, PostKind, StartRequest, start_scoring
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import actions, elements, strings
from tests.doubles.teams import TEAM_ID
from tests.integration.scoring.conftest import COORDINATOR
from tests.integration.scoring.harness import (
    AN,
    BART,
    CIS,
    GLOBAL,
    KEMPEN_COORDINATOR,
    UMBRELLA_CHANNEL,
    UMBRELLA_TEAM,
    XAVIER,
    ScoringBot,
    text_of,
)

MESSAGE = "application/vnd.microsoft.activity.message"


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> ScoringBot:
    """Installed in Kempen and RKK Overkoepelend with rode draden stored."""
    harness = ScoringBot(store, texts, now)
    await harness.setup()
    return harness


async def topic_ids(bot: ScoringBot) -> list[int]:
    """The ids of the open round's topics, in ballot order."""
    round_ = await bot.scoring_store.open_round()
    assert round_ is not None
    return [t.id for t in round_.topics]


async def test_the_setup_card_lists_the_live_rode_draden_and_the_rkks(bot: ScoringBot) -> None:
    """Dismissed themes and themes that are no rode draad are left out; the deadline defaults to two weeks."""
    [reply] = await bot.say("scoor rode draden")
    card = reply.attachments[0].content
    toggles = [e["title"] for e in elements(card) if e.get("type") == "Input.Toggle" and e["id"].startswith("t")]
    assert toggles == ["Phishing oefeningen", "MAGDA documentendienst", "Digitaal archiefbeheer"]
    assert next(e["value"] for e in elements(card) if e.get("id") == "deadlineDate") == "2026-12-07"
    assert [c["value"] for e in elements(card) if e.get("id") == "audience" for c in e["choices"]] == ["kempen"]


async def test_starting_posts_the_ballot_and_audits(bot: ScoringBot) -> None:
    """The start button opens round 1, Kempen's ballot is posted, the audit log says who."""
    await bot.start()
    [(target, activity)] = bot.connector.threads
    assert target.channel_id == TEAM_ID
    assert "Scoor de rode draden" in strings(activity.attachments[0].content)
    [entry] = await bot.admin.audit_entries()
    assert (entry.action, entry.actor_id, entry.actor_name) == ("scoring_start", "aad-global", "Griet Globaal")


@pytest.mark.parametrize(
    ("sender", "expected"),
    [(AN, "Alleen coördinatoren"), (KEMPEN_COORDINATOR, "Alleen globale coördinatoren")],
)
async def test_only_global_coordinators_may_start(bot: ScoringBot, sender: Any, expected: str) -> None:
    """A member and an RKK's own coordinator are refused; no card, nothing stored."""
    assert expected in text_of(await bot.say("scoor rode draden", sender))
    assert await bot.scoring_store.latest_round() is None


async def test_starting_is_refused_in_an_rkk_channel(bot: ScoringBot) -> None:
    """In Kempen's channel the coordinator is told to use a personal chat or RKK Overkoepelend."""
    assert "persoonlijke chat" in text_of(await bot.say("scoor rode draden", GLOBAL, team=TEAM_ID))
    [reply] = await bot.say("score themes", GLOBAL, team=UMBRELLA_TEAM)
    assert reply.attachments and "Nieuwe scoreronde" in strings(reply.attachments[0].content)


async def test_a_forged_start_by_a_member_stores_nothing(bot: ScoringBot) -> None:
    """The start button pressed (or forged) by a member is refused on the server."""
    data = {
        "themes": ["t-magda"],
        "t0": "true",
        "deadlineDate": "2026-12-07",
        "deadlineTime": "17:00",
        "audience": "kempen",
    }
    body = await bot.press("scoring_start", data, "a:personal", AN, None)
    assert "Alleen globale coördinatoren" in body.value
    assert await bot.scoring_store.latest_round() is None and bot.connector.threads == []


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"themes": ["t-nee"], "t0": "true"}, "bestaat niet meer"),  # dismissed: not a current rode draad
        ({"themes": "t-magda"}, "bestaat niet meer"),
        ({"t0": "false", "t1": "false", "t2": "false"}, "minstens één rode draad"),
        ({"deadlineDate": "2026-11-20"}, "minstens een uur in de toekomst"),
        ({"deadlineDate": "gisteren"}, "Die deadline begrijp ik niet"),
        ({"audience": "kempen,nergens"}, "De RKK 'nergens' ken ik niet"),
        ({"audience": ""}, "kies minstens één RKK"),
        ({"m0label": "x" * 121}, "hoogstens 120 tekens"),
    ],
)
async def test_bad_setup_input_is_refused_with_a_reason(bot: ScoringBot, inputs: dict[str, Any], expected: str) -> None:
    """Each broken or forged setup value gets its own Dutch message and stores nothing."""
    data = {"themes": ["t-phish", "t-magda", "t-archief"], "t0": "true", "t1": "true", "t2": "true"}
    data |= {"deadlineDate": "2026-12-07", "deadlineTime": "17:00", "audience": "kempen"} | inputs
    body = await bot.press("scoring_start", data, "a:personal", GLOBAL, None)
    assert body.type == MESSAGE and expected in body.value
    assert await bot.scoring_store.latest_round() is None


async def test_a_second_start_says_which_round_is_open(bot: ScoringBot) -> None:
    """One round at a time: the reply names who started the open one and until when."""
    await bot.start()
    reply = text_of(await bot.say("scoor rode draden"))
    assert "Er loopt al een scoreronde, gestart door Griet Globaal op maandag 23 november 2026" in reply
    assert "tot maandag 7 december 2026 om 17:00" in reply


async def test_a_later_member_of_the_same_bestuur_replaces_the_scores_and_both_see_it(bot: ScoringBot) -> None:
    """An scores, Bart (same bestuur) replaces them; An's refreshed card shows Bart's scores, by whom and when."""
    await bot.start()
    first, second, third = await topic_ids(bot)
    saved = await bot.score(AN, {f"s{first}": "8", f"s{second}": "3", f"s{third}": "-"})
    assert "De scores van Gemeente Brasschaat zijn bewaard" in strings(saved.value)
    bot.later(1 / 24)
    replaced = await bot.score(BART, {f"s{first}": "10", f"s{second}": "-", f"s{third}": "6"})
    assert "vervangen die van An Peeters (maandag 23 november 2026 om 10:00)" in strings(replaced.value)
    seen_by_an = await bot.score(AN, {}, verb="score_refresh")
    text = strings(seen_by_an.value)
    assert "ingediend door Bart Claes op maandag 23 november 2026 om 11:00" in text
    assert "Niet gescoord door Gemeente Brasschaat" in text
    values = {e["id"]: e.get("value") for e in elements(seen_by_an.value) if e.get("type") == "Input.ChoiceSet"}
    assert values == {f"s{first}": "10", f"s{second}": "-", f"s{third}": "6"}
    [counted] = await bot.scoring_store.score_sets(1)
    assert counted.member_name == "Bart Claes"


async def test_the_base_card_is_refreshed_for_the_members_who_acted(bot: ScoringBot) -> None:
    """After each submission the ballot is updated: its count, and refresh.userIds with the submitters."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    await bot.score(AN, {f"s{first}": "8"})
    await bot.score(CIS, {f"s{first}": "2"})
    card = bot.connector.updates[-1][2].attachments[0].content
    assert sorted(card["refresh"]["userIds"]) == ["29:an", "29:cis"]
    assert "2 van de 2 besturen die we in deze RKK kennen, gaven al scores." in strings(card)
    assert "An Peeters" not in strings(card)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"first": "11"}, "geheel getal van 0 tot 10"),
        ({"first": "-1"}, "geheel getal van 0 tot 10"),
        ({"first": "7.5"}, "geheel getal van 0 tot 10"),
        ({"first": "acht"}, "geheel getal van 0 tot 10"),
        ({"first": "-"}, "Je gaf geen enkele score"),
        ({}, "Je gaf geen enkele score"),
    ],
)
async def test_bad_scores_are_refused_and_nothing_is_stored(
    bot: ScoringBot, values: dict[str, str], expected: str
) -> None:
    """A score outside 0-10 or no score at all: the card says why, keeps what was typed, stores nothing."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    body = await bot.score(AN, {f"s{first}": v for v in values.values()})
    assert expected in strings(body.value)
    assert await bot.scoring_store.score_sets(1) == []


@pytest.mark.parametrize(
    "forged",
    [
        {"scoringId": 999},
        {"scoringId": "1"},
        {"rkk": "limburg"},
        {"rkk": None},
        {"s999999": "8"},
    ],
)
async def test_forged_card_data_is_refused_and_nothing_is_stored(bot: ScoringBot, forged: dict[str, Any]) -> None:
    """Another round, another RKK or a topic of no round: "hoort niet bij dit stembiljet"."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    body = await bot.score(AN, {f"s{first}": "8"} | forged)
    assert body.type == MESSAGE and "hoort niet bij dit stembiljet" in body.value
    assert await bot.scoring_store.score_sets(1) == []


async def test_a_ballot_button_pressed_in_another_thread_is_refused(bot: ScoringBot) -> None:
    """The same data from a card forwarded elsewhere changes nothing."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    data = {"scoringId": 1, "rkk": "kempen", f"s{first}": "8"}
    body = await bot.press("score_submit", data, f"{TEAM_ID};messageid=42", AN, TEAM_ID)
    assert "hoort niet bij dit stembiljet" in body.value
    assert await bot.scoring_store.score_sets(1) == []


async def test_a_member_whose_bestuur_is_unknown_is_told_how_to_get_it_set(bot: ScoringBot) -> None:
    """No mapped mail domain: the card explains the `domains` setting; the member is not counted."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    body = await bot.score(XAVIER, {f"s{first}": "8"})
    text = strings(body.value)
    assert "We weten niet bij welk bestuur je hoort" in text and "`domains`" in text
    assert not actions(body.value, "score_submit")
    assert await bot.scoring_store.score_sets(1) == []


async def test_status_shows_each_rkk_with_besturen_scored(bot: ScoringBot) -> None:
    """`scoring status`: the round, the ballot's phase and how many known besturen scored."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    await bot.score(AN, {f"s{first}": "8"})
    text = text_of(await bot.say("scoring status"))
    assert "Scoreronde 1: stand" in text and "1 besturen gaven scores" in text
    assert "Stembiljet: gepost · 1 van 1 besturen scoorden" in text


async def test_closing_asks_first_then_closes_posts_results_and_refuses_later_scores(bot: ScoringBot) -> None:
    """Confirm, close (audited), results in RKK Overkoepelend; a later submission gets the link."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    await bot.score(AN, {f"s{first}": "8"})
    [confirm] = await bot.say("scoring sluiten")
    button = actions(confirm.attachments[0].content, "scoring_close_confirm")[0]
    assert button["data"] == {"scoringId": 1}
    body = await bot.press("scoring_close_confirm", button["data"], "a:personal", GLOBAL, None)
    assert "Scoreronde 1 is afgesloten" in body.value
    assert any(t.channel_id == UMBRELLA_CHANNEL for t, _ in bot.connector.threads)
    assert [e.action for e in await bot.admin.audit_entries()] == ["scoring_close", "scoring_start"]
    late = await bot.score(BART, {f"s{first}": "2"})
    assert "afgesloten" in late.value and "https://teams.microsoft.com/l/message/" in late.value
    [counted] = await bot.scoring_store.score_sets(1)
    assert counted.member_name == "An Peeters"


async def test_an_old_close_confirmation_closes_nothing(bot: ScoringBot) -> None:
    """A confirmation card of an earlier round is refused when another round is open."""
    await bot.start()
    body = await bot.press("scoring_close_confirm", {"scoringId": 7}, "a:personal", GLOBAL, None)
    assert "hoort niet bij" in body.value
    assert await bot.scoring_store.open_round() is not None


async def test_a_member_cannot_close_with_a_forged_confirmation(bot: ScoringBot) -> None:
    """The confirm button is authorised again on the server."""
    await bot.start()
    body = await bot.press("scoring_close_confirm", {"scoringId": 1}, "a:personal", AN, None)
    assert "Alleen globale coördinatoren" in body.value
    assert await bot.scoring_store.open_round() is not None


async def test_extending_moves_the_deadline_and_updates_the_ballot(bot: ScoringBot) -> None:
    """`scoring verlengen 14 december`: new deadline at 17:00, audited, the ballot shows it."""
    await bot.start()
    assert "is nu maandag 14 december 2026 om 17:00" in text_of(await bot.say("scoring verlengen 14 december"))
    card = bot.connector.updates[-1][2].attachments[0].content
    assert "maandag 14 december 2026 om 17:00" in strings(card)
    assert next(e.action for e in await bot.admin.audit_entries()) == "scoring_extend"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scoring verlengen", "Tot wanneer?"),
        ("scoring verlengen ergens", "Die deadline begrijp ik niet"),
        ("scoring verlengen 1 december", "moet later vallen dan de huidige"),
    ],
)
async def test_a_bad_extension_changes_nothing(bot: ScoringBot, text: str, expected: str) -> None:
    """Missing, unreadable or earlier dates are refused in Dutch."""
    await bot.start()
    assert expected in text_of(await bot.say(text))
    round_ = await bot.scoring_store.open_round()
    assert round_ is not None and round_.deadline.isoformat() == "2026-12-07T16:00:00+00:00"


async def test_results_show_the_interim_numbers_to_coordinators(bot: ScoringBot) -> None:
    """`scoring resultaten` during the round: the interim card with the ranking table."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    await bot.score(AN, {f"s{first}": "9"})
    text = text_of(await bot.say("scoring resultaten"))
    assert "Tussenstand" in text and "Resultaten van de scoreronde" in text


async def test_help_lists_the_scoring_commands_for_coordinators_only(bot: ScoringBot) -> None:
    """The help card shows `scoor rode draden` to a coordinator and not to a member."""
    assert "scoor rode draden" in text_of(await bot.say("help", GLOBAL))
    assert "scoor rode draden" not in text_of(await bot.say("help", AN))


async def test_deleting_my_data_removes_my_name_but_keeps_my_bestuurs_scores(bot: ScoringBot) -> None:
    """`verwijder mijn gegevens`: the submission no longer names the member; the bestuur's set still counts."""
    await bot.start()
    [first, *_] = await topic_ids(bot)
    await bot.score(AN, {f"s{first}": "8"})
    await bot.press("delete_confirm", {}, "a:personal", AN, None)
    [counted] = await bot.scoring_store.score_sets(1)
    assert (counted.bestuur, dict(counted.scores)[first]) == ("Gemeente Brasschaat", 8)
    assert counted.member_name.startswith("pseudoniem-") and AN.name not in counted.member_name
    assert await bot.scoring_store.viewers(1, "kempen", 60) == []


async def test_an_uncertain_ballot_is_posted_again_only_when_a_coordinator_says_so(bot: ScoringBot) -> None:
    """A ballot lost inside the call shows as onzeker with a button; a member may not press it, a coordinator may."""
    key = PostKey(1, PostKind.BALLOT, "kempen")
    request = StartRequest(("t-magda",), audience=("kempen",))
    await start_scoring(bot.scoring, request, COORDINATOR, bot.now)
    lease = timedelta(minutes=5)
    assert await bot.scoring_store.claim_post(key, "dead", bot.now, lease)
    assert await bot.scoring_store.start_sending(key, "dead", bot.now)
    bot.later(1 / 24)
    await bot.job.step()  # flags it uncertain, posts nothing
    [status] = await bot.say("scoring status")
    [button] = actions(status.attachments[0].content, "scoring_repost")
    refused = await bot.press("scoring_repost", button["data"], "a:personal", AN, None)
    assert "Alleen coördinatoren" in refused.value and bot.connector.threads == []
    done = await bot.press("scoring_repost", button["data"], "a:personal", KEMPEN_COORDINATOR, None)
    assert "wordt opnieuw gepost" in done.value
    assert [t.channel_id for t, _ in bot.connector.threads] == [TEAM_ID]
    again = await bot.press("scoring_repost", button["data"], "a:personal", KEMPEN_COORDINATOR, None)
    assert "niet (meer) onzeker" in again.value and len(bot.connector.threads) == 1
    assert (await bot.admin.audit_entries())[0].action == "scoring_repost"
