"""Quality on labelled answers: adjusted Rand index and recurring-theme precision and recall.

Conventions. True labels: a theme key (recurring or "single:<key>", both real groups) or
"noise". Found labels: a theme key, or nothing. Noise answers and answers in no found theme
are each their own singleton cluster on both sides, so that lumping unrelated chatter
together is not rewarded and leaving a noise answer alone is. A true theme is recurring
when its label is a plain key (not "single:" nor "noise"); a found theme is recurring by
its flag. A found recurring theme matches a true one when their answer sets overlap with
F1 >= 0.6.

Label agreement: a found rode draad's label agrees with the name a coordinator gave the true
theme it matches when both share a content word after lemmatising (compound parts included:
"Telefonie" agrees with "Overstap naar cloudtelefonie").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import comb

from rkk.themes.lemmas import lemma_of, tokens
from rkk.themes.lexicon import load_lexicon
from rkk.themes.model import Theme

logger = logging.getLogger(__name__)

MATCH_F1 = 0.6
MIN_COMPOUND_PART = 4  # a shorter word inside a compound is a coincidence (ai in "maintenance")


@dataclass(frozen=True)
class Quality:
    """The three figures the issue asks for, with the counts behind the last two."""

    ari: float
    precision: float
    recall: float
    found_recurring: int
    true_recurring: int
    noise_in_recurring: int = 0  # answers labelled noise inside a found rode draad


def adjusted_rand_index(truth: Sequence[str], found: Sequence[str]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items."""
    n = len(truth)
    pairs = Counter(zip(truth, found, strict=True))
    sum_cells = sum(comb(c, 2) for c in pairs.values())
    sum_rows = sum(comb(c, 2) for c in Counter(truth).values())
    sum_cols = sum(comb(c, 2) for c in Counter(found).values())
    expected = sum_rows * sum_cols / comb(n, 2) if n > 1 else 0.0
    maximum = (sum_rows + sum_cols) / 2
    if maximum == expected:
        return 1.0
    return (sum_cells - expected) / (maximum - expected)


def overlap_f1(a: set[str], b: set[str]) -> float:
    """F1 of two answer sets (harmonic mean of the overlap's share of each)."""
    both = len(a & b)
    return 0.0 if both == 0 else 2 * both / (len(a) + len(b))


def evaluate(labels: Mapping[str, str], themes: Sequence[Theme]) -> Quality:
    """Compare found themes with labelled answers (answer id -> true label)."""
    found_of = {aid: t.key for t in themes for aid in t.answer_ids}
    ids = sorted(labels)
    truth = [labels[i] if labels[i] != "noise" else f"noise:{i}" for i in ids]
    found = [found_of.get(i, f"alone:{i}") for i in ids]
    true_sets: dict[str, set[str]] = {}
    for aid, label in labels.items():
        if label != "noise" and not label.startswith("single:"):
            true_sets.setdefault(label, set()).add(aid)
    found_sets = [set(t.answer_ids) for t in themes if t.recurring]
    hits = [any(overlap_f1(f, s) >= MATCH_F1 for s in true_sets.values()) for f in found_sets]
    caught = [any(overlap_f1(f, s) >= MATCH_F1 for f in found_sets) for s in true_sets.values()]
    return Quality(
        ari=adjusted_rand_index(truth, found),
        precision=sum(hits) / len(hits) if hits else 1.0,
        recall=sum(caught) / len(caught) if caught else 1.0,
        found_recurring=len(found_sets),
        true_recurring=len(true_sets),
        noise_in_recurring=sum(1 for t in themes if t.recurring for a in t.answer_ids if labels.get(a) == "noise"),
    )


def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas and compound parts of a text's content words, stopwords left out."""
    stop = load_lexicon().stopwords
    out = set()
    for token in tokens(text):
        lemma, parts = lemma_of(token.lower())
        out |= {lemma, *parts}
    return frozenset(w for w in out if len(w) > 1 and w not in stop and not w.isdigit())


def _same_word(a: str, b: str) -> bool:
    # Dutch writes compounds as one word: "telefonie" is a content word of "cloudtelefonie".
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= MIN_COMPOUND_PART and (long_.endswith(short) or long_.startswith(short)))


def labels_agree(label: str, name: str) -> bool:
    """Whether a label and a coordinator's theme name share a content word after lemmatising."""
    generic = load_lexicon().generic
    ours = content_lemmas(label) - generic
    theirs = content_lemmas(name) - generic
    return any(_same_word(a, b) for a in ours for b in theirs)


def matched_names(
    labels: Mapping[str, str], names: Mapping[str, str], themes: Sequence[Theme]
) -> list[tuple[Theme, str]]:
    """Each found rode draad with the name of the true rode draad it matches (F1 >= 0.6), if any."""
    true_sets: dict[str, set[str]] = {}
    for aid, label in labels.items():
        if label != "noise" and not label.startswith("single:"):
            true_sets.setdefault(label, set()).add(aid)
    out = []
    for theme in themes:
        if not theme.recurring:
            continue
        found = set(theme.answer_ids)
        score, best = max(((overlap_f1(found, s), key) for key, s in true_sets.items()), default=(0.0, ""))
        if score >= MATCH_F1:
            out.append((theme, names.get(best, "")))
    return out
