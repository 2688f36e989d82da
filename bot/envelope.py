"""What /api/messages checks before any work: the body is shallow JSON and carries what every Teams activity has.

A sender controls all of it (in demo mode without authentication, completely), so each check names
what is wrong in a 400 instead of letting botbuilder or the store fail later with a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlparse

logger = logging.getLogger(__name__)

MAX_DEPTH = 32  # Teams activities nest about 8 levels (card data inside an action inside a value)
MAX_ID_CHARS = 400  # the widest id column (conversation ids in threads); Teams' own ids are far shorter
MAX_MEMBER_ID_CHARS = 100  # members are stored under their Entra object id (else their Teams id) in 100 characters
MAX_SERVICE_URL_CHARS = 500  # the column the service URL is stored in


class BadEnvelope(ValueError):
    """The request body is not an activity the bot can work with; the message says why."""


def parse_activity_json(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object of bounded depth that has the fields every Teams activity carries."""
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadEnvelope("body is not JSON") from error
    except RecursionError as error:  # the C decoder gives up on arrays nested thousands deep
        raise BadEnvelope(f"JSON nested deeper than {MAX_DEPTH} levels") from error
    if _depth_exceeds(body, MAX_DEPTH):
        raise BadEnvelope(f"JSON nested deeper than {MAX_DEPTH} levels")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise BadEnvelope("body is not an activity (an object with a type)")
    _check_envelope(body)
    return body


def _check_envelope(body: dict[str, Any]) -> None:
    """serviceUrl, channelId, conversation, from and recipient: present, of the right type, of sane size."""
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.strip():
        raise BadEnvelope("serviceUrl is missing")
    if len(service_url) > MAX_SERVICE_URL_CHARS or not _is_http_url(service_url):
        raise BadEnvelope("serviceUrl is not an http(s) URL")
    _text(body, "channelId", "channelId")
    for name in ("conversation", "from", "recipient"):
        account = body.get(name)
        if not isinstance(account, dict):
            raise BadEnvelope(f"{name} is missing")
        _text(account, "id", f"{name}.id")
        for optional in ("aadObjectId", "tenantId"):
            if account.get(optional) is not None:
                _text(account, optional, f"{name}.{optional}", MAX_MEMBER_ID_CHARS)
    sender = body["from"]
    if sender.get("aadObjectId") is None:  # then the Teams id is the key a member is stored under
        _text(sender, "id", "from.id", MAX_MEMBER_ID_CHARS)
    if body.get("id") is not None:
        _text(body, "id", "id")
    # Lists botbuilder walks without checking what is in them (a mention without a type is an AttributeError).
    for name, key in (("entities", "type"), ("membersAdded", "id"), ("membersRemoved", "id"), ("attachments", None)):
        items = body.get(name)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise BadEnvelope(f"{name} must be a list of objects")
        for item in items:
            if key is not None:
                _text(item, key, f"{name}[].{key}")
    if body.get("text") is not None and not isinstance(body["text"], str):
        raise BadEnvelope("text must be a string")
    for entity in body.get("entities") or []:
        if entity["type"].lower() == "mention":
            _check_mention(entity, body)


def _check_mention(entity: dict[str, Any], body: dict[str, Any]) -> None:
    """What botbuilder's mention helpers index without looking: mentioned.id, a name or text, the message text."""
    mentioned = entity.get("mentioned")
    if not isinstance(mentioned, dict):
        raise BadEnvelope("a mention must name who is mentioned")
    _text(mentioned, "id", "mentioned.id")
    for key, value in (("text", entity.get("text")), ("mentioned.name", mentioned.get("name"))):
        if value is not None and not isinstance(value, str):
            raise BadEnvelope(f"{key} of a mention must be a string")
    if entity.get("text") is None and mentioned.get("name") is None:
        raise BadEnvelope("a mention needs its text or the mentioned name")
    if not isinstance(body.get("text"), str):
        raise BadEnvelope("a message with a mention needs its text")


def _text(container: dict[str, Any], key: str, label: str, limit: int = MAX_ID_CHARS) -> None:
    value = container.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadEnvelope(f"{label} must be a non-empty string of at most {limit} characters")


def _is_http_url(value: str) -> bool:
    try:
        parsed = urlparse(value)
        _ = parsed.port  # raises on a port that is not a number
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname) and not any(c.isspace() for c in value)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative, so a deep body cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False
