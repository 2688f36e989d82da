"""The card buttons: coordinators decide (recorded with who and when), everyone else is refused."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from bot.commands.themes import ThemeActionDeps, ThemeActions
from rkk.access import Person
from rkk.crosspost.decisions import decide_theme
from rkk.crosspost.model import Actor, Decision, ThemeStatus
from rkk.crosspost.publishing import crosspost_themes
from tests.doubles.teams import card_action, user
from tests.integration.crosspost.conftest import COORDINATORS, UMBRELLA_TEAM, World
from tests.unit.crosspost.examples import MAGDA, MAGDA_MORE, PHISHING

GLOBAL = user("29:global", "Griet Globaal", "aad-global")
KEMPEN = user("29:kempen", "Koen Kempen", "aad-kempen")  # coordinates one RKK only
MEMBER = user("29:an", "An Peeters", "aad-an")


def actions(world: World) -> ThemeActions:
    """The theme button handler wired to the world's store and doubles."""
    deps = ThemeActionDeps(
        world.themes, world.publisher, world.texts, COORDINATORS, lambda: world.now, "RKK Overkoepelend", "Rode draden"
    )
    return ThemeActions(deps)


async def posted_cards(world: World) -> dict[str, tuple[str, str]]:
    """Theme key -> (conversation id, label) of each card the run posted."""
    await world.seed(MAGDA + PHISHING)
    await crosspost_themes(world.themes, world.publisher, world.settings, world.now, holder="a")
    out = {}
    for theme in await world.themes.list_themes():
        post = await world.themes.get_crosspost(theme.key)
        if post is not None and post.conversation_id:
            out[theme.label] = (theme.key, post.conversation_id)
    return out


async def press(world: World, verb: str, theme_id: Any, conversation: str, who: Any) -> Any:
    """Press a button on the card in `conversation`; the invoke answer."""
    activity: Activity = card_action(verb, {"themeId": theme_id}, conversation, who, UMBRELLA_TEAM)
    person = Person(who.aad_object_id, None)
    return await actions(world).on_action(activity, verb, activity.value["action"]["data"], person, "nl")


async def test_members_and_rkk_coordinators_are_refused(world: World) -> None:
    """Only global coordinators may decide; a refusal records nothing and changes no card."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    for who in (MEMBER, KEMPEN):
        answer = await press(world, "theme_dismiss", key, conversation, who)
        assert answer.type == "application/vnd.microsoft.activity.message"
        assert "Alleen de coördinatoren" in answer.value
    assert await world.themes.last_decision(key) is None
    assert world.connector.updates == []


async def test_a_forged_theme_id_cannot_act_on_another_theme(world: World) -> None:
    """A button whose data names another theme than the card it sits on is refused."""
    cards = await posted_cards(world)
    magda_key, magda_thread = cards["MAGDA documentendienst"]
    phishing_key, _ = cards["Phishing"]
    for forged in (phishing_key, "t-999", 42, None, {"key": magda_key}):
        answer = await press(world, "theme_dismiss", forged, magda_thread, GLOBAL)
        assert "hoort niet bij deze kaart" in answer.value
    assert await world.themes.last_decision(phishing_key) is None
    assert await world.themes.last_decision(magda_key) is None


async def test_an_action_from_another_conversation_is_refused(world: World) -> None:
    """The right theme id sent from another thread does not act."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    channel = conversation.partition(";")[0]
    for elsewhere in (f"{channel};messageid=1", "19:other@thread.tacv2", f"{channel}"):
        answer = await press(world, "theme_dismiss", key, elsewhere, GLOBAL)
        assert "hoort niet bij deze kaart" in answer.value
    assert await world.themes.last_decision(key) is None


async def test_a_dismissed_theme_stays_quiet_when_it_grows_a_little(world: World) -> None:
    """One more bestuur in a known RKK is not substantial: no update, no reply."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    await press(world, "theme_dismiss", key, conversation, GLOBAL)
    updates = len(world.connector.updates)
    await world.answer("limburg", "Genk", "2026-W13", "De machtiging voor de MAGDA documentendienst duurde lang.")
    report = await crosspost_themes(world.themes, world.publisher, world.settings, world.later(7), holder="a")
    assert report.updated == [] and len(world.connector.updates) == updates and world.connector.sent == []
    assert (await world.themes.get_theme(key)).status is ThemeStatus.DISMISSED  # type: ignore[union-attr]


async def test_a_dismissed_theme_returns_when_it_reaches_a_new_rkk(world: World) -> None:
    """A new RKK is substantial growth: the card is updated and a reply says the theme is back."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    await press(world, "theme_dismiss", key, conversation, GLOBAL)
    await world.seed(MAGDA_MORE)
    report = await crosspost_themes(world.themes, world.publisher, world.settings, world.later(7), holder="a")
    assert report.updated == [key]
    [(_, reply)] = world.connector.sent
    assert "is terug" in reply.text
    assert (await world.themes.get_theme(key)).status is ThemeStatus.CROSSPOSTED  # type: ignore[union-attr]
    assert len(world.connector.threads) == 2  # still one card per theme


async def test_pressing_the_same_button_twice_records_once(world: World) -> None:
    """A repeated decision is not stored again."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    await press(world, "theme_dismiss", key, conversation, GLOBAL)
    await press(world, "theme_dismiss", key, conversation, GLOBAL)
    assert len(world.connector.updates) == 1


async def test_a_planned_theme_that_ends_keeps_its_card_and_decision_and_is_never_posted_again(world: World) -> None:
    """Its answers deleted, the theme leaves the rode draden; its card and plan stay, and come back with it."""
    key, conversation = (await posted_cards(world))["MAGDA documentendienst"]
    actor = Actor("aad-global", "Griet Globaal")
    await decide_theme(world.themes, world.publisher, key, Decision.PLAN, conversation, actor, True, world.now)
    answer_ids = [int(a) for a, k in (await world.themes.theme_assignment()).items() if k == key]
    await world.hide(answer_ids)
    ended = await crosspost_themes(world.themes, world.publisher, world.settings, world.later(7), holder="a")
    assert (ended.recurring, ended.posted, ended.updated) == (1, [], [])
    assert key not in {t.key for t in await world.themes.list_themes()}
    post = await world.themes.get_crosspost(key)
    assert post is not None and (post.state, post.conversation_id) == ("posted", conversation)
    decision = await world.themes.last_decision(key)
    assert decision is not None and decision.decision is Decision.PLAN
    await world.hide(answer_ids, hidden=False)
    back = await crosspost_themes(world.themes, world.publisher, world.settings, world.later(14), holder="a")
    assert (back.recurring, back.posted, back.updated) == (2, [], [])
    assert len(world.connector.threads) == 2 and world.connector.sent == []
    assert [t.status for t in await world.themes.list_themes([key])] == [ThemeStatus.PLANNED]
