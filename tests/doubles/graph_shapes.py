"""The Graph double's requests and answers: a call to one resource, an answer, Graph's error shape."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class Answer:
    """One Graph answer, before it becomes an HTTP response or a batch item."""

    status: int
    body: Any = None
    headers: dict[str, str] | None = None


@dataclass
class Call:
    """A request to one Graph resource: method, path below the version, query, body and the url parts."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    base: str  # e.g. http://127.0.0.1:port/v1.0
    params: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def target(self) -> str:
        """Path and raw query, for fault matching and logs."""
        if not self.query:
            return self.path
        return self.path + "?" + "&".join(f"{k}={v}" for k, v in self.query.items())


class BadRequest(Exception):
    """A request Graph would refuse with 400."""


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Answer:
    """Graph's error shape."""
    inner = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()),
        "client-request-id": str(uuid.uuid4()),
    }
    return Answer(status, {"error": {"code": code, "message": message, "innerError": inner}}, headers)
