"""Team owners count as coordinators of their RKK when configured: read through Graph (the double)."""

from __future__ import annotations

from bot.graph.adapter import MsGraph
from rkk.access import Coordinators, Person, TeamOwners
from rkk.model import Rkk
from scheduler.owners import OwnerRefresh
from tests.integration.graph.conftest import TEAM_ID

KEMPEN = Rkk("kempen", "RKK Kempen", "19:kempen@thread.tacv2", "19:kempen@thread.tacv2", None)
ANTWERPEN = Rkk("antwerpen", "RKK Antwerpen", "19:antwerpen@thread.tacv2", "19:antwerpen@thread.tacv2", None)


async def _rkks() -> list[Rkk]:
    return [KEMPEN, ANTWERPEN]


async def _groups() -> dict[str, str]:
    return {"19:kempen@thread.tacv2": TEAM_ID, "19:antwerpen@thread.tacv2": "00000000-dead-beef-0000-000000000000"}


async def test_team_owner_may_steer_their_own_rkk_only(graph: MsGraph) -> None:
    """An owner of the Kempen team coordinates Kempen; a plain member and other RKKs stay closed."""
    owners = TeamOwners()
    read = await OwnerRefresh(graph, owners, _rkks, _groups).run()
    coordinators = Coordinators.build([], {}, everyone=False, owners=owners)
    assert read == 1  # Antwerpen's group is unknown to Graph: skipped, not fatal
    assert coordinators.may_steer(Person("aad-an", None), "kempen")
    assert not coordinators.may_steer(Person("aad-an", None), "antwerpen")
    assert not coordinators.may_steer(Person("aad-jan", None), "kempen")
    assert coordinators.rkks_of(Person("AAD-AN", None)) == ["kempen"]


async def test_owners_stay_as_they_were_when_graph_fails(graph: MsGraph) -> None:
    """A team whose owners cannot be read keeps its last known owners."""
    owners = TeamOwners()
    owners.replace("antwerpen", ["aad-old"])
    await OwnerRefresh(graph, owners, _rkks, _groups).run()
    assert owners.of("antwerpen") == frozenset({"aad-old"})
