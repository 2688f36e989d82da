"""End to end in the Agents Playground (demo mode, link typed by hand): from rode draad to kennismoment.

Plan from the cross-post card, the announcement appears in the RKK's channel, two members answer
"Ik kom", the count updates on the card, and a cancellation updates every card. The Playground runs no
task modules, which is why the form is shown in place of the card (an Action.Execute answer).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from playground.launcher import Playground, missing_prerequisite, playground_config
from tests.card_text import actions, inputs_of, strings
from tests.e2e.app_process import ROOT, cli, serving, text_of
from tests.e2e.playground_client import BotFrame, PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

CONFIG = f"""
demo: true
timezone: Europe/Brussels
questions: {ROOT / "config" / "questions.yaml"}
rkks: []
overkoepelend:
  team: My Team
  channel: Announcements
domains:
  example.com: Gemeente Voorbeeld
  brasschaat.be: Gemeente Brasschaat
  hoogstraten.be: Stad Hoogstraten
themes:
  min_besturen: 2
  min_rkks: 1
  window_weeks: 8
"""
ANSWERS = {  # Playground user -> (mail, answer): three besturen about the same rode draad
    "user-id-0": ("alexw@example.com", "De MAGDA-documentendienst draait bij ons, attesten komen meteen binnen."),
    "user-id-1": ("meganb@brasschaat.be", "Wij wachten nog op de machtiging voor de MAGDA-documentendienst."),
    "user-id-2": ("adelev@hoogstraten.be", "Onze leverancier vraagt extra geld voor de MAGDA-documentendienst."),
}
LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo%40thread.v2/0"


def tenant() -> dict[str, Any]:
    """The Playground's tenant with Megan and Adele in other besturen (mail domains)."""
    config = playground_config()
    for user in config["users"]:
        if user["id"] in ANSWERS:
            user["email"] = user["userPrincipleName"] = ANSWERS[user["id"]][0]
    return config


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """Demo mode with RKK Overkoepelend in the same team's Announcements channel, on a fresh SQLite file."""
    config = tmp_path / "rkks.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return {**os.environ, "RKKBOT_CONFIG": str(config), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"}


@pytest.fixture
def app_port(app_env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    """`python app.py serve` with that configuration."""
    with serving(app_env, tmp_path / "app.log") as port:
        yield port


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground with our tenant, its WebSocket connected, the bot installed."""
    async with (
        Playground(bot_port=app_port, config=tenant()) as playground,
        PlaygroundClient(playground.base_url, timeout=30) as client,
    ):
        await client.install()
        await client.next_bot_message(lambda f: "Hallo" in text_of(f))
        yield client


def card_of(frame: BotFrame) -> dict[str, Any]:
    """The frame's one Adaptive Card."""
    [card] = frame.cards
    return card


async def rode_draad(teams: PlaygroundClient, app_env: dict[str, str]) -> BotFrame:
    """Post the question, let three besturen answer in the card, cross-post: the rode-draad card."""
    config = await teams.config()
    await teams.send_message(config.general_channel_id, "post nu", mention_bot=True)
    question = await teams.next_bot_message(lambda f: bool(f.cards) and bool(actions(f.cards, "answer")))
    round_id = actions(question.cards, "answer")[0]["data"]["roundId"]
    assert question.message_id is not None
    for user_id, (_, text) in ANSWERS.items():
        answer = await teams.invoke(
            question.thread_id,
            question.message_id,
            {"roundId": round_id, "answer": text},
            verb="answer",
            from_id=user_id,
        )
        assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    crosspost = cli(app_env, "crosspost")
    assert crosspost.returncode == 0, crosspost.stderr
    return await teams.next_bot_message(lambda f: bool(f.cards) and bool(actions(f.cards, "theme_plan")), within=60)


async def test_from_rode_draad_to_kennismoment_and_back(teams: PlaygroundClient, app_env: dict[str, str]) -> None:
    """Plan, announce, two members come, the count updates, the coordinator cancels: every card follows."""
    config = await teams.config()
    theme = await rode_draad(teams, app_env)
    assert theme.thread_id.startswith(f"{config.channels['Announcements']};messageid=")
    assert theme.message_id is not None
    theme_id = actions(theme.cards, "theme_plan")[0]["data"]["themeId"]

    form = await teams.invoke(theme.thread_id, theme.message_id, {"themeId": theme_id}, verb="theme_plan")
    fields = inputs_of(form["value"])
    assert "link" in fields and fields["title"]  # demo mode: the coordinator pastes the Teams link
    data = {**fields, "themeId": theme_id, "title": "MAGDA in de praktijk", "date": "2099-01-01"}
    far = await teams.invoke(theme.thread_id, theme.message_id, {**data, "link": LINK}, verb="meeting_plan")
    assert "meer dan twee jaar vooruit" in strings(far["value"]) or "more than two years" in strings(far["value"])
    day = fields["date"]
    bad = await teams.invoke(
        theme.thread_id, theme.message_id, {**data, "date": day, "link": "http://x.example"}, verb="meeting_plan"
    )
    assert "https://" in strings(bad["value"]) and inputs_of(bad["value"])["title"] == "MAGDA in de praktijk"

    planned = await teams.invoke(
        theme.thread_id, theme.message_id, {**data, "date": day, "link": LINK}, verb="meeting_plan"
    )
    assert "Kennismoment gepland" in strings(planned["value"]) or "Knowledge session planned" in strings(
        planned["value"]
    )
    announcement = await teams.next_bot_message(
        lambda f: (
            f.action == "createMessage"
            and bool(f.cards)
            and bool(actions(f.cards, "meeting_rsvp"))
            and f.thread_id.startswith(f"{config.general_channel_id};")
        )
    )
    reply = await teams.next_bot_message(
        lambda f: f.action == "createMessage" and bool(f.cards) and bool(actions(f.cards, "meeting_rsvp"))
    )
    assert reply.conversation_id == theme.thread_id  # the card in the cross-post thread
    card = card_of(announcement)
    assert "MAGDA in de praktijk" in strings(card) and [a["url"] for a in card["actions"] if "url" in a] == [LINK]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    assert announcement.message_id is not None

    for user_id in ("user-id-1", "user-id-2"):
        mine = await teams.invoke(
            announcement.thread_id,
            announcement.message_id,
            {"meetingId": meeting_id, "going": True},
            verb="meeting_rsvp",
            from_id=user_id,
        )
        assert "Jij komt" in strings(mine["value"]) or "You are coming" in strings(mine["value"])
    counted = await teams.next_bot_message(
        lambda f: (
            f.action == "updateMessage"
            and f.message_id == announcement.message_id
            and "2 leden van 2 besturen komen." in strings(f.cards)
        )
    )
    assert "Ik kom niet" in strings(counted.cards)  # everyone's view still offers both answers

    confirm = await teams.invoke(
        announcement.thread_id, announcement.message_id, {"meetingId": meeting_id}, verb="meeting_cancel"
    )
    assert actions(confirm["value"], "meeting_cancel_confirm")
    done = await teams.invoke(
        announcement.thread_id, announcement.message_id, {"meetingId": meeting_id}, verb="meeting_cancel_confirm"
    )
    assert "Geannuleerd" in strings(done["value"]) or "Cancelled" in strings(done["value"])
    cancelled = {announcement.message_id, reply.message_id}
    while cancelled:
        frame = await teams.next_bot_message(
            lambda f: f.action == "updateMessage" and "Dit kennismoment gaat niet door." in strings(f.cards)
        )
        cancelled.discard(frame.message_id)
    freed = await teams.next_bot_message(
        lambda f: (
            f.action == "updateMessage" and f.message_id == theme.message_id and bool(actions(f.cards, "theme_plan"))
        )
    )
    assert "Kennismoment gepland" not in strings(freed.cards)
    export = cli(app_env, "export", "--format", "jsonl")
    assert '"theme_state": "crossposted"' in export.stdout
