"""Stored form of an answer's features: JSON for the words, bytes for the hashed bags and vector."""

from __future__ import annotations

import json
import logging
import struct
from dataclasses import dataclass

import numpy as np

from rkk.themes.model import AnswerFeatures, FloatArray, HashedBag

logger = logging.getLogger(__name__)

# Bump when featurize() changes what it produces: stored features of an older version are recomputed.
# 2: features carry the answer's sentence embedding.
# 3: the question's words weigh as generic, a broader thesaurus, compound concepts; the answer's text
#    and question id are kept for labels and descriptions.
FEATURES_VERSION = 3
_COUNT = struct.Struct("<I")


@dataclass(frozen=True)
class FeatureRecord:
    """What the store keeps of one answer's features."""

    answer_id: str
    version: int
    meta: str  # JSON: rkk, bestuur, week, week index, noise, terms, core, surface, question, text
    words: bytes
    chars: bytes
    vector: bytes | None


def encode_bag(bag: HashedBag) -> bytes:
    """The bag as its length, int32 indices and float32 weights (little-endian)."""
    index = np.asarray(bag.index, dtype="<i4")
    value = np.asarray(bag.value, dtype="<f4")
    return _COUNT.pack(len(index)) + index.tobytes() + value.tobytes()


def decode_bag(blob: bytes) -> HashedBag:
    """The bag encode_bag wrote, as read-only views on the stored bytes (no copy on little-endian hosts)."""
    (count,) = _COUNT.unpack_from(blob)
    start = _COUNT.size
    index = np.frombuffer(blob, dtype="<i4", count=count, offset=start).astype(np.int32, copy=False)
    value = np.frombuffer(blob, dtype="<f4", count=count, offset=start + 4 * count).astype(np.float32, copy=False)
    return HashedBag(index=index, value=value)


def to_record(features: AnswerFeatures) -> FeatureRecord:
    """The storable form of an answer's features."""
    meta = {
        "rkk": features.rkk,
        "bestuur": features.bestuur,
        "week": features.week,
        "week_index": features.week_index,
        "noise": features.noise,
        "terms": features.terms,
        "core": sorted(features.core),
        "surface": features.surface,
        "question": features.question,
        "text": features.text,
    }
    vector = None if features.vector is None else np.asarray(features.vector, dtype="<f4").tobytes()
    return FeatureRecord(
        answer_id=features.id,
        version=FEATURES_VERSION,
        meta=json.dumps(meta, ensure_ascii=False, sort_keys=True),
        words=encode_bag(features.words),
        chars=encode_bag(features.chars),
        vector=vector,
    )


def from_record(record: FeatureRecord) -> AnswerFeatures:
    """The features a record holds, as featurize returned them."""
    meta = json.loads(record.meta)
    vector: FloatArray | None = None
    if record.vector is not None:
        vector = np.frombuffer(record.vector, dtype="<f4").astype(np.float32, copy=False)
    return AnswerFeatures(
        id=record.answer_id,
        rkk=meta["rkk"],
        bestuur=meta["bestuur"],
        week=meta["week"],
        week_index=int(meta["week_index"]),
        noise=bool(meta["noise"]),
        terms={str(k): float(v) for k, v in meta["terms"].items()},
        words=decode_bag(record.words),
        chars=decode_bag(record.chars),
        core=frozenset(meta["core"]),
        surface={str(k): str(v) for k, v in meta["surface"].items()},
        vector=vector,
        question=meta.get("question"),
        text=str(meta.get("text", "")),
    )
