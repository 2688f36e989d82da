"""Theme labels: the cluster's most characteristic term by c-TF-IDF, named as people write it.

The head term is the one most of the theme's answers hold that few other answers hold (c-TF-IDF
on presence). A thesaurus concept is named by its topic name ("E-facturatie en Peppol"). When
most answers also hold a second term and the answers write both as one phrase, the label is
that phrase as written, in their word order and case ("MAGDA-documentendienst"); lemmas are
never shown.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

from rkk.themes.lexicon import load_lexicon
from rkk.themes.phrases import Reading, common_form

logger = logging.getLogger(__name__)

MAX_TERMS = 8
CONCEPT_PREFERENCE = 0.75  # a thesaurus concept heads the label when it scores this share of the best term
COMPANION_SHARE = 0.5  # a second term joins the label when at least this share of the answers holds it
MIN_PHRASE_ANSWERS = 2  # ... and this many answers write the two as one phrase: one answer's phrase is no name


def ranked_terms(terms: Mapping[str, float], term_df: Mapping[str, int], answers: int) -> list[tuple[str, float]]:
    """Terms of a theme by c-TF-IDF: their share in the theme times log(1 + answers / df)."""
    generic = load_lexicon().generic
    total = sum(terms.values()) or 1.0
    scored = []
    for term, weight in terms.items():
        words = term.split(" ")
        if all(w in generic for w in words) or weight <= 0:
            continue  # generic words may weigh in similarity, never in a label
        idf = math.log(1.0 + answers / max(term_df.get(term, 1), 1))
        scored.append((term, weight / total * idf))
    return sorted(scored, key=lambda kv: (-kv[1], kv[0]))


def label_terms(held: Mapping[str, int], size: int, term_df: Mapping[str, int], answers: int) -> list[str]:
    """Single terms by c-TF-IDF on presence (the share of the theme's answers holding them times IDF);
    a concept nearly as strong as the best term goes first, so the thesaurus names what it knows."""
    lexicon = load_lexicon()
    names = lexicon.concept_labels()
    scored = sorted(
        (
            (count / size * math.log(1.0 + answers / max(term_df.get(term, 1), 1)), term)
            for term, count in held.items()
            if " " not in term and term not in lexicon.generic
        ),
        key=lambda st: (-st[0], st[1]),
    )
    concept = next((st for st in scored if st[1] in names), None)
    if concept is not None and scored and concept[0] >= CONCEPT_PREFERENCE * scored[0][0]:
        scored.remove(concept)
        scored.insert(0, concept)
    return [term for _, term in scored]


def spell(term: str, surface: Mapping[str, str]) -> str:
    """A term in the spelling the answers used (MAGDA, M365), word by word."""
    return " ".join(surface.get(w, w) for w in term.split(" "))


def capitalised(phrase: str) -> str:
    """A label's first letter in capitals, except for names written in lower case on purpose (itsme)."""
    lower_names = {c.label for c in load_lexicon().concepts if c.label[:1].islower()}
    if phrase.split(" ")[0] in lower_names:
        return phrase
    return phrase[:1].upper() + phrase[1:]


def make_label(
    heads: Sequence[str], held: Mapping[str, int], size: int, readings: Sequence[Reading], surface: Mapping[str, str]
) -> str:
    """A short noun phrase: the head term's name, or the phrase that joins it to a term most answers share.

    heads are label_terms() (best first); held counts the theme's answers holding each term.
    """
    if not heads:
        return ""
    head = heads[0]
    for companion in heads[1:MAX_TERMS]:
        if held.get(companion, 0) < COMPANION_SHARE * size:
            continue
        for phrase in (f"{head} {companion}", f"{companion} {head}"):
            found = common_form(phrase, readings)
            if found is not None and found[1] >= MIN_PHRASE_ANSWERS:
                return capitalised(found[0])
    names = load_lexicon().concept_labels()
    if head in names:
        return names[head]
    found = common_form(head, readings)
    return capitalised(found[0] if found is not None else spell(head, surface))


def top_terms(ranked: Sequence[tuple[str, float]], surface: Mapping[str, str]) -> tuple[str, ...]:
    """The strongest terms, concepts by their topic name, words as written."""
    names = load_lexicon().concept_labels()
    return tuple(names.get(t, spell(t, surface)) for t, _ in ranked[:MAX_TERMS])
