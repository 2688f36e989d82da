"""A small, safe subset of the Adaptive Card Templating language for our JSON templates.

Supported: a string that is exactly "${name}" becomes the value itself (any JSON type);
"${name}" inside a longer string is replaced by the value's text; an element with
"$when": "${name}" is kept only when the value is truthy. Values are inserted once and never
re-scanned, so text a member typed can never expand into template syntax.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
_WHOLE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
_PART = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DROP = object()


class TemplateError(KeyError):
    """A template names a value the caller did not provide."""


@cache
def load_template(name: str) -> Any:
    """The parsed JSON template `templates/{name}.json`."""
    with (TEMPLATES / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def expand(template: Any, data: Mapping[str, Any]) -> Any:
    """A deep copy of the template with every placeholder filled from `data`."""
    result = _expand(template, data)
    return None if result is _DROP else result


def _expand(node: Any, data: Mapping[str, Any]) -> Any:
    if isinstance(node, dict):
        when = node.get("$when")
        if when is not None and not _value(when, data):
            return _DROP
        expanded = {key: _expand(value, data) for key, value in node.items() if key != "$when"}
        return {key: value for key, value in expanded.items() if value is not _DROP}
    if isinstance(node, list):
        items = [_expand(item, data) for item in node]
        return [item for item in items if item is not _DROP]
    if isinstance(node, str):
        return _value(node, data)
    return node


def _value(text: str, data: Mapping[str, Any]) -> Any:
    whole = _WHOLE.match(text)
    if whole:
        return _lookup(whole[1], data)
    return _PART.sub(lambda match: str(_lookup(match[1], data)), text)


def _lookup(name: str, data: Mapping[str, Any]) -> Any:
    try:
        return data[name]
    except KeyError as error:
        raise TemplateError(f"template value {name!r} missing") from error
