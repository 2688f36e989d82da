"""The Teams app manifest and its package, checked against Microsoft's official schemas in node_modules."""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bot.commands.registry import COMMANDS
from manifest.package import (
    MANIFEST_DIR,
    TEMPLATE_APP_ID,
    InvalidAppIdError,
    InvalidDomainError,
    InvalidManifestError,
    build_package,
)
from manifest.validate import (
    SCHEMAS_DIR,
    SchemaNotFoundError,
    UnknownSchemaError,
    schema_ref,
    stable_versions,
    validate_document,
    validate_manifest,
)

APP_ID = "5f0c3f5e-8a4b-4c53-9d0e-2b7a1c9e4d21"

pytestmark = pytest.mark.skipif(
    not SCHEMAS_DIR.is_dir(),
    reason=f"node_modules is missing ({SCHEMAS_DIR}); run `npm ci` to install @microsoft/app-manifest",
)


@pytest.fixture
def manifest() -> dict[str, Any]:
    """The committed manifest template."""
    return json.loads((MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def english() -> dict[str, Any]:
    """The committed English language file."""
    return json.loads((MANIFEST_DIR / "en.json").read_text(encoding="utf-8"))


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    """A package built from the committed files with a real-looking app id."""
    out = build_package(MANIFEST_DIR, tmp_path / "dist" / "rkkbot-teams.zip", APP_ID, "rkkbot.example.org")
    return zipfile.ZipFile(out)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_committed_manifest_matches_official_schema(manifest: dict[str, Any]) -> None:
    """The template as committed validates with zero errors against the schema its $schema names."""
    assert validate_manifest(manifest) == []


def test_english_language_file_matches_localization_schema(english: dict[str, Any]) -> None:
    """en.json validates with zero errors against the official localization schema."""
    assert schema_ref(english["$schema"]).file == "MicrosoftTeams.Localization.schema.json"
    assert validate_document(english) == []


def test_manifest_uses_newest_stable_schema_shipped(manifest: dict[str, Any], english: dict[str, Any]) -> None:
    """The manifest and en.json use the newest numbered (non-preview) schema in node_modules."""
    newest = stable_versions()[-1]
    assert schema_ref(manifest["$schema"]).folder == newest
    assert schema_ref(english["$schema"]).folder == newest
    assert (
        manifest["$schema"] == f"https://developer.microsoft.com/json-schemas/teams/{newest}/MicrosoftTeams.schema.json"
    )


def test_english_keys_name_strings_that_exist_in_manifest(manifest: dict[str, Any], english: dict[str, Any]) -> None:
    """Every command key in en.json points at a command of the manifest (indexes stay in step)."""
    lists = manifest["bots"][0]["commandLists"]
    for key in english:
        if key.startswith("bots["):
            list_index = int(key.split("commandLists[")[1].split("]")[0])
            command_index = int(key.split("commands[")[1].split("]")[0])
            assert command_index < len(lists[list_index]["commands"]), key


# Commands the full lists (12 each, Teams' maximum) leave out; `help` in the chat lists them.
UNLISTED = {
    "export",
    "rapport",
    *("scoor rode draden", "scoring status", "scoring sluiten", "scoring verlengen", "scoring resultaten"),
}


def test_bot_offers_the_dutch_commands_in_team_and_personal_scope(manifest: dict[str, Any]) -> None:
    """Both scopes list commands the bot understands (at most 12 each), together all but the unlisted ones."""
    bot = manifest["bots"][0]
    assert sorted(bot["scopes"]) == ["personal", "team"]
    assert bot["isNotificationOnly"] is False
    understood = [command.phrases[0] for command in COMMANDS]
    by_scope = {tuple(entry["scopes"]): [c["title"] for c in entry["commands"]] for entry in bot["commandLists"]}
    assert set(by_scope) == {("team",), ("personal",)}
    for titles in by_scope.values():
        assert len(titles) <= 12 and "help" in titles and set(titles) <= set(understood)
    listed = set(by_scope[("team",)]) | set(by_scope[("personal",)])
    assert listed == set(understood) - UNLISTED
    assert all(len(titles) == 12 for titles in by_scope.values()), "a list has room: list an unlisted command"


def test_bot_supports_files_for_the_export_in_personal_chat(manifest: dict[str, Any]) -> None:
    """`export` sends a file through Teams' file consent flow, which needs supportsFiles on the bot."""
    assert manifest["bots"][0]["supportsFiles"] is True


def test_manifest_asks_consent_to_read_channel_messages(manifest: dict[str, Any]) -> None:
    """RSC ChannelMessage.Read.Group (application) is requested, with the webApplicationInfo RSC needs."""
    permissions = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in permissions
    assert manifest["webApplicationInfo"]["id"] == manifest["id"] == TEMPLATE_APP_ID
    assert manifest["webApplicationInfo"]["resource"]


def test_package_holds_exactly_the_expected_files(package: zipfile.ZipFile) -> None:
    """The zip has manifest.json, en.json and both icons at its root, nothing else."""
    assert sorted(package.namelist()) == ["color.png", "en.json", "manifest.json", "outline.png"]


def test_package_icons_have_the_sizes_teams_requires(package: zipfile.ZipFile) -> None:
    """The colour icon is 192x192 and the outline icon 32x32 (read from the PNG header)."""
    assert _png_size(package.read("color.png")) == (192, 192)
    assert _png_size(package.read("outline.png")) == (32, 32)


def test_package_fills_in_the_app_id_everywhere(package: zipfile.ZipFile) -> None:
    """The app id replaces the template id in id, botId and webApplicationInfo, and nowhere is it left."""
    text = package.read("manifest.json").decode("utf-8")
    filled = json.loads(text)
    assert filled["id"] == filled["bots"][0]["botId"] == filled["webApplicationInfo"]["id"] == APP_ID
    assert TEMPLATE_APP_ID not in text


def test_packaged_manifest_still_validates(package: zipfile.ZipFile) -> None:
    """What goes into the zip is itself valid against the official schema."""
    assert validate_manifest(json.loads(package.read("manifest.json"))) == []


def test_package_adds_the_bot_domain_to_valid_domains(tmp_path: Path) -> None:
    """A bot endpoint given as a URL is reduced to its host in validDomains."""
    out = build_package(MANIFEST_DIR, tmp_path / "a.zip", APP_ID, "https://RKKbot.example.org/api/messages")
    filled = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert filled["validDomains"] == ["rkkbot.example.org"]


def test_same_input_gives_byte_identical_packages(tmp_path: Path) -> None:
    """Packaging is deterministic, so a rebuilt zip only differs when its content does."""
    first = build_package(MANIFEST_DIR, tmp_path / "a.zip", APP_ID, None)
    second = build_package(MANIFEST_DIR, tmp_path / "b.zip", APP_ID, None)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("bad_id", ["not-a-guid", "", "5f0c3f5e8a4b4c539d0e2b7a1c9e4d21", "{{MICROSOFT_APP_ID}}"])
def test_malformed_app_id_is_refused_with_a_clear_message(tmp_path: Path, bad_id: str) -> None:
    """An app id that is not a GUID stops packaging, naming the value and the setting to fix."""
    with pytest.raises(InvalidAppIdError, match=r"is not a GUID.*MicrosoftAppId"):
        build_package(MANIFEST_DIR, tmp_path / "x.zip", bad_id, None)
    assert not (tmp_path / "x.zip").exists()


def test_template_app_id_is_refused(tmp_path: Path) -> None:
    """The placeholder GUID of the template is not accepted as a real app id."""
    with pytest.raises(InvalidAppIdError, match="template placeholder"):
        build_package(MANIFEST_DIR, tmp_path / "x.zip", TEMPLATE_APP_ID, None)


def test_bot_domain_with_a_port_is_refused(tmp_path: Path) -> None:
    """validDomains takes host names only, so a host:port is refused before anything is written."""
    with pytest.raises(InvalidDomainError, match="not a host name"):
        build_package(MANIFEST_DIR, tmp_path / "x.zip", APP_ID, "localhost:3978")


def test_invalid_manifest_is_refused_listing_each_error(tmp_path: Path, manifest: dict[str, Any]) -> None:
    """A template that breaks the schema is refused with one line per error, naming the JSON path."""
    shutil.copytree(MANIFEST_DIR, tmp_path / "m", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest["name"]["short"] = "Vraag van de week voor alle regionale kenniskringen"
    manifest["accentColor"] = "blue"
    (tmp_path / "m" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InvalidManifestError) as caught:
        build_package(tmp_path / "m", tmp_path / "x.zip", APP_ID, None)
    assert any(error.startswith("name.short:") and "too long" in error for error in caught.value.errors)
    assert any(error.startswith("accentColor:") for error in caught.value.errors)
    assert "name.short" in str(caught.value)
    assert not (tmp_path / "x.zip").exists()


def test_wrong_icon_size_is_refused(tmp_path: Path) -> None:
    """An outline icon that is not 32x32 stops packaging with the sizes in the message."""
    shutil.copytree(MANIFEST_DIR, tmp_path / "m", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copy(MANIFEST_DIR / "color.png", tmp_path / "m" / "outline.png")
    with pytest.raises(InvalidManifestError, match=r"outline.*192x192.*32x32"):
        build_package(tmp_path / "m", tmp_path / "x.zip", APP_ID, None)


def test_stale_manifest_version_is_reported(manifest: dict[str, Any]) -> None:
    """manifestVersion must match the $schema version, which draft-04 validators alone would not check."""
    manifest["manifestVersion"] = "1.29"
    problems = validate_manifest(manifest)
    assert len(problems) == 1
    assert problems[0].startswith("manifestVersion: '1.29' does not match $schema")


def test_unofficial_schema_url_is_refused(manifest: dict[str, Any]) -> None:
    """A $schema that is not an official Teams schema URL raises a named error."""
    manifest["$schema"] = "https://example.org/my-schema.json"
    with pytest.raises(UnknownSchemaError, match="not an official Teams schema URL"):
        validate_manifest(manifest)


def test_missing_node_modules_gives_a_clear_error(tmp_path: Path, manifest: dict[str, Any]) -> None:
    """Without node_modules, validation says what is missing and to run npm ci."""
    with pytest.raises(SchemaNotFoundError, match="npm ci"):
        validate_manifest(manifest, schemas_dir=tmp_path / "node_modules-missing")
