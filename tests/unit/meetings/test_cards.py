"""The announcement card and the planning form: views per viewer, literal text, safe links, Dutch and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.outbound.meeting_publisher import TeamsMeetingPublisher
from cards.meetings import FormSpec, FormValues, form_card, meeting_card, move_spec
from i18n.catalog import Catalog
from rkk.meetings import MeetingState, Viewer
from rkk.ports import Posted
from rkk.rounds.weeks import BRUSSELS
from tests.card_text import actions, elements, inputs_of, runs, strings
from tests.unit.crosspost.doubles import FakeConnector
from tests.unit.meetings.fakes import NOW, rkk, sample_view


def verbs(card: dict[str, object]) -> list[tuple[str, object]]:
    """(verb, going) of the card's buttons."""
    buttons = [a for a in card.get("actions", []) if a["type"] == "Action.Execute"]  # type: ignore[attr-defined]
    buttons += [a for a in actions(card.get("body")) if a["verb"] == "meeting_cancel_confirm"]
    return [(a["verb"], a["data"].get("going")) for a in buttons]


def test_typed_text_only_goes_into_text_runs(texts: Catalog) -> None:
    """Title, description and speaker stay literal: no Markdown, links, mentions or template functions."""
    card = meeting_card(sample_view(), texts, "nl", BRUSSELS)
    blocks = [e["text"] for e in elements(card) if e.get("type") == "TextBlock"]
    assert not any("MAGDA" in b or "evil" in b or "Prof" in b for b in blocks)
    assert "**MAGDA** in de praktijk {\u200b{DATE(2026-01-01)}\u200b}" in runs(card)


def test_everyones_view_offers_both_answers_and_the_join_link(texts: Catalog) -> None:
    """Ik kom, Ik kom niet, Deelnemen; no coordinator buttons; the card refreshes for the members who answered."""
    card = meeting_card(sample_view(), texts, "nl", BRUSSELS)
    assert verbs(card) == [("meeting_rsvp", True), ("meeting_rsvp", False)]
    [join] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert join["url"].startswith("https://teams.microsoft.com/") and join["title"] == "Deelnemen"
    assert card["refresh"] == {
        "action": {"type": "Action.Execute", "verb": "meeting_refresh", "data": {"meetingId": 7}},
        "userIds": ["29:an", "29:jan"],
    }
    assert "3 leden van 2 besturen komen." in strings(card)
    assert "donderdag 3 december 2026 van 14:00 tot 15:30 (Brusselse tijd)" in runs(card)


def test_a_member_who_comes_sees_it_and_can_change_their_mind(texts: Catalog) -> None:
    """Their own choice, and only the other button."""
    card = meeting_card(sample_view(viewer=Viewer(True, False)), texts, "nl", BRUSSELS)
    assert "Jij komt. Tot dan!" in strings(card)
    assert verbs(card) == [("meeting_rsvp", False)]


def test_a_coordinator_also_sees_move_and_cancel(texts: Catalog) -> None:
    """Verplaatsen and Annuleren are in the coordinator's own view only."""
    card = meeting_card(sample_view(viewer=Viewer(None, True)), texts, "nl", BRUSSELS)
    assert [v for v, _ in verbs(card)] == ["meeting_rsvp", "meeting_rsvp", "meeting_move", "meeting_cancel"]


def test_the_cancel_question_has_its_own_buttons(texts: Catalog) -> None:
    """Ja, annuleren (destructive) and Nee, behouden; the manage buttons step aside."""
    card = meeting_card(sample_view(viewer=Viewer(None, True)), texts, "nl", BRUSSELS, confirm_cancel=True)
    assert "meeting_cancel_confirm" in [v for v, _ in verbs(card)] and "meeting_move" not in [v for v, _ in verbs(card)]
    assert "Dit kennismoment annuleren?" in strings(card)


def test_a_cancelled_meeting_has_no_buttons_and_no_refresh(texts: Catalog) -> None:
    """Everyone reads that it does not take place; nothing to press, no count."""
    card = meeting_card(sample_view(state=MeetingState.CANCELLED), texts, "nl", BRUSSELS)
    assert "actions" not in card and "refresh" not in card
    assert "Geannuleerd: kennismoment" in strings(card) and "komen" not in strings(card)


def test_a_meeting_under_way_takes_no_more_answers_but_can_be_joined(texts: Catalog) -> None:
    """After the start: no answer buttons, the join button stays, a line says it is under way."""
    card = meeting_card(sample_view(now=datetime(2026, 12, 3, 13, 5, tzinfo=UTC)), texts, "nl", BRUSSELS)
    assert verbs(card) == [] and "Dit kennismoment is bezig." in strings(card)
    assert [a["type"] for a in card["actions"]] == ["Action.OpenUrl"]


def test_a_meeting_that_is_over_has_no_buttons(texts: Catalog) -> None:
    """After the end: nothing to press, no refresh."""
    card = meeting_card(sample_view(now=datetime(2026, 12, 3, 15, 0, tzinfo=UTC)), texts, "nl", BRUSSELS)
    assert "actions" not in card and "refresh" not in card and "Dit kennismoment is voorbij." in strings(card)


def test_on_site_shows_the_location_and_no_link(texts: Catalog) -> None:
    """Where: the location typed; no Teams button."""
    card = meeting_card(sample_view(mode="onsite"), texts, "nl", BRUSSELS)
    assert "Provinciehuis Antwerpen" in runs(card)
    assert not [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]


def test_without_answers_yet_the_card_still_refreshes_for_everyone(texts: Catalog) -> None:
    """No userIds: Teams refreshes every viewer in channels up to 60 people."""
    card = meeting_card(sample_view(members=0, refresh=()), texts, "nl", BRUSSELS)
    assert "userIds" not in card["refresh"] and "Nog niemand meldde zich aan." in strings(card)


def test_the_card_speaks_english_to_english_teams(texts: Catalog) -> None:
    """Buttons and lines in English."""
    card = meeting_card(sample_view(), texts, "en", BRUSSELS)
    assert "I'm coming" in strings(card) and "3 members from 2 local governments are coming." in strings(card)


def test_the_planning_form_asks_every_field_and_the_link_without_graph(texts: Catalog) -> None:
    """Title, date (not before today), time, duration, description, mode, location, speaker, link."""
    values = FormValues(title="MAGDA", date="2026-12-07")
    data = {"themeId": "t-1"}
    spec = FormSpec("Rode draad: MAGDA", values, ("meeting_plan", data), ("meeting_plan_back", data), ask_link=True)
    card = form_card(spec, texts, "nl", NOW, BRUSSELS)
    fields = inputs_of(card)
    assert list(fields) == ["title", "date", "time", "minutes", "description", "mode", "location", "speaker", "link"]
    [date] = [e for e in elements(card) if e.get("id") == "date"]
    assert date["min"] == "2026-11-23" and fields["title"] == "MAGDA"
    assert [a["data"] for a in actions(card)] == [{"themeId": "t-1"}, {"themeId": "t-1"}]


def test_the_move_form_asks_only_when(texts: Catalog) -> None:
    """Date, start and duration, prefilled; submit and back carry the meeting id."""
    values = FormValues(date="2026-12-03", time="14:00", minutes="90")
    card = form_card(move_spec("MAGDA", values, 7), texts, "nl", NOW, BRUSSELS)
    assert inputs_of(card) == {"date": "2026-12-03", "time": "14:00", "minutes": "90"}
    assert [a["verb"] for a in actions(card)] == ["meeting_move_submit", "meeting_refresh"]


async def test_thread_replies_escape_the_title_and_link_the_meeting(texts: Catalog) -> None:
    """The reminder names the meeting without Markdown from its title and links to join; a cancellation does not."""
    connector = FakeConnector()
    publisher = TeamsMeetingPublisher(connector, texts, BRUSSELS)
    target = rkk("kempen").target
    assert target is not None
    thread = Posted("19:kempen@thread.tacv2;messageid=5", "5")
    await publisher.notify(target, thread, "reminder", sample_view())
    await publisher.notify(target, thread, "cancelled", sample_view(now=NOW + timedelta(days=1)))
    (conversation, reminder), (_, cancelled) = connector.sent
    assert conversation == thread.conversation_id
    assert reminder.text.startswith(
        "Morgen: kennismoment **\\*\\*MAGDA\\*\\* in de praktijk \\{\\{DATE\\(2026\\-01\\-01\\)\\}\\}**"
    )
    assert "[Deelnemen via Teams](https://teams.microsoft.com/" in reminder.text
    assert "gaat niet door" in cancelled.text and "Deelnemen" not in cancelled.text
