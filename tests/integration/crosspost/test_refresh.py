"""Theme detection wired through the store: features read once, themes stored, changes incremental."""

from __future__ import annotations

from sqlalchemy import select, update

from rkk.store.tables import answers
from rkk.store.theme_tables import theme_features
from rkk.theme_refresh import refresh_themes
from rkk.themes import FEATURES_VERSION, ThemeAnswer, detect_themes
from tests.integration.crosspost.conftest import World
from tests.unit.crosspost.examples import LOCAL, MAGDA, MAGDA_MORE, NOISE, PHISHING


async def test_dutch_rode_draden_are_found_and_stored(world: World) -> None:
    """MAGDA and phishing answers from three RKKs become two recurring stored themes."""
    await world.seed(MAGDA + PHISHING + LOCAL + NOISE)
    result = await refresh_themes(world.themes, world.settings.rule, world.now)
    stored = {t.label: t for t in await world.themes.list_themes()}
    assert {label for label, t in stored.items() if t.recurring} == {"MAGDA documentendienst", "phishing klik"}
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
    async with world.store.engine.begin() as conn:
        await conn.execute(update(answers).where(answers.c.id == ids[0]).values(hidden=True))
    result = await refresh_themes(world.themes, world.settings.rule, world.later(1))
    assert result.removed == 1
    assert str(ids[0]) not in await world.themes.theme_assignment()
    [theme] = await world.themes.list_themes()
    assert len(theme.spread.besturen) == 4 and not theme.recurring
    async with world.store.engine.connect() as conn:
        left = (await conn.execute(select(theme_features.c.answer_id))).scalars().all()
    assert ids[0] not in left
