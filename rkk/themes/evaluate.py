"""Quality on labelled answers: adjusted Rand index and recurring-theme precision and recall.

Conventions. True labels: a theme key (recurring or "single:<key>", both real groups) or
"noise". Found labels: a theme key, or nothing. Noise answers and answers in no found theme
are each their own singleton cluster on both sides, so that lumping unrelated chatter
together is not rewarded and leaving a noise answer alone is. A true theme is recurring
when its label is a plain key (not "single:" nor "noise"); a found theme is recurring by
its flag. A found recurring theme matches a true one when their answer sets overlap with
F1 >= 0.6.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import comb

from rkk.themes.model import Theme

logger = logging.getLogger(__name__)

MATCH_F1 = 0.6


@dataclass(frozen=True)
class Quality:
    """The three figures the issue asks for, with the counts behind the last two."""

    ari: float
    precision: float
    recall: float
    found_recurring: int
    true_recurring: int


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
    )
