"""The Dutch word lists packaged in rkk/themes/data, read once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

logger = logging.getLogger(__name__)

_SPLIT = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Concept:
    """A thesaurus entry: several spellings of one thing, and how a label writes it."""

    key: str
    label: str
    variants: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Lexicon:
    """Stopwords, generic words, extra compound parts and the domain thesaurus."""

    stopwords: frozenset[str]
    generic: frozenset[str]
    compound_parts: frozenset[str]
    concepts: tuple[Concept, ...]
    max_variant_len: int
    lemma_overrides: dict[str, str]

    def concept_labels(self) -> dict[str, str]:
        """Concept key -> the spelling labels use."""
        return {c.key: c.label for c in self.concepts}


def _lines(name: str) -> list[str]:
    text = resources.files("rkk.themes").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _concepts(lines: list[str]) -> tuple[Concept, ...]:
    out = []
    for line in lines:
        key, label, variants = line.split("\t")
        tokens = tuple(tuple(_SPLIT.split(v.strip().lower())) for v in variants.split("|"))
        out.append(Concept(key=key, label=label, variants=tokens))
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
    )
