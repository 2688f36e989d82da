"""SQL of the scoring round: ScoringStore, the ScoringRepository (rounds, topics, cards, score sets)."""

from rkk.store.scoring.repository import ScoringStore

__all__ = ["ScoringStore"]
