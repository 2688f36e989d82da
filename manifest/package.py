"""Building the Teams app package: fill in the app id, validate, and zip manifest, language files and icons.

The committed manifest keeps TEMPLATE_APP_ID (the nil GUID) wherever the Microsoft app id goes, so
the template itself validates against the official schema; the real id is filled in here.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import struct
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from manifest.validate import ManifestError, load_json, validate_document, validate_manifest

logger = logging.getLogger(__name__)

MANIFEST_DIR = Path(__file__).resolve().parent
TEMPLATE_APP_ID = "00000000-0000-0000-0000-000000000000"
ICON_SIZES: Mapping[str, tuple[int, int]] = {"color": (192, 192), "outline": (32, 32), "color32x32": (32, 32)}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HOSTNAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input always gives the same zip


class PackageError(ManifestError):
    """The Teams app package cannot be built."""


class InvalidAppIdError(PackageError):
    """The Microsoft app id given for the package is not a usable GUID."""


class InvalidDomainError(PackageError):
    """The bot endpoint domain is not a host name that validDomains accepts."""


class InvalidManifestError(PackageError):
    """The filled manifest, a language file or an icon does not meet the Teams requirements."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source} is not a valid Teams app:\n" + "\n".join(f"  - {error}" for error in errors))


def normalise_app_id(app_id: str) -> str:
    """The app id in lower case; raises InvalidAppIdError unless it is a real (non-template) GUID."""
    candidate = app_id.strip()
    if not _GUID.fullmatch(candidate):
        raise InvalidAppIdError(
            f"the Microsoft app id {app_id!r} is not a GUID (expected the form 12345678-abcd-1234-abcd-1234567890ab; "
            "set MicrosoftAppId to the bot's Entra app registration id)"
        )
    normalised = str(uuid.UUID(candidate))
    if normalised == TEMPLATE_APP_ID:
        raise InvalidAppIdError(
            f"the Microsoft app id {app_id!r} is the template placeholder; set MicrosoftAppId to the real app id"
        )
    return normalised


def endpoint_host(bot_endpoint_domain: str) -> str:
    """The host name of a bot endpoint given as a host ("bot.example.org") or a URL ("https://bot.example.org/api/messages")."""
    text = bot_endpoint_domain.strip()
    host = (urlsplit(text).hostname or "") if "://" in text else text.lower()
    if not _HOSTNAME.fullmatch(host):
        raise InvalidDomainError(
            f"the bot endpoint domain {bot_endpoint_domain!r} is not a host name such as rkkbot.example.org "
            "(no port, no path; a URL is accepted and reduced to its host)"
        )
    return host


def fill_manifest(
    template: Mapping[str, Any], app_id: str, bot_endpoint_domain: str | None, version: str | None = None
) -> dict[str, Any]:
    """A copy of the manifest template with the app id (and optionally domain and version) filled in."""
    app_id = normalise_app_id(app_id)
    manifest = copy.deepcopy(dict(template))
    manifest["id"] = app_id
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
    if "webApplicationInfo" in manifest:
        manifest["webApplicationInfo"]["id"] = app_id
    if bot_endpoint_domain:
        host = endpoint_host(bot_endpoint_domain)
        domains = list(manifest.get("validDomains", []))
        manifest["validDomains"] = domains if host in domains else [*domains, host]
    if version is not None:
        if not _SEMVER.fullmatch(version):
            raise PackageError(f"the app version {version!r} is not MAJOR.MINOR.PATCH (for example 1.0.3)")
        manifest["version"] = version
    leftover = json.dumps(manifest).count(TEMPLATE_APP_ID)
    if leftover:
        # A new field that carries the app id was added to the template without being filled above.
        raise PackageError(f"the template app id {TEMPLATE_APP_ID} is still present {leftover} time(s) after filling")
    return manifest


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR header; raises ValueError for anything that is not a PNG."""
    if len(data) < 24 or data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def build_package(
    manifest_dir: Path,
    out: Path,
    app_id: str,
    bot_endpoint_domain: str | None,
    *,
    version: str | None = None,
    schemas_dir: Path | None = None,
) -> Path:
    """Fill in and validate `manifest_dir/manifest.json` and write the Teams app zip to `out`."""
    template = load_json(manifest_dir / "manifest.json")
    manifest = fill_manifest(template, app_id, bot_endpoint_domain, version)
    errors = validate_manifest(manifest, schemas_dir)
    if errors:
        raise InvalidManifestError(str(manifest_dir / "manifest.json"), errors)

    files: dict[str, bytes] = {"manifest.json": _json_bytes(manifest)}
    for name in _language_files(manifest):
        path = _member(manifest_dir, name)
        problems = validate_document(load_json(path), schemas_dir)
        if problems:
            raise InvalidManifestError(str(path), problems)
        files[name] = path.read_bytes()
    icon_problems: list[str] = []
    for role, name in manifest["icons"].items():
        data = _member(manifest_dir, name).read_bytes()
        files[name] = data
        icon_problems += _icon_problems(role, name, data)
    if icon_problems:
        raise InvalidManifestError(str(manifest_dir), icon_problems)

    _write_zip(out, files)
    logger.info("wrote Teams app package %s for app id %s (%d files)", out, manifest["id"], len(files))
    return out


def _language_files(manifest: Mapping[str, Any]) -> list[str]:
    """The language files the manifest names, default file first."""
    info = manifest.get("localizationInfo", {})
    names = [info["defaultLanguageFile"]] if "defaultLanguageFile" in info else []
    return names + [language["file"] for language in info.get("additionalLanguages", [])]


def _member(manifest_dir: Path, name: str) -> Path:
    """A file the manifest names, which must lie inside the manifest folder."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        raise InvalidManifestError(
            str(manifest_dir / "manifest.json"), [f"{name!r}: must be a relative path inside the package"]
        )
    path = manifest_dir.joinpath(*relative.parts)
    if not path.is_file():
        raise InvalidManifestError(str(manifest_dir / "manifest.json"), [f"{name!r}: file not found in {manifest_dir}"])
    return path


def _icon_problems(role: str, name: str, data: bytes) -> list[str]:
    """What is wrong with an icon: not a PNG, or not the size Teams requires for its role."""
    try:
        size = png_size(data)
    except ValueError:
        return [f"icons.{role} ({name}): not a PNG file"]
    expected = ICON_SIZES.get(role)
    if expected and size != expected:
        return [f"icons.{role} ({name}): is {size[0]}x{size[1]}, Teams requires {expected[0]}x{expected[1]}"]
    return []


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_zip(out: Path, files: Mapping[str, bytes]) -> None:
    """Write the zip next to its destination first, so a failed run never leaves half a package."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
