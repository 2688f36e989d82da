"""Cross-posting recurring themes to RKK Overkoepelend: once, updated when they grow, never twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import update

from bot.outbound.retry import ConnectorError, OutcomeUnknown
from rkk.crosspost.model import ThemeStatus
from rkk.crosspost.publishing import CLAIM_LEASE, crosspost_themes
from rkk.rounds import Stopped
from rkk.store.crosspost.tables import theme_crossposts
from tests.integration.crosspost.conftest import UMBRELLA_CHANNEL, UMBRELLA_TEAM, World
from tests.unit.crosspost.examples import LOCAL, MAGDA, MAGDA_MORE, NOISE, PHISHING


async def run(world: World, days: int = 0, holder: str = "replica-a"):  # type: ignore[no-untyped-def]
    """One cross-post run at now + days."""
    return await crosspost_themes(world.themes, world.publisher, world.settings, world.later(days), holder=holder)


async def test_each_recurring_theme_is_posted_once_in_the_umbrella_channel(world: World) -> None:
    """Two rode draden give two cards in the configured umbrella channel; a second run posts nothing."""
    await world.seed(MAGDA + PHISHING + LOCAL + NOISE)
    first = await run(world)
    second = await run(world, 7)
    assert len(first.posted) == 2 and second.posted == [] and second.updated == []
    assert len(world.connector.threads) == 2
    assert {(t.team_id, t.channel_id) for t, _ in world.connector.threads} == {(UMBRELLA_TEAM, UMBRELLA_CHANNEL)}
    statuses = {t.status for t in await world.themes.list_themes() if t.recurring}
    assert statuses == {ThemeStatus.CROSSPOSTED}


async def test_a_growing_theme_updates_its_card_and_replies_in_its_thread(world: World) -> None:
    """New RKKs and besturen update the existing card and add one reply saying what changed."""
    await world.seed(MAGDA + PHISHING)
    await run(world)
    await world.seed(MAGDA_MORE)
    report = await run(world, 7)
    assert len(world.connector.threads) == 2
    assert len(report.updated) == 1
    [(conversation, activity_id, activity)] = world.connector.updates
    assert "4 RKK's · 8 besturen" in str(activity.attachments[0].content)
    [(reply_thread, reply)] = world.connector.sent
    assert reply_thread == conversation and reply_thread.endswith(f";messageid={activity_id}")
    assert "RKK Oost\\-Vlaanderen" in reply.text and "Deinze" in reply.text and "Genk" in reply.text
    assert (await run(world, 14)).updated == []


async def test_without_the_umbrella_team_nothing_is_posted(store, texts, now) -> None:  # type: ignore[no-untyped-def]
    """When the bot is not installed in the Overkoepelend team the run skips posting."""
    world = World(store, texts, now)
    await world.setup(umbrella=False)
    await world.seed(MAGDA)
    report = await run(world)
    assert report.skipped == "umbrella" and world.connector.threads == []


async def test_a_failed_post_is_retried_by_the_next_run_and_posted_once(world: World) -> None:
    """Teams refusing the post leaves the claim failed; the next run posts exactly one card."""
    await world.seed(MAGDA)
    world.connector.fail.append(ConnectorError("Teams answered 503", 503))
    assert len((await run(world)).failed) == 1
    assert len((await run(world, 1)).posted) == 1
    assert len(world.connector.threads) == 1


async def test_an_unanswered_post_is_never_repeated(world: World) -> None:
    """When Teams gave no answer the card may exist: the claim stays and no second card follows."""
    await world.seed(MAGDA)
    world.connector.fail.append(OutcomeUnknown("no answer from Teams"))
    await run(world)
    await run(world, 1)
    assert world.connector.threads == []


async def test_another_replica_holding_the_lease_makes_the_run_skip(world: World) -> None:
    """Only one replica refreshes and posts at a time."""
    await world.seed(MAGDA)
    assert await world.themes.lease("themes", "replica-b", world.now, 900)
    report = await run(world, holder="replica-a")
    assert report.skipped == "lease" and world.connector.threads == []


async def test_quotes_show_the_bestuur_but_no_member_name_by_default(world: World) -> None:
    """Member names stay off the card unless names are allowed."""
    await world.seed(MAGDA)
    await run(world)
    card = str(world.connector.cards()[0])
    assert "Lid " not in card
    assert any(bestuur in card for _, bestuur, _, _ in MAGDA)


async def test_quotes_show_member_names_when_allowed(world: World) -> None:
    """With show_names the quotes name their member."""
    world.settings = replace(world.settings, show_names=True)
    await world.seed(MAGDA)
    await run(world)
    assert "Lid " in str(world.connector.cards()[0])


async def test_the_card_links_to_the_source_threads(world: World) -> None:
    """Each question thread with answers is linked with a Teams deep link."""
    await world.seed(MAGDA)
    await run(world)
    card = str(world.connector.cards()[0])
    assert card.count("https://teams.microsoft.com/l/message/") == 5


async def claim_left_by_a_dead_process(world: World, sending: bool) -> None:
    """MAGDA's card as a process left it that died after claiming it (and, if `sending`, inside the request)."""
    await world.seed(MAGDA)
    await run(world, holder="dead:1")  # refreshes the themes and posts; the row is then set back to the claim
    world.connector.threads.clear()
    async with world.store.engine.begin() as conn:
        await conn.execute(
            update(theme_crossposts).values(
                state="claimed",
                owner="dead:1",
                claimed_at=world.now,
                lease_until=world.now + CLAIM_LEASE,
                sending_at=world.now if sending else None,
                message_id=None,
            )
        )


async def test_unsent_claim_of_a_dead_process_is_retaken_after_its_lease(world: World) -> None:
    """A card claimed by a process that died before sending is posted by a later run once the lease ran out."""
    await claim_left_by_a_dead_process(world, sending=False)

    early = await run(world, holder="replica-a")
    later = await crosspost_themes(
        world.themes, world.publisher, world.settings, world.now + timedelta(minutes=6), holder="replica-a"
    )

    assert early.posted == [] and len(later.posted) == 1
    assert len(world.connector.threads) == 1


async def test_claim_whose_request_may_have_reached_teams_is_never_retaken(world: World) -> None:
    """A dead process that was inside the call to Teams may have posted the card: no second card follows."""
    await claim_left_by_a_dead_process(world, sending=True)

    report = await crosspost_themes(
        world.themes, world.publisher, world.settings, world.now + timedelta(hours=2), holder="replica-a"
    )

    assert report.posted == [] and world.connector.threads == []


async def test_card_not_sent_because_the_process_stops_is_posted_by_the_next_run(world: World) -> None:
    """A stop before the request went releases the claim: the next run posts the card, once."""
    await world.seed(MAGDA)
    world.connector.fail.append(Stopped("post in channel: not sent, the process is stopping"))

    stopped = await run(world)
    again = await run(world, 1)

    assert stopped.skipped == "stopping" and stopped.posted == []
    assert len(again.posted) == 1 and len(world.connector.threads) == 1
