"""SQL of RKK Overkoepelend: ThemeStore, the ThemeRepository (features, themes, leases, cards, decisions, forwards)."""

from rkk.store.crosspost.repository import ThemeStore
from rkk.store.crosspost.tables import theme_answers, themes

__all__ = ["ThemeStore", "theme_answers", "themes"]
