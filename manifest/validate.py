"""Validation of Teams app manifests and language files against Microsoft's official JSON schemas.

The schemas ship in the npm package `@microsoft/app-manifest` (see package.json); a document names
its schema with `$schema`, and the version in that URL picks the file under node_modules.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

logger = logging.getLogger(__name__)

SCHEMAS_DIR = (
    Path(__file__)
    .resolve()
    .parent.parent.joinpath("node_modules", "@microsoft", "app-manifest", "build", "json-schemas", "teams")
)
MANIFEST_SCHEMA_FILE = "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_FILE = "MicrosoftTeams.Localization.schema.json"
_SCHEMA_URL = re.compile(
    r"/json-schemas/teams/(?P<folder>v\d+\.\d+|vDevPreview)/(?P<file>MicrosoftTeams(?:\.[A-Za-z]+)?\.schema\.json)$"
)
_MAX_MESSAGE = 240


class ManifestError(Exception):
    """Base class of the errors raised while validating or packaging the Teams app."""


class SchemaNotFoundError(ManifestError):
    """The official schema file is not on disk (node_modules missing, or a version it does not ship)."""


class UnknownSchemaError(ManifestError):
    """A document has no `$schema`, or one that is not an official Teams schema URL."""


@dataclass(frozen=True)
class SchemaRef:
    """Which official schema a `$schema` URL names: folder `v1.30` and file `MicrosoftTeams.schema.json`."""

    folder: str
    file: str

    @property
    def manifest_version(self) -> str:
        """The `manifestVersion` value that goes with this schema ("1.30", or "devPreview")."""
        return "devPreview" if self.folder == "vDevPreview" else self.folder[1:]


def schema_ref(schema_url: str) -> SchemaRef:
    """Parse an official schema URL such as .../json-schemas/teams/v1.30/MicrosoftTeams.schema.json."""
    match = _SCHEMA_URL.search(schema_url.strip())
    if not match:
        raise UnknownSchemaError(
            f"$schema {schema_url!r} is not an official Teams schema URL "
            "(expected https://developer.microsoft.com/json-schemas/teams/v1.xx/MicrosoftTeams.schema.json)"
        )
    return SchemaRef(folder=match["folder"], file=match["file"])


def schema_path(schema_url: str, schemas_dir: Path | None = None) -> Path:
    """The local copy of the schema that `schema_url` names; raises SchemaNotFoundError if absent."""
    ref = schema_ref(schema_url)
    root = schemas_dir or SCHEMAS_DIR
    if not root.is_dir():
        raise SchemaNotFoundError(
            f"the Teams manifest schemas are missing: {root} does not exist. "
            "Run `npm ci` in the project root to install @microsoft/app-manifest."
        )
    path = root / ref.folder / ref.file
    if not path.is_file():
        shipped = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir()))
        raise SchemaNotFoundError(f"no schema {ref.folder}/{ref.file} under {root} (versions there: {shipped})")
    return path


def stable_versions(schemas_dir: Path | None = None) -> list[str]:
    """The numbered schema folders shipped in node_modules, oldest first ("v1.0" ... "v1.30")."""
    root = schemas_dir or SCHEMAS_DIR
    if not root.is_dir():
        raise SchemaNotFoundError(f"the Teams manifest schemas are missing: {root} does not exist (run `npm ci`)")
    numbered = [p.name for p in root.iterdir() if p.is_dir() and re.fullmatch(r"v\d+\.\d+", p.name)]
    return sorted(numbered, key=lambda name: tuple(int(part) for part in name[1:].split(".")))


def validate_document(document: Mapping[str, Any], schemas_dir: Path | None = None) -> list[str]:
    """Readable errors of a manifest or language file against the schema its `$schema` names; [] if valid."""
    url = document.get("$schema")
    if not isinstance(url, str):
        raise UnknownSchemaError("the document has no $schema naming its official Teams schema")
    validator = _validator(schema_path(url, schemas_dir))
    errors = sorted(validator.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [f"{_path(error.absolute_path)}: {_describe(error)}" for error in errors]


def validate_manifest(manifest: Mapping[str, Any], schemas_dir: Path | None = None) -> list[str]:
    """Readable errors of an app manifest against its official schema, plus the checks draft-04 cannot express."""
    problems = validate_document(manifest, schemas_dir)
    ref = schema_ref(str(manifest["$schema"]))
    if ref.file != MANIFEST_SCHEMA_FILE:
        problems.append(f"$schema: names {ref.file}, not the app manifest schema {MANIFEST_SCHEMA_FILE}")
    # The schemas declare draft-04 but pin manifestVersion with `const`, a draft-06 keyword that
    # draft-04 validators ignore: check it here so a stale manifestVersion cannot slip through.
    if manifest.get("manifestVersion") != ref.manifest_version:
        problems.append(
            f"manifestVersion: {manifest.get('manifestVersion')!r} does not match $schema {ref.folder} "
            f"(expected {ref.manifest_version!r})"
        )
    return problems


def load_json(path: Path) -> dict[str, Any]:
    """A JSON object read from a UTF-8 file (a BOM is tolerated, as Teams does)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path}: cannot read JSON ({error})") from error
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a JSON object at the top level")
    return data


@cache
def _validator(path: Path) -> Validator:
    """A validator for the schema file, of the draft the schema declares (draft-04 for Teams)."""
    schema = json.loads(path.read_text(encoding="utf-8-sig"))
    base = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    # Microsoft's schemas use ECMAScript regex features Python's `re` lacks (`\p{L}` in Office add-in
    # function names), so jsonschema's own check_schema() rejects them; patterns that do not compile are
    # skipped instead of crashing the whole validation.
    cls = jsonschema.validators.extend(base, {"pattern": _pattern_keyword})
    logger.debug("loaded %s with %s", path, base.__name__)
    return cls(schema, format_checker=base.FORMAT_CHECKER)


def _pattern_keyword(
    validator: Validator, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """The `pattern` keyword, tolerant of patterns Python cannot compile."""
    if not isinstance(instance, str):
        return
    compiled = _compile(pattern)
    if compiled is not None and not compiled.search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        logger.warning("schema pattern %r is not valid in Python; values it governs are not checked", pattern)
        return None


def _path(parts: Iterable[str | int]) -> str:
    """A JSON path like `bots[0].commandLists[1].commands`; keys with dots (language files) are quoted."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text or "(top level)"


def _describe(error: jsonschema.ValidationError) -> str:
    """jsonschema quotes whole instances in its messages; summarise big ones and keep one short line."""
    message = error.message
    quoted = repr(error.instance)
    if len(quoted) > 60 and quoted in message:
        if isinstance(error.instance, list):
            summary = f"the array of {len(error.instance)} items"
        elif isinstance(error.instance, dict):
            summary = "the object"
        else:
            summary = quoted[:57] + "…"
        message = message.replace(quoted, summary)
    flat = " ".join(message.split())
    return flat if len(flat) <= _MAX_MESSAGE else flat[: _MAX_MESSAGE - 1] + "…"
