"""`thema's`: coordinators see the themes the bot stored, through botbuilder's TestAdapter and a real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.commands.themes import ThemeActionDeps, ThemeActions
from bot.handler import RkkBot
from bot.outbound.theme_publisher import TeamsThemePublisher
from config.rkk_config import ThemeRule
from i18n.catalog import Catalog
from rkk.crosspost.model import ThemeStatus
from rkk.crosspost.ports import ThemeChanges
from rkk.crosspost.publishing import crosspost_themes
from rkk.store.crosspost.repository import ThemeStore
from rkk.store.rounds.sql_store import SqlStore
from rkk.themes import Theme
from tests.card_text import runs, strings
from tests.doubles.teams import channel_message, installed
from tests.integration.crosspost.conftest import World
from tests.integration.test_commands import COORDINATOR, GLOBAL, MEMBER, Bot
from tests.unit.crosspost.doubles import FakeConnector
from tests.unit.crosspost.examples import LOCAL, MAGDA, PHISHING


def _with_themes(harness: Bot, rule: ThemeRule | None = None) -> Bot:
    """The harness with theme storage (and no umbrella team configured), optionally another rode-draad rule."""
    deps = harness.deps
    actions = ThemeActions(
        ThemeActionDeps(
            ThemeStore(harness.store.engine),
            TeamsThemePublisher(FakeConnector(), deps.texts),
            deps.texts,
            deps.coordinators,
            deps.clock,
            None,
            None,
        )
    )
    config = replace(deps.config, themes=rule) if rule else deps.config
    harness.deps = replace(deps, theme_actions=actions, config=config)
    harness.bot = RkkBot(harness.deps)
    return harness


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime) -> Bot:
    """Installed in Kempen, with theme storage but without RKK Overkoepelend."""
    harness = _with_themes(Bot(store, texts, now))
    await harness.send(installed())
    return harness


def theme(key: str, label: str, rkks: int, besturen: int, weeks: tuple[str, str], recurring: bool) -> Theme:
    """A theme as the refresh hands it to the store."""
    return Theme(
        key=key,
        label=label,
        terms=tuple(label.lower().split()[:3]),
        answer_ids=(),
        rkks=tuple(f"rkk-{i}" for i in range(rkks)),
        besturen=tuple(f"Bestuur {i}" for i in range(besturen)),
        first_week=weeks[0],
        last_week=weeks[1],
        recurring=recurring,
    )


async def store_themes(
    store: SqlStore, now: datetime, themes: list[Theme], status: dict[str, ThemeStatus] | None = None
) -> None:
    """Save themes through the store the weekly refresh writes to, then set the status of some."""
    repo = ThemeStore(store.engine)
    await repo.save_changes(ThemeChanges(themes, {}, [], {}, [], [], []), now)
    for key, value in (status or {}).items():
        await repo.set_status(key, value, now)


async def card_of(bot: Bot, text: str, sender: Any = COORDINATOR, team: bool = True, locale: str = "nl-BE") -> Any:
    """The one card the bot answers a typed command with."""
    activity: Activity = channel_message(text, sender, team_id="19:kempen-general@thread.tacv2" if team else None)
    activity.locale = locale
    [reply] = await bot.send(activity)
    [attachment] = reply.attachments
    return attachment.content


def shown(card: Any) -> list[tuple[str, str, str]]:
    """(label, state, counts and weeks) of each theme block, top to bottom."""
    [listed] = [element for element in card["body"] if element["type"] == "Container"]
    return [
        (block["items"][0]["inlines"][0]["text"], block["items"][1]["text"], block["items"][2]["text"])
        for block in listed["items"]
    ]


async def test_coordinator_sees_the_stored_themes_rode_draden_first(bot: Bot, store: SqlStore, now: datetime) -> None:
    """Rode draden come first with their state, then the rest by besturen; merged themes are left out."""
    themes = [
        theme("t-local", "Lokale parkeerkaart", 1, 1, ("2026-W10", "2026-W10"), False),
        theme("t-wide", "Glasvezel op het platteland", 1, 3, ("2026-W11", "2026-W13"), False),
        theme("t-magda", "MAGDA documentendienst", 3, 5, ("2026-W10", "2026-W12"), True),
        theme("t-phish", "Phishing oefeningen", 2, 7, ("2026-W09", "2026-W14"), True),
        theme("t-plan", "Archiefbeheer", 2, 6, ("2026-W08", "2026-W11"), True),
        theme("t-no", "Koffieautomaat", 2, 5, ("2026-W12", "2026-W13"), True),
        theme("t-gone", "Opgegaan in MAGDA", 2, 9, ("2026-W10", "2026-W10"), True),
    ]
    status = {
        "t-magda": ThemeStatus.CROSSPOSTED,
        "t-plan": ThemeStatus.PLANNED,
        "t-no": ThemeStatus.DISMISSED,
        "t-gone": ThemeStatus.MERGED,
    }
    await store_themes(store, now, themes, status)
    card = await card_of(bot, "thema's")
    assert card["version"] == "1.5" and card["body"][0]["text"] == "Thema's in de antwoorden"
    assert shown(card) == [
        (
            "Phishing oefeningen",
            "Rode draad: ja · nog niet geplaatst in RKK Overkoepelend",
            "7 besturen · 2 RKK's · weken 2026-W09 tot 2026-W14",
        ),
        (
            "Archiefbeheer",
            "Rode draad: ja · kennismoment gepland",
            "6 besturen · 2 RKK's · weken 2026-W08 tot 2026-W11",
        ),
        (
            "MAGDA documentendienst",
            "Rode draad: ja · geplaatst in RKK Overkoepelend",
            "5 besturen · 3 RKK's · weken 2026-W10 tot 2026-W12",
        ),
        (
            "Koffieautomaat",
            "Rode draad: nee · afgewezen in RKK Overkoepelend",
            "5 besturen · 2 RKK's · weken 2026-W12 tot 2026-W13",
        ),
        ("Glasvezel op het platteland", "Rode draad: nog niet", "3 besturen · 1 RKK · weken 2026-W11 tot 2026-W13"),
        ("Lokale parkeerkaart", "Rode draad: nog niet", "1 bestuur · 1 RKK · week 2026-W10"),
    ]
    assert "getoond" not in strings(card)


async def test_themes_found_by_the_weekly_run_are_listed(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """Themes the real weekly run grouped and cross-posted show up in a global coordinator's personal chat."""
    world = World(store, texts, now)
    await world.setup()
    await world.seed(MAGDA + PHISHING + LOCAL)
    await crosspost_themes(world.themes, world.publisher, world.settings, now, holder="test")
    stored = [t for t in await world.themes.list_themes() if t.status is not ThemeStatus.MERGED]
    bot = _with_themes(Bot(store, texts, now))
    await bot.send(installed())
    rows = shown(await card_of(bot, "themas", GLOBAL, team=False))
    assert sorted(label for label, _, _ in rows) == sorted(t.label for t in stored)
    rode_draden = {t.label for t in stored if t.recurring}
    assert {label for label, _, _ in rows[: len(rode_draden)]} == rode_draden
    states = {label: state for label, state, _ in rows}
    assert states["MAGDA documentendienst"] == "Rode draad: ja · geplaatst in RKK Overkoepelend"


async def test_a_theme_whose_answers_were_all_deleted_is_no_longer_listed(
    store: SqlStore, texts: Catalog, now: datetime
) -> None:
    """After its members deleted every answer, a cross-posted theme leaves the overview at the next weekly run."""
    world = World(store, texts, now)
    await world.setup()
    magda_ids = await world.seed(MAGDA)
    await world.seed(PHISHING + LOCAL)
    await crosspost_themes(world.themes, world.publisher, world.settings, now, holder="test")
    bot = _with_themes(Bot(store, texts, now))
    await bot.send(installed())
    assert "MAGDA documentendienst" in [label for label, _, _ in shown(await card_of(bot, "thema's", GLOBAL))]
    await world.hide(magda_ids)
    await crosspost_themes(world.themes, world.publisher, world.settings, world.later(7), holder="test")
    states = {label: state for label, state, _ in shown(await card_of(bot, "thema's", GLOBAL))}
    assert "MAGDA documentendienst" not in states
    assert states["Phishing"] == "Rode draad: ja · geplaatst in RKK Overkoepelend"


async def test_labels_are_shown_literally_never_as_markdown(bot: Bot, store: SqlStore, now: datetime) -> None:
    """A label built from member words stays literal text in a TextRun; template functions are broken up."""
    label = "**phishing** [klik](https://evil.example) {{DATE(2026-01-01)}}"
    await store_themes(store, now, [theme("t-x", label, 2, 5, ("2026-W10", "2026-W11"), True)])
    card = await card_of(bot, "thema's")
    assert runs(card) == ["**phishing** [klik](https://evil.example) {\u200b{DATE(2026-01-01)}\u200b}"]
    blocks = [e["text"] for e in card["body"] if e["type"] == "TextBlock"]
    assert not any("evil" in text for text in blocks)


async def test_at_most_fifteen_themes_and_a_note_on_the_rest(bot: Bot, store: SqlStore, now: datetime) -> None:
    """Seventeen themes give fifteen blocks, the widest first, and a line saying how many there are."""
    weeks = ("2026-W10", "2026-W10")
    await store_themes(store, now, [theme(f"t-{n:02d}", f"Thema {n}", 1, n, weeks, False) for n in range(1, 18)])
    card = await card_of(bot, "themes")
    assert [label for label, _, _ in shown(card)] == [f"Thema {n}" for n in range(17, 2, -1)]
    assert card["body"][-1]["text"] == "15 van de 17 thema's getoond, rode draden eerst."


async def test_no_themes_yet_says_so_with_the_configured_rule(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """Without stored themes the card says they come with the answers, and names the thresholds of the config."""
    bot = _with_themes(Bot(store, texts, now), ThemeRule(min_besturen=4, min_rkks=3, window_weeks=6))
    await bot.send(installed())
    card = await card_of(bot, "thema's")
    assert [e["text"] for e in card["body"]] == [
        "Thema's in de antwoorden",
        "Een thema wordt een rode draad zodra minstens 4 besturen uit minstens 3 RKK's erover antwoorden "
        "binnen 6 weken.",
        "Er zijn nog geen thema's. Thema's verschijnen hier zodra er antwoorden binnenkomen: de bot groepeert ze "
        "elke week nadat de vraag van de week afgesloten is.",
    ]


async def test_english_locale_gets_the_english_card(bot: Bot, store: SqlStore, now: datetime) -> None:
    """A coordinator with an English Teams gets English headings, states and counts."""
    magda = theme("t-magda", "MAGDA", 3, 5, ("2026-W10", "2026-W12"), True)
    await store_themes(store, now, [magda], {"t-magda": ThemeStatus.CROSSPOSTED})
    card = await card_of(bot, "themes", locale="en-US")
    assert card["body"][0]["text"] == "Themes in the answers"
    assert shown(card) == [
        (
            "MAGDA",
            "Common thread: yes · posted in RKK Overkoepelend",
            "5 local governments · 3 RKKs · weeks 2026-W10 to 2026-W12",
        )
    ]


async def test_members_are_refused_politely(bot: Bot, store: SqlStore, now: datetime) -> None:
    """A member who coordinates nothing gets the usual refusal and no card."""
    await store_themes(store, now, [theme("t-magda", "MAGDA documentendienst", 3, 5, ("2026-W10", "2026-W12"), True)])
    [reply] = await bot.send(channel_message("thema's", MEMBER))
    assert reply.text == ("Alleen coördinatoren kunnen **thema's** gebruiken. Vraag het aan de coördinator van je RKK.")
    assert not reply.attachments


async def test_without_theme_storage_the_bot_says_themes_are_unavailable(
    store: SqlStore, texts: Catalog, now: datetime
) -> None:
    """A bot built without theme storage answers with a sentence instead of an empty card."""
    bot = Bot(store, texts, now)
    await bot.send(installed())
    assert await bot.say("thema's") == (
        "De thema's zijn hier niet beschikbaar: de bot bewaart geen thema's in deze installatie. "
        "Vraag het aan de beheerder."
    )


async def test_help_lists_themes_for_coordinators_only(bot: Bot) -> None:
    """The help card names `thema's` in the coordinators' section; members do not see it."""
    description = "Toon de thema's die in de antwoorden terugkomen"
    assert "thema's" in await bot.say("help") and description in await bot.say("help")
    assert description not in await bot.say("help", MEMBER)
