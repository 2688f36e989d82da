""" "Naam aanpassen" on a theme card, pressed through botbuilder's TestAdapter and the bot's handler."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from sqlalchemy import select

from bot.commands.theme_names import ThemeNames
from bot.commands.themes import ThemeActionDeps, ThemeActions
from bot.handler import RkkBot
from rkk.crosspost.publishing import crosspost_themes
from rkk.store.admin_store import AdminStore
from rkk.store.admin_tables import audit_log
from rkk.store.crosspost.tables import theme_crossposts, theme_decisions, themes
from tests.card_text import actions, elements, runs
from tests.doubles.teams import FakePublisher, bot_deps, card_action, user
from tests.integration.crosspost.conftest import COORDINATORS, UMBRELLA_TEAM, World
from tests.integration.crosspost.test_decisions import posted_cards
from tests.unit.crosspost.examples import MAGDA_MORE

GLOBAL = user("29:global", "Griet Globaal", "aad-global")
KEMPEN = user("29:kempen", "Koen Kempen", "aad-kempen")  # coordinates one RKK only
MEMBER = user("29:an", "An Peeters", "aad-an")
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"


class Umbrella:
    """The bot with theme storage, its card buttons pressed as Teams sends them."""

    def __init__(self, world: World) -> None:
        self.world = world
        deps = bot_deps(world.store, FakePublisher(), world.texts, lambda: world.now)
        theme_deps = ThemeActionDeps(
            world.themes, world.publisher, world.texts, COORDINATORS, lambda: world.now, "RKK Overkoepelend", None
        )
        self.bot = RkkBot(
            replace(
                deps,
                coordinators=COORDINATORS,
                theme_actions=ThemeActions(theme_deps),
                theme_names=ThemeNames(theme_deps),
            )
        )
        self.adapter = TestAdapter()

    async def press(self, verb: str, data: dict[str, Any], conversation: str, who: Any = GLOBAL) -> Any:
        """The invoke answer's body (an AdaptiveCardInvokeResponse) for one button press."""
        self.adapter.activity_buffer.clear()
        activity = card_action(verb, data, conversation, who, UMBRELLA_TEAM)
        await self.adapter.run_pipeline(self.adapter.create_turn_context(activity), self.bot.on_turn)
        [response] = [a for a in self.adapter.activity_buffer if a.type == "invokeResponse"]
        assert response.value.status == 200
        return response.value.body


async def tables(world: World) -> list[Any]:
    """Every row a rename could touch: themes, cards, decisions and the audit log."""
    async with world.store.engine.connect() as conn:
        return [
            (await conn.execute(select(table).order_by(*table.primary_key.columns))).all()
            for table in (themes, theme_crossposts, theme_decisions, audit_log)
        ]


@pytest.fixture
async def umbrella(world: World) -> Umbrella:
    """The bot over the cross-post world."""
    return Umbrella(world)


async def test_rename_shows_an_edit_view_prefilled_with_the_current_name(world: World, umbrella: Umbrella) -> None:
    """The presser's card gets an input with the name, Opslaan and Annuleren; nothing is stored yet."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    before = await tables(world)
    answer = await umbrella.press("theme_rename", {"themeId": key}, thread)
    assert answer.type == CARD
    [field] = [e for e in elements(answer.value) if e.get("type") == "Input.Text"]
    assert (field["id"], field["value"], field["maxLength"], field["isRequired"]) == (
        "themeName",
        "MAGDA documentendienst",
        80,
        True,
    )
    assert [(a["verb"], a["title"]) for a in actions(answer.value)] == [
        ("theme_rename_save", "Opslaan"),
        ("theme_rename_cancel", "Annuleren"),
    ]
    assert await tables(world) == before and world.connector.updates == []


async def test_a_global_coordinator_renames_and_the_card_updates_for_everyone(world: World, umbrella: Umbrella) -> None:
    """Opslaan stores the trimmed name with an audit entry; the presser and the channel see the new name."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    answer = await umbrella.press(
        "theme_rename_save", {"themeId": key, "themeName": "  MAGDA\n zonder papier "}, thread
    )
    assert answer.type == CARD and "MAGDA zonder papier" in runs(answer.value)
    assert not [e for e in elements(answer.value) if e.get("type") == "Input.Text"]
    assert [a["verb"] for a in actions(answer.value)] == ["theme_plan", "theme_dismiss", "theme_rename"]
    stored = await world.themes.get_theme(key)
    assert stored is not None and (stored.name, stored.label) == ("MAGDA zonder papier", "MAGDA documentendienst")
    [(conversation, _, update)] = world.connector.updates
    assert conversation == thread and "MAGDA zonder papier" in runs(update.attachments[0].content)
    [entry] = await AdminStore(world.store.engine).audit_entries()
    assert (entry.action, entry.actor_id, entry.actor_name, entry.at, entry.conversation_id) == (
        "theme_rename",
        "aad-global",
        "Griet Globaal",
        world.now,
        thread,
    )
    assert entry.detail == f"{key}: “MAGDA documentendienst” → “MAGDA zonder papier”"


async def test_the_name_is_used_when_the_theme_grows(world: World, umbrella: Umbrella) -> None:
    """The next run's card update and growth reply name the theme as the coordinator did."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    await umbrella.press("theme_rename_save", {"themeId": key, "themeName": "MAGDA zonder papier"}, thread)
    await world.seed(MAGDA_MORE)
    report = await crosspost_themes(world.themes, world.publisher, world.settings, world.later(7), holder="a")
    assert report.updated == [key]
    _, _, grown = world.connector.updates[-1]
    assert "MAGDA zonder papier" in runs(grown.attachments[0].content)
    assert "4 RKK's · 8 besturen" in runs(grown.attachments[0].content)
    [(_, reply)] = world.connector.sent
    assert reply.text.startswith("De rode draad “MAGDA zonder papier” groeit: nu 4 RKK's en 8 besturen.")


async def test_annuleren_shows_the_card_again_and_changes_nothing(world: World, umbrella: Umbrella) -> None:
    """Cancel answers with the usual card; no name, no audit entry, no update for the channel."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    before = await tables(world)
    answer = await umbrella.press("theme_rename_cancel", {"themeId": key, "themeName": "Iets anders"}, thread)
    assert answer.type == CARD and "MAGDA documentendienst" in runs(answer.value)
    assert "theme_rename" in [a["verb"] for a in actions(answer.value)]
    assert await tables(world) == before and world.connector.updates == []


@pytest.mark.parametrize("verb", ["theme_rename", "theme_rename_save", "theme_rename_cancel"])
async def test_members_and_rkk_coordinators_are_refused(world: World, umbrella: Umbrella, verb: str) -> None:
    """Only global coordinators may rename: others get a Dutch message and no card, and nothing changes."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    before = await tables(world)
    for who in (MEMBER, KEMPEN):
        answer = await umbrella.press(verb, {"themeId": key, "themeName": "Gekaapt"}, thread, who)
        assert answer.type == MESSAGE
        assert answer.value.startswith("Alleen de globale coördinatoren kunnen de naam van een rode draad aanpassen.")
    assert await tables(world) == before and world.connector.updates == []


async def test_a_forged_theme_id_or_thread_renames_nothing(world: World, umbrella: Umbrella) -> None:
    """Another theme's key, a key that is no theme, data of another type, or another thread: refused."""
    found = await posted_cards(world)
    magda_key, magda_thread = found["MAGDA documentendienst"]
    phishing_key, _ = found["Phishing"]
    before = await tables(world)
    channel = magda_thread.partition(";")[0]
    forged: list[tuple[Any, str]] = [
        (phishing_key, magda_thread),
        ("t-999", magda_thread),
        (42, magda_thread),
        (None, magda_thread),
        ({"key": magda_key}, magda_thread),
        (magda_key, f"{channel};messageid=1"),
        (magda_key, "19:other@thread.tacv2"),
    ]
    for theme_id, conversation in forged:
        for verb in ("theme_rename", "theme_rename_save"):
            answer = await umbrella.press(verb, {"themeId": theme_id, "themeName": "Gekaapt"}, conversation)
            assert answer.type == MESSAGE and "hoort niet bij deze kaart" in answer.value
    assert await tables(world) == before and world.connector.updates == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "De naam is leeg."),
        (" \n\t ", "De naam is leeg."),
        ("\x00\x07", "De naam is leeg."),
        (None, "De naam is leeg."),
        (["MAGDA"], "De naam is leeg."),
        ("x" * 81, "Een naam heeft hoogstens 80 tekens."),
    ],
)
async def test_an_empty_or_too_long_name_is_refused(world: World, umbrella: Umbrella, name: Any, expected: str) -> None:
    """A name must have 1 to 80 characters after trimming: otherwise a message, and the card keeps the draft."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    before = await tables(world)
    answer = await umbrella.press("theme_rename_save", {"themeId": key, "themeName": name}, thread)
    assert answer.type == MESSAGE and answer.value.startswith(expected) and "niets gewijzigd" in answer.value
    assert await tables(world) == before and world.connector.updates == []


async def test_a_name_of_80_characters_with_markdown_is_stored_and_shown_literally(
    world: World, umbrella: Umbrella
) -> None:
    """The longest name fits; Markdown, links and template functions show as typed, in a TextRun."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    name = "**MAGDA** [klik](https://evil.example) {{DATE(2026-01-01)}} <at>Iedereen</at>".ljust(80, ".")
    answer = await umbrella.press("theme_rename_save", {"themeId": key, "themeName": name}, thread)
    assert answer.type == CARD
    assert name.replace("{{", "{\u200b{").replace("}}", "}\u200b}") in runs(answer.value)
    assert not any("evil" in e["text"] for e in elements(answer.value) if e.get("type") == "TextBlock")
    stored = await world.themes.get_theme(key)
    assert stored is not None and stored.name == name
    edit = await umbrella.press("theme_rename", {"themeId": key}, thread)
    [field] = [e for e in elements(edit.value) if e.get("type") == "Input.Text"]
    assert field["value"] == name  # the input gets the name as stored, for editing


async def test_saving_the_same_name_again_records_once(world: World, umbrella: Umbrella) -> None:
    """A second Opslaan with the name the theme already has writes no audit entry and updates no card."""
    key, thread = (await posted_cards(world))["MAGDA documentendienst"]
    data = {"themeId": key, "themeName": "MAGDA zonder papier"}
    await umbrella.press("theme_rename_save", data, thread)
    again = await umbrella.press("theme_rename_save", data, thread)
    assert again.type == CARD and "MAGDA zonder papier" in runs(again.value)
    assert len(await AdminStore(world.store.engine).audit_entries()) == 1 and len(world.connector.updates) == 1
