"""The Teams app: manifest template, icons, validation against the official schemas, and packaging."""

from manifest.package import (
    MANIFEST_DIR,
    TEMPLATE_APP_ID,
    InvalidAppIdError,
    InvalidDomainError,
    InvalidManifestError,
    PackageError,
    build_package,
)
from manifest.validate import (
    ManifestError,
    SchemaNotFoundError,
    UnknownSchemaError,
    validate_document,
    validate_manifest,
)

__all__ = [
    "MANIFEST_DIR",
    "TEMPLATE_APP_ID",
    "InvalidAppIdError",
    "InvalidDomainError",
    "InvalidManifestError",
    "ManifestError",
    "PackageError",
    "SchemaNotFoundError",
    "UnknownSchemaError",
    "build_package",
    "validate_document",
    "validate_manifest",
]
