"""The rode-draad rule: enough besturen in enough RKKs within one window of weeks."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from rkk.themes.model import RecurrenceRule

logger = logging.getLogger(__name__)


def is_recurring(members: Iterable[tuple[int, str, str]], rule: RecurrenceRule) -> bool:
    """Whether some window of rule.window_weeks weeks holds the required besturen and RKKs.

    members are (week index, rkk, bestuur) triples; a bestuur counts once whatever its RKK.
    """
    ordered = sorted(members, key=itemgetter(0))  # only the week order matters; linear when sorted
    besturen: Counter[str] = Counter()
    rkks: Counter[str] = Counter()
    start = 0
    for week, rkk, bestuur in ordered:
        besturen[bestuur] += 1
        rkks[rkk] += 1
        while ordered[start][0] <= week - rule.window_weeks:
            _, old_rkk, old_bestuur = ordered[start]
            _drop(besturen, old_bestuur)
            _drop(rkks, old_rkk)
            start += 1
        if len(besturen) >= rule.min_besturen and len(rkks) >= rule.min_rkks:
            return True
    return False


def _drop(counter: Counter[str], key: str) -> None:
    counter[key] -= 1
    if counter[key] == 0:
        del counter[key]
