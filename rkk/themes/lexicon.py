"""The Dutch word lists packaged in rkk/themes/data, read once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

logger = logging.getLogger(__name__)

_SPLIT = re.compile(r"[\s\-/]+")
MIN_AFFIX = 4  # a one-word variant this long also counts inside a compound; shorter ones (ai, mfa) do not


@dataclass(frozen=True)
class Concept:
    """A thesaurus entry: several spellings of one thing, the name of it as a topic, and a broader concept."""

    key: str
    label: str
    variants: tuple[tuple[str, ...], ...]
    broader: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """Stopwords, generic words, extra compound parts and the domain thesaurus."""

    stopwords: frozenset[str]
    generic: frozenset[str]
    compound_parts: frozenset[str]
    concepts: tuple[Concept, ...]
    max_variant_len: int
    lemma_overrides: dict[str, str]
    affixes: dict[str, str]  # one-word variants that may stand inside a compound -> concept key
    concept_keys: frozenset[str]

    def concept_labels(self) -> dict[str, str]:
        """Concept key -> the topic name labels use."""
        return {c.key: c.label for c in self.concepts}

    def by_key(self) -> dict[str, Concept]:
        """Concept key -> concept."""
        return {c.key: c for c in self.concepts}


def _lines(name: str) -> list[str]:
    text = resources.files("rkk.themes").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _concepts(lines: list[str]) -> tuple[Concept, ...]:
    out = []
    for line in lines:
        key, label, variants, *rest = line.split("\t")
        tokens = tuple(tuple(_SPLIT.split(v.strip().lower())) for v in variants.split("|"))
        out.append(Concept(key=key, label=label, variants=tokens, broader=rest[0] if rest else None))
    return tuple(out)


def _pair(line: str) -> tuple[str, str]:
    word, lemma = line.split("\t")
    return word, lemma


@cache
def load_lexicon() -> Lexicon:
    """The packaged Dutch lexicon (read from the data files on first use)."""
    concepts = _concepts(_lines("thesaurus_nl.tsv"))
    longest = max((len(v) for c in concepts for v in c.variants), default=1)
    return Lexicon(
        stopwords=frozenset(_lines("stopwords_nl.txt")),
        generic=frozenset(_lines("generic_nl.txt")),
        compound_parts=frozenset(_lines("lexicon_nl.txt")),
        concepts=concepts,
        max_variant_len=longest,
        lemma_overrides=dict(_pair(line) for line in _lines("lemma_overrides_nl.tsv")),
        affixes={v[0]: c.key for c in concepts for v in c.variants if len(v) == 1 and len(v[0]) >= MIN_AFFIX},
        concept_keys=frozenset(c.key for c in concepts),
    )
