"""The message catalogue: one YAML file of texts, each in Dutch and English."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
MESSAGES = Path(__file__).with_name("messages")  # one YAML file per feature; keys are unique across files


def language_for(locale: str | None) -> str:
    """The catalogue language for a Teams locale ("en-US" -> "en"); Dutch unless it is English."""
    if locale and locale.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


class Catalog:
    """Looks texts up by key and language and fills their {placeholders}."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        missing = [f"{key}.{lang}" for key, texts in messages.items() for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message catalogue lacks: {', '.join(sorted(missing))}")
        self._messages = messages

    def text(self, key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
        """The text for `key` in `lang` with its placeholders filled."""
        texts = self._messages[key]
        return texts.get(lang, texts[DEFAULT_LANGUAGE]).format(**params)

    def count(self, key: str, count: int, lang: str = DEFAULT_LANGUAGE) -> str:
        """A counted phrase: `{key}_zero`, `{key}_one` or `{key}_many` with {count} filled."""
        suffix = "zero" if count == 0 else "one" if count == 1 else "many"
        return self.text(f"{key}_{suffix}", lang, count=count)


@cache
def load_catalog() -> Catalog:
    """The catalogue shipped with the bot: every messages/*.yaml file, merged."""
    merged: dict[str, dict[str, str]] = {}
    for file in sorted(MESSAGES.glob("*.yaml")):
        with file.open(encoding="utf-8") as handle:
            texts = yaml.safe_load(handle) or {}
        clashes = sorted(set(texts) & set(merged))
        if clashes:
            raise ValueError(f"{file.name} repeats message keys: {', '.join(clashes)}")
        merged.update(texts)
    return Catalog(merged)
