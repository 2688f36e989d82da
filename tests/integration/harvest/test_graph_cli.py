"""`python app.py sync` and `install` as functions, against the Graph double: the table, the exit codes."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.graph.adapter import MsGraph
from bot.graph.cli import EXIT_FIX, EXIT_OK, EXIT_USAGE, run_install, run_sync, sync_entries
from bot.graph.sync import SyncEntry
from config.rkk_config import BotConfig, load_config
from i18n.catalog import Catalog
from tests.doubles.graph_double import GraphState
from tests.integration.harvest.conftest import APP_ID, TEAM_ID, TEAMS_ID

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

RSC = [{"permissionValue": "ChannelMessage.Read.Group", "permissionType": "application"}]
CONFIG = f"""\
rkks:
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
    channel: Vraag van de week
  - key: kern
    name: RKK Kern
    team: {TEAM_ID}
    channel: Kernteam
overkoepelend:
  team: "{TEAMS_ID}"
questions: questions.yaml
"""


@pytest.fixture
def config(tmp_path: Path) -> BotConfig:
    """Two RKKs in the Kempen team (one on a private channel) and the umbrella named by its Teams thread id."""
    (tmp_path / "questions.yaml").write_text(
        "questions:\n  - key: q1\n    text: Welke tools gebruiken jullie?\n", encoding="utf-8"
    )
    (tmp_path / "rkks.yaml").write_text(CONFIG, encoding="utf-8")
    return load_config(tmp_path / "rkks.yaml")


def test_entries_cover_every_rkk_and_the_umbrella_by_group_id(config: BotConfig) -> None:
    """A Teams thread id known from installation becomes the group id; no channel means General."""
    assert sync_entries(config, {TEAMS_ID: TEAM_ID}) == [
        SyncEntry("kempen", "RKK Kempen", "Vraag van de week"),
        SyncEntry("kern", TEAM_ID, "Kernteam"),
        SyncEntry("overkoepelend", TEAM_ID, "General"),
    ]


async def test_sync_reports_the_private_channel_and_exits_1(
    state: GraphState, graph: MsGraph, config: BotConfig, texts: Catalog
) -> None:
    """The Dutch table shows what is fine and tells the operator the private channel cannot be used."""
    state.install(TEAM_ID, APP_ID, RSC)
    out, err = io.StringIO(), io.StringIO()

    code = await run_sync(graph, config, APP_ID, texts, known_groups={TEAMS_ID: TEAM_ID}, out=out, err=err)

    lines = out.getvalue().splitlines()
    assert code == EXIT_FIX and err.getvalue() == ""
    assert lines[0].split() == ["RKK", "Team", "Kanaal", "Status", "Wat", "te", "doen"]
    assert next(line for line in lines if line.startswith("kempen")).split()[-2:] == ["in", "orde"]
    assert "Kanaal 'Kernteam' is privé: bots kunnen niet posten in privékanalen" in out.getvalue()
    assert lines[-1] == "2 in orde, 0 let op, 1 actie nodig."


async def test_sync_of_a_healthy_setup_exits_0(
    state: GraphState, graph: MsGraph, config: BotConfig, texts: Catalog
) -> None:
    """Without the private channel every row is fine."""
    state.install(TEAM_ID, APP_ID, RSC)
    fine = BotConfig(**{**vars(config), "rkks": config.rkks[:1], "umbrella": None})
    out = io.StringIO()

    assert await run_sync(graph, fine, APP_ID, texts, out=out) == EXIT_OK
    assert out.getvalue().splitlines()[-1] == "1 in orde, 0 let op, 0 actie nodig."


async def test_install_adds_the_app_once_with_its_consent(
    state: GraphState, graph: MsGraph, config: BotConfig, texts: Catalog
) -> None:
    """The first run installs in the team; a second run finds it there; a team Graph cannot find fails."""
    first, second, third = io.StringIO(), io.StringIO(), io.StringIO()

    code = await run_install(graph, config, APP_ID, texts, rkk="kempen", out=first)
    again = await run_install(graph, config, APP_ID, texts, known_groups={TEAMS_ID: TEAM_ID}, out=second)
    unresolved = await run_install(graph, config, APP_ID, texts, out=third)

    assert (code, again, unresolved) == (EXIT_OK, EXIT_OK, EXIT_FIX)
    assert "kempen  RKK Kempen  geïnstalleerd" in first.getvalue()
    assert first.getvalue().splitlines()[-1] == "1 geïnstalleerd, 0 waren al geïnstalleerd, 0 mislukt."
    assert second.getvalue().splitlines()[-1] == "0 geïnstalleerd, 3 waren al geïnstalleerd, 0 mislukt."
    assert third.getvalue().splitlines()[-1] == "0 geïnstalleerd, 2 waren al geïnstalleerd, 1 mislukt."
    assert len(state.installed[TEAM_ID]) == 1
    assert state.installed[TEAM_ID][0]["consentedPermissionSet"]["resourceSpecificPermissions"] == RSC


async def test_install_of_an_unknown_rkk_exits_2(graph: MsGraph, config: BotConfig, texts: Catalog) -> None:
    """An RKK key not in the config is named with the keys that exist."""
    err = io.StringIO()

    assert await run_install(graph, config, APP_ID, texts, rkk="mol", err=err) == EXIT_USAGE
    assert err.getvalue().strip() == "Ik ken geen RKK 'mol'. Bekende RKK's: kempen, kern, overkoepelend."


async def test_without_graph_or_app_id_the_commands_say_what_to_set(config: BotConfig, texts: Catalog) -> None:
    """No Graph credential, or no Teams app id: exit 2 with the setting to fix."""
    no_graph, no_app = io.StringIO(), io.StringIO()

    assert await run_sync(None, config, APP_ID, texts, err=no_graph) == EXIT_USAGE
    assert await run_install(object(), config, "", texts, err=no_app) == EXIT_USAGE  # type: ignore[arg-type]
    assert "AZURE_CLIENT_SECRET" in no_graph.getvalue()
    assert "--app-id" in no_app.getvalue()


THREE_TEAMS = """\
rkks:
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
    channel: Vraag van de week
  - key: mol
    name: RKK Mol
    team: RKK Mol
  - key: geel
    name: RKK Geel
    team: RKK Geel
questions: questions.yaml
"""


async def test_sync_after_install_reports_every_installed_team_in_order(
    state: GraphState, graph: MsGraph, tmp_path: Path, texts: Catalog
) -> None:
    """Right after `install` set up three teams with consent, `sync` finds nothing to warn about."""
    state.add_team("6a1e0c3b-2b3c-4d5e-9f00-112233445566", "RKK Mol")
    state.add_team("7b2f1d4c-3c4d-4e5f-8a11-223344556677", "RKK Geel")
    (tmp_path / "questions.yaml").write_text("questions:\n  - key: q1\n    text: Welke tools gebruiken jullie?\n")
    (tmp_path / "rkks.yaml").write_text(THREE_TEAMS, encoding="utf-8")
    config = load_config(tmp_path / "rkks.yaml")
    out = io.StringIO()

    assert await run_install(graph, config, APP_ID, texts, out=io.StringIO()) == EXIT_OK
    assert await run_sync(graph, config, APP_ID, texts, out=out) == EXIT_OK

    assert out.getvalue().splitlines()[-1] == "3 in orde, 0 let op, 0 actie nodig."
    assert "let op" not in "".join(out.getvalue().splitlines()[2:-2])


async def test_installation_lookup_selects_the_consented_permissions_as_graph_documents(
    state: GraphState, graph: MsGraph
) -> None:
    """The installedApps query names consentedPermissionSet in $select, beside the documented $expand and $filter."""
    state.install(TEAM_ID, APP_ID, RSC)

    found = await graph.installation(TEAM_ID, APP_ID)

    assert found is not None and found.consented == ("ChannelMessage.Read.Group",)
    [(method, target, status)] = [entry for entry in state.log if "/installedApps" in entry[1]]
    query = dict(parse_qsl(urlsplit(target).query))
    assert (method, status) == ("GET", 200)
    assert query == {
        "$expand": "teamsApp,teamsAppDefinition",
        "$filter": f"teamsApp/id eq '{APP_ID}'",
        "$select": "id,consentedPermissionSet",
    }
