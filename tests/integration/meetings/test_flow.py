"""From rode draad to kennismoment through the card buttons, with the real store and the Bot Connector double."""

from __future__ import annotations

from typing import Any

from bot.commands.themes import ThemeActionDeps, ThemeActions
from cards.themes import themes_card
from config.rkk_config import ThemeRule
from i18n.catalog import Catalog
from rkk.access import Person
from rkk.crosspost import Decision, ThemeStatus, theme_overview
from rkk.meetings import MeetingState, sync_cards
from rkk.store.admin_store import AdminStore
from tests.card_text import actions, inputs_of, runs, strings
from tests.doubles.teams import card_action
from tests.integration.crosspost.conftest import COORDINATORS, UMBRELLA_TEAM, team_id
from tests.integration.meetings.conftest import AN, FORM, GLOBAL, JAN, KEMPEN_COORDINATOR, Kennis

CARD = "application/vnd.microsoft.card.adaptive"
MAGDA_RKKS = ("antwerpen", "kempen", "limburg")


async def plan(kennis: Kennis, **changes: object) -> Any:
    """Submit the planning form on MAGDA's card as the global coordinator."""
    data = {"themeId": kennis.theme_key, **FORM, **changes}
    return await kennis.press("meeting_plan", data, kennis.theme_conversation, GLOBAL)


async def test_plan_opens_a_form_prefilled_with_the_theme(kennis: Kennis) -> None:
    """The rode-draad card becomes the form for the presser: title from the label, a date ahead, the link field."""
    answer = await kennis.press("theme_plan", {"themeId": kennis.theme_key}, kennis.theme_conversation, GLOBAL)
    assert answer.type == CARD
    fields = inputs_of(answer.value)
    assert fields["title"] == "MAGDA documentendienst"
    assert fields["date"] == "2026-12-07" and fields["time"] == "14:00" and fields["minutes"] == "60"
    assert "link" in fields  # no Graph here: the coordinator pastes the Teams link
    assert [a["verb"] for a in actions(answer.value)] == ["meeting_plan", "meeting_plan_back"]


async def test_members_and_rkk_coordinators_cannot_plan(kennis: Kennis) -> None:
    """Only global coordinators: the others get a Dutch refusal and nothing is stored or posted."""
    threads = len(kennis.world.connector.threads)
    for who in (AN, KEMPEN_COORDINATOR):
        for verb in ("theme_plan", "meeting_plan"):
            answer = await kennis.press(verb, {"themeId": kennis.theme_key, **FORM}, kennis.theme_conversation, who)
            assert "Alleen de coördinatoren van RKK Overkoepelend" in answer.value
    assert len(kennis.world.connector.threads) == threads
    assert await kennis.ports.meetings.meetings_to_follow(kennis.world.now) == []


async def test_a_link_that_is_not_https_shows_the_form_again_in_dutch(kennis: Kennis) -> None:
    """The form comes back with the reason and what was typed; nothing is stored or announced."""
    answer = await plan(kennis, link="http://teams.microsoft.com/l/meetup-join/x")
    assert "De link moet met https:// beginnen." in strings(answer.value)
    assert inputs_of(answer.value)["title"] == FORM["title"]
    assert kennis.announcements() == {}
    assert await kennis.ports.meetings.meetings_to_follow(kennis.world.now) == []


async def test_a_plan_is_announced_in_every_rkk_and_in_the_crosspost_thread(kennis: Kennis) -> None:
    """One card per RKK that raised the theme, a card in the cross-post thread, the theme card says planned."""
    answer = await plan(kennis)
    assert answer.type == CARD
    assert "Kennismoment gepland: donderdag 3 december 2026 om 14:00" in strings(answer.value)
    assert "Aangekondigd in" in strings(answer.value)
    posted = kennis.announcements()
    assert sorted(posted) == sorted(team_id(k) for k in MAGDA_RKKS)
    card = posted[team_id("kempen")][1]
    text = strings(card)
    assert "donderdag 3 december 2026 van 14:00 tot 15:30 (Brusselse tijd)" in "\n".join(runs(card))
    assert "5 besturen uit 3 RKK's vroegen hiernaar" in "\n".join(runs(card))
    assert "Ik kom" in text and "Ik kom niet" in text
    [opened] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert opened["url"] == FORM["link"]
    replies = [
        c for c, a in kennis.world.connector.sent if a.attachments and "meeting_rsvp" in str(a.attachments[0].content)
    ]
    assert replies == [kennis.theme_conversation]
    theme = await kennis.world.themes.get_theme(kennis.theme_key)
    assert theme is not None and theme.status is ThemeStatus.PLANNED
    [entry] = await AdminStore(kennis.world.store.engine).audit_entries()
    assert (entry.action, entry.actor_id) == ("meeting_plan", "aad-global")


async def test_pressing_plan_twice_announces_once(kennis: Kennis) -> None:
    """A second submit is refused with the planned date; no second card anywhere."""
    await plan(kennis)
    again = await plan(kennis, date="2026-12-10")
    assert "staat al een kennismoment gepland" in again.value
    assert len(kennis.announcements()) == 3


async def test_two_members_come_and_every_card_shows_the_count(kennis: Kennis) -> None:
    """Each sees their own choice at once; after the redraw every card says 2 members of 2 besturen."""
    await plan(kennis)
    posted = kennis.announcements()
    meeting_id = actions(posted[team_id("kempen")][1], "meeting_rsvp")[0]["data"]["meetingId"]
    an = await kennis.press(
        "meeting_rsvp", {"meetingId": meeting_id, "going": True}, posted[team_id("kempen")][0], AN, team_id("kempen")
    )
    jan = await kennis.press(
        "meeting_rsvp",
        {"meetingId": meeting_id, "going": True},
        posted[team_id("antwerpen")][0],
        JAN,
        team_id("antwerpen"),
    )
    assert "Jij komt. Tot dan!" in strings(an.value) and "Genoteerd: je komt." in strings(an.value)
    assert "2 leden van 2 besturen komen." in strings(jan.value)
    assert [a["verb"] for a in actions(jan.value) if a["data"].get("going") is not None] == ["meeting_rsvp"]
    assert kennis.changed == [meeting_id, meeting_id]
    updated = await sync_cards(kennis.ports, meeting_id, kennis.world.now)
    assert updated == 4  # three RKK cards and the one in the cross-post thread
    for _, _, activity in kennis.world.connector.updates[-4:]:
        card = activity.attachments[0].content
        assert "2 leden van 2 besturen komen." in strings(card)
        assert set(card["refresh"]["userIds"]) == {"29:an", "29:jan"}


async def test_a_forged_answer_from_another_thread_stores_nothing(kennis: Kennis) -> None:
    """The meeting id sent from a card that is not its announcement is refused."""
    await plan(kennis)
    meeting_id = actions(next(iter(kennis.announcements().values()))[1], "meeting_rsvp")[0]["data"]["meetingId"]
    answer = await kennis.press(
        "meeting_rsvp", {"meetingId": meeting_id, "going": True}, f"{team_id('oost')};messageid=1", AN, team_id("oost")
    )
    assert "hoort niet bij deze kaart" in answer.value
    assert (await kennis.ports.meetings.attendance(meeting_id)).members == 0


async def test_a_member_cannot_cancel(kennis: Kennis) -> None:
    """The cancel button's verb pressed by a member is refused and the meeting stays."""
    await plan(kennis)
    thread, card = kennis.announcements()[team_id("kempen")]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    for verb in ("meeting_cancel", "meeting_cancel_confirm", "meeting_move"):
        answer = await kennis.press(verb, {"meetingId": meeting_id}, thread, AN, team_id("kempen"))
        assert "Alleen de coördinatoren" in answer.value
    meeting = await kennis.ports.meetings.get_meeting(meeting_id)
    assert meeting is not None and meeting.state is MeetingState.SCHEDULED


async def test_cancel_updates_every_card_and_the_crosspost(kennis: Kennis) -> None:
    """Confirmed by a coordinator: every announcement says cancelled, each thread gets a reply, plan is free again."""
    await plan(kennis)
    thread, card = kennis.announcements()[team_id("kempen")]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    confirm = await kennis.press("meeting_cancel", {"meetingId": meeting_id}, thread, GLOBAL, team_id("kempen"))
    assert "Dit kennismoment annuleren?" in strings(confirm.value)
    updates = len(kennis.world.connector.updates)
    done = await kennis.press("meeting_cancel_confirm", {"meetingId": meeting_id}, thread, GLOBAL, team_id("kempen"))
    assert "Geannuleerd: kennismoment" in strings(done.value)
    new = kennis.world.connector.updates[updates:]
    cancelled = [u for u in new if "Dit kennismoment gaat niet door." in strings(u[2].attachments[0].content)]
    assert len(cancelled) == 4  # three RKK cards and the cross-post thread's card
    theme_cards = [u for u in new if "theme_plan" in str(u[2].attachments[0].content)]
    assert len(theme_cards) == 1  # the rode-draad card offers "Plan een kennismoment" again
    replies = [a.text for _, a in kennis.world.connector.sent if a.text and "gaat niet door" in a.text]
    assert len(replies) == 4


async def test_the_planned_date_shows_in_themes_and_in_the_export(kennis: Kennis, texts: Catalog) -> None:
    """`thema's` says "kennismoment gepland op" the date; the export's theme columns say planned and when."""
    await plan(kennis)
    overview = await theme_overview(kennis.world.themes)
    card = themes_card(overview, ThemeRule(5, 2, 8), texts, "nl")
    assert "Rode draad: ja · kennismoment gepland op donderdag 3 december 2026 om 14:00" in strings(card)
    rows = [r for r in await kennis.world.store.export_rows() if r.theme == "MAGDA documentendienst"]
    assert len(rows) == 5
    assert {(r.theme_state, r.kennismoment) for r in rows} == {("planned", "2026-12-03T13:00:00+00:00")}


async def test_a_planned_theme_is_not_dismissed_until_its_meeting_is_cancelled(kennis: Kennis) -> None:
    """The card hides "Geen rode draad"; a forged press is refused and the plan stands."""
    planned = await plan(kennis)
    assert [a["verb"] for a in actions(planned.value)] == ["theme_rename"]  # renaming stays possible
    activity = card_action(
        "theme_dismiss", {"themeId": kennis.theme_key}, kennis.theme_conversation, GLOBAL, UMBRELLA_TEAM
    )
    deps = ThemeActionDeps(
        kennis.world.themes,
        kennis.world.publisher,
        kennis.world.texts,
        COORDINATORS,
        lambda: kennis.world.now,
        "RKK Overkoepelend",
        "Rode draden",
    )
    answer = await ThemeActions(deps).on_action(
        activity, "theme_dismiss", {"themeId": kennis.theme_key}, Person("aad-global", None), "nl"
    )
    assert "Annuleer dat eerst op zijn kaart" in answer.value
    decision = await kennis.world.themes.last_decision(kennis.theme_key)
    assert decision is not None and decision.decision is Decision.PLAN


async def test_a_forged_answer_that_is_not_yes_or_no_stores_nothing(kennis: Kennis) -> None:
    """`going` must be true or false: "ja", 1 or nothing is refused."""
    await plan(kennis)
    thread, card = kennis.announcements()[team_id("kempen")]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    for forged in ("ja", 1, None):
        answer = await kennis.press(
            "meeting_rsvp", {"meetingId": meeting_id, "going": forged}, thread, AN, team_id("kempen")
        )
        assert "hoort niet bij deze kaart" in answer.value
    assert (await kennis.ports.meetings.attendance(meeting_id)).members == 0
