"""A theme's description and the name a coordinator gave it, in the store (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, select

from rkk.crosspost.ports import ThemeChanges
from rkk.crosspost.publishing import crosspost_themes, leased_refresh
from rkk.crosspost.refresh import refresh_themes
from rkk.model import AuditEntry
from rkk.store.admin_store import AdminStore
from rkk.store.crosspost.tables import themes
from rkk.store.migrate import MIGRATIONS
from rkk.themes import Theme
from tests.integration.crosspost.conftest import World
from tests.unit.crosspost.examples import MAGDA, MAGDA_MORE, NOISE, PHISHING

NAME = "MAGDA: attesten zonder papier"


def entry(world: World, detail: str = "t: “a” → “b”") -> AuditEntry:
    """The audit entry a global coordinator's rename writes."""
    return AuditEntry(world.now, "aad-global", "Griet Globaal", "theme_rename", None, detail, "19:rode;messageid=1")


async def magda_key(world: World) -> str:
    """Seed the MAGDA and phishing answers, refresh, and return the MAGDA theme's key."""
    await world.seed(MAGDA + PHISHING)
    refreshed = await refresh_themes(world.themes, world.settings.rule, world.now)
    [magda] = [t for t in refreshed.themes if "MAGDA" in t.label]
    return magda.key


async def test_a_refresh_stores_each_themes_description(world: World) -> None:
    """The engine's one sentence is stored with the theme, and a theme nobody renamed shows its label."""
    await world.seed(MAGDA + PHISHING)
    refreshed = await refresh_themes(world.themes, world.settings.rule, world.now)
    stored = {t.key: t for t in await world.themes.list_themes()}
    for theme in refreshed.themes:
        assert stored[theme.key].description == theme.description != ""
        assert stored[theme.key].name == theme.label and stored[theme.key].custom_name is None


async def test_a_name_sticks_when_the_theme_grows_and_the_description_follows(world: World) -> None:
    """After a refresh that adds besturen and an RKK, the key and the name stay; the description is rewritten."""
    key = await magda_key(world)
    before = await world.themes.get_theme(key)
    assert before is not None and before.description.startswith("5 besturen uit 3 RKK's")
    await world.themes.rename_theme(key, NAME, entry(world))
    await world.seed(MAGDA_MORE)
    await refresh_themes(world.themes, world.settings.rule, world.later(7))
    after = await world.themes.get_theme(key)
    assert after is not None and len(after.spread.besturen) == 8
    assert (after.name, after.custom_name, after.label) == (NAME, NAME, before.label)
    assert after.description.startswith("8 besturen uit 4 RKK's")


async def test_a_label_that_changes_while_the_answers_do_not_is_rewritten(world: World) -> None:
    """A run rewrites the label and description of an untouched theme, and never its coordinator's name."""
    key = await magda_key(world)
    await world.themes.rename_theme(key, NAME, entry(world))
    relabel = ThemeChanges([], {}, [], {}, [], [], [], labels={key: ("MAGDA-documentendienst", "Nieuwe zin.")})
    await world.themes.save_changes(relabel, world.later(1))
    stored = await world.themes.get_theme(key)
    assert stored is not None
    assert (stored.label, stored.description, stored.name) == ("MAGDA-documentendienst", "Nieuwe zin.", NAME)


async def test_the_rename_and_its_audit_entry_are_stored_together(world: World) -> None:
    """The audit log says who renamed which theme, from what to what, and when."""
    key = await magda_key(world)
    await world.themes.rename_theme(key, NAME, entry(world, f"{key}: “MAGDA documentendienst” → “{NAME}”"))
    [logged] = await AdminStore(world.store.engine).audit_entries()
    assert logged == entry(world, f"{key}: “MAGDA documentendienst” → “{NAME}”")


async def test_the_name_moves_with_the_card_when_its_theme_is_merged(world: World) -> None:
    """A renamed theme folded into one without a card hands over its card and its name."""
    await world.seed(MAGDA + PHISHING)
    await crosspost_themes(world.themes, world.publisher, world.settings, world.now, holder="a")
    [magda] = [t for t in await world.themes.list_themes() if t.label == "MAGDA documentendienst"]
    await world.themes.rename_theme(magda.key, NAME, entry(world))
    survivor = Theme(
        "t-survivor",
        "MAGDA",
        ("magda",),
        (),
        ("antwerpen", "kempen"),
        ("Geel", "Mol"),
        "2026-W10",
        "2026-W12",
        recurring=False,
    )
    merge = ThemeChanges([survivor], {}, [], {magda.key: survivor.key}, [], [], [])
    await world.themes.save_changes(merge, world.later(1))
    after = await world.themes.get_theme(survivor.key)
    assert after is not None and (after.name, after.label) == (NAME, "MAGDA")
    post = await world.themes.get_crosspost(survivor.key)
    assert post is not None and post.state == "posted"


async def test_the_bots_themes_command_lists_names_and_descriptions(world: World) -> None:
    """`python app.py themes` without --input shows the coordinator's name and the stored description."""
    key = await magda_key(world)
    await world.themes.rename_theme(key, NAME, entry(world))
    current = await leased_refresh(world.themes, world.settings, world.later(1), holder="cli")
    assert current is not None
    [magda] = [t for t in current if t.key == key]
    stored = await world.themes.get_theme(key)
    assert stored is not None and (magda.label, magda.description) == (NAME, stored.description)


async def test_the_export_names_each_answers_theme_and_its_description(world: World) -> None:
    """Answers in a theme carry its displayed name and description; chatter in none carries empty columns."""
    await world.seed(NOISE)
    key = await magda_key(world)
    await world.themes.rename_theme(key, NAME, entry(world))
    stored = {t.label: t for t in await world.themes.list_themes()}
    rows = {row.text: row for row in await world.store.export_rows()}
    for _, _, _, text in MAGDA:
        assert (rows[text].theme, rows[text].theme_description) == (NAME, stored["MAGDA documentendienst"].description)
    for _, _, _, text in PHISHING:
        assert (rows[text].theme, rows[text].theme_description) == ("Phishing", stored["Phishing"].description)
    for _, _, _, text in NOISE:
        assert (rows[text].theme, rows[text].theme_description) == ("", "")


def _migrate(connection: Connection, target: str, upgrade: bool) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    (command.upgrade if upgrade else command.downgrade)(config, target)


def _theme_columns(connection: Connection) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns("themes")}


async def test_the_migration_goes_down_and_up_again_keeping_the_themes(world: World) -> None:
    """Down to 0006 drops description and name and keeps every theme; up again adds them back empty."""
    key = await magda_key(world)
    await world.themes.rename_theme(key, NAME, entry(world))
    engine = world.store.engine
    async with engine.begin() as conn:
        await conn.run_sync(_migrate, "0006", False)
        assert {"description", "name"}.isdisjoint(await conn.run_sync(_theme_columns))
        await conn.run_sync(_migrate, "heads", True)
        assert {"description", "name"} <= await conn.run_sync(_theme_columns)
    async with engine.connect() as conn:
        rows = (await conn.execute(select(themes.c.key, themes.c.name, themes.c.description))).all()
    assert key in {r.key for r in rows} and {(r.name, r.description) for r in rows} == {(None, "")}
