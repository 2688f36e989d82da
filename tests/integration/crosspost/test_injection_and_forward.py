"""Member text on the umbrella cards stays literal; coordinators forward a question thread once."""

from __future__ import annotations

from typing import Any

from bot.commands.themes import ThemeActionDeps, ThemeActions
from rkk.access import Person
from rkk.crosspost.publishing import crosspost_themes
from tests.doubles.teams import channel_message, user
from tests.integration.crosspost.conftest import COORDINATORS, UMBRELLA_CHANNEL, World, team_id
from tests.unit.crosspost.examples import MAGDA

EVIL = " **vet** [klik](https://evil.example) <at>Iedereen</at> {{DATE(2026-01-01)}} @channel"


def walk(node: Any) -> list[dict[str, Any]]:
    """Every element of a card, depth first."""
    if isinstance(node, dict):
        return [node, *(e for v in node.values() for e in walk(v))]
    if isinstance(node, list):
        return [e for v in node for e in walk(v)]
    return []


async def test_member_text_reaches_the_card_only_as_literal_text_runs(world: World) -> None:
    """Markdown, links, mentions and template functions from an answer end up inert in TextRuns, description too."""
    await world.seed([(r, b, w, t + EVIL) for r, b, w, t in MAGDA])
    await crosspost_themes(world.themes, world.publisher, world.settings, world.now, holder="a")
    [(_, activity)] = world.connector.threads
    card = activity.attachments[0].content
    elements = walk(card)
    blocks = " ".join(e["text"] for e in elements if e.get("type") == "TextBlock")
    assert "evil" not in blocks and "**vet**" not in blocks and "<at>" not in blocks
    runs = [e["text"] for e in elements if e.get("type") == "TextRun"]
    quoted = [r for r in runs if "evil.example" in r]
    assert len(quoted) == 4  # three quotes and the description, which cites an answer
    for text in quoted:
        assert "{\u200b{DATE" in text and "{{" not in text
        assert "[klik](https://evil.example)" in text  # shown as typed, not as a link
    assert not activity.entities and "msteams" not in str(card)
    urls = [e.get("url") for e in elements if e.get("url")]
    assert urls and all(u.startswith("https://teams.microsoft.com/l/message/") for u in urls)


def forwarder(world: World) -> ThemeActions:
    """The forward command's handler wired to the world's store and doubles."""
    deps = ThemeActionDeps(
        world.themes, world.publisher, world.texts, COORDINATORS, lambda: world.now, "RKK Overkoepelend", "Rode draden"
    )
    return ThemeActions(deps)


async def test_a_question_thread_is_forwarded_once(world: World) -> None:
    """`doorsturen` in a question thread posts one card to the umbrella channel; again only links to it."""
    await world.seed(MAGDA[:2])
    round_ = await world.store.round_for_week("kempen", "2026-W10")
    assert round_ is not None and round_.conversation_id is not None
    coordinator = user("29:kempen", "Koen Kempen", "aad-kempen")
    activity = channel_message("doorsturen", coordinator, team_id("kempen"))
    activity.conversation.id = round_.conversation_id
    first = await forwarder(world).forward(activity, Person("aad-kempen", None), "nl")
    second = await forwarder(world).forward(activity, Person("aad-kempen", None), "nl")
    assert first.startswith("De draad van week 10 uit RKK Kempen staat nu in RKK Overkoepelend")
    assert second.startswith("Deze draad werd al doorgestuurd")
    [(target, posted)] = world.connector.threads
    assert target.channel_id == UMBRELLA_CHANNEL
    card = str(posted.attachments[0].content)
    assert "Hoe pakken jullie dit aan?" in card and "doorgestuurd door Koen Kempen" in card
    assert "1 antwoord tot nu toe." in card


async def test_forward_outside_a_question_thread_explains_where_to_type_it(world: World) -> None:
    """At the channel root there is no thread to forward."""
    activity = channel_message("doorsturen", user(), team_id("kempen"))
    activity.conversation.id = team_id("kempen")
    reply = await forwarder(world).forward(activity, Person("aad-an", None), "nl")
    assert "als antwoord in de draad" in reply and world.connector.threads == []
