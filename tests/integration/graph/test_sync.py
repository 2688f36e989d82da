"""`sync` and `install` against the Graph double: what an operator must fix, and idempotent installation."""

from __future__ import annotations

import pytest

from bot.graph.adapter import MsGraph
from bot.graph.sync import Status, SyncEntry, format_table, install_missing, sync_report
from tests.doubles.graph_double import GraphState
from tests.integration.graph.conftest import APP_ID, TEAM_ID

# msgraph-sdk's generated request builders warn about their own deprecated classes when first used.
pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

GOOD = SyncEntry("kempen", TEAM_ID, "Vraag van de week")


@pytest.mark.asyncio
async def test_private_channel_is_reported(state: GraphState, graph: MsGraph) -> None:
    """A channel that is private gets an error row that says bots cannot post there."""
    state.install(TEAM_ID, APP_ID, [{"permissionValue": "ChannelMessage.Read.Group", "permissionType": "application"}])

    [row] = await sync_report(graph, [SyncEntry("kempen", TEAM_ID, "Kernteam")], APP_ID)

    assert row.status is Status.ERROR
    assert row.fixes == (
        "Kanaal 'Kernteam' is privé: bots kunnen niet posten in privékanalen; kies een standaardkanaal",
    )


@pytest.mark.asyncio
async def test_installed_app_and_standard_channel_are_fine(state: GraphState, graph: MsGraph) -> None:
    """A team named by display name, a standard channel and the app installed with RSC: all in order."""
    state.install(TEAM_ID, APP_ID, [{"permissionValue": "ChannelMessage.Read.Group", "permissionType": "application"}])

    [row] = await sync_report(graph, [SyncEntry("kempen", "RKK Kempen", "vraag van de week")], APP_ID)

    assert (row.status, row.fixes, row.team_id) == (Status.OK, (), TEAM_ID)


@pytest.mark.asyncio
async def test_missing_app_is_reported_with_the_install_command(graph: MsGraph) -> None:
    """Without the app installed, the row names the command that installs it."""
    [row] = await sync_report(graph, [GOOD], APP_ID)

    assert row.status is Status.ERROR
    assert "python app.py install --rkk kempen" in row.fixes[0]


@pytest.mark.asyncio
async def test_unknown_team_and_channel_are_reported(graph: MsGraph) -> None:
    """A team name nobody has, and a channel the team lacks, each get their own fix."""
    rows = await sync_report(
        graph, [SyncEntry("mol", "RKK Mol", "Algemeen"), SyncEntry("kempen", TEAM_ID, "Nergens")], APP_ID
    )

    assert "Team 'RKK Mol' bestaat niet" in rows[0].fixes[0]
    assert "Kanaal 'Nergens' bestaat niet in team 'RKK Kempen'" in rows[1].fixes[0]


@pytest.mark.asyncio
async def test_installation_is_idempotent(state: GraphState, graph: MsGraph) -> None:
    """Installing twice posts once and leaves one installation, with the RSC permission consented."""
    first = await install_missing(graph, [GOOD], APP_ID)
    second = await install_missing(graph, [GOOD], APP_ID)

    assert [r.installed for r in first + second] == [True, False]
    assert state.requests["installApp"] == 1
    [installation] = state.installed[TEAM_ID]
    assert installation["consentedPermissionSet"]["resourceSpecificPermissions"] == [
        {"permissionValue": "ChannelMessage.Read.Group", "permissionType": "application"}
    ]


@pytest.mark.asyncio
async def test_install_limited_to_one_rkk(state: GraphState, graph: MsGraph) -> None:
    """`--rkk` installs in that RKK's team only."""
    rows = await install_missing(graph, [GOOD, SyncEntry("mol", "RKK Mol", "Algemeen")], APP_ID, rkk="mol")

    assert [(r.rkk, r.installed) for r in rows] == [("mol", False)]
    assert state.installed[TEAM_ID] == []


def test_table_lists_each_entry_and_its_fixes() -> None:
    """The table has a header, a rule and a line per fix."""
    from bot.graph.sync import SyncRow

    rows = [
        SyncRow("kempen", "RKK Kempen", "Vraag", Status.OK),
        SyncRow("mol", "RKK Mol", "Kernteam", Status.ERROR, ("eerste fix", "tweede fix")),
    ]

    lines = format_table(rows).splitlines()

    assert lines[0].split() == ["RKK", "Team", "Kanaal", "Status", "Wat", "te", "doen"]
    assert "in orde" in lines[2] and "actie nodig" in lines[3] and lines[3].endswith("eerste fix")
    assert lines[4].strip() == "tweede fix"
