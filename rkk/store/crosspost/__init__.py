"""SQL of RKK Overkoepelend: ThemeStore, the ThemeRepository (features, themes, leases, cards, decisions, forwards).

The theme tables are public too, for read-only aggregates elsewhere (rkk/store/insights).
"""

from rkk.store.crosspost.repository import ThemeStore
from rkk.store.crosspost.tables import theme_answers, theme_crossposts, theme_decisions, themes

__all__ = ["ThemeStore", "theme_answers", "theme_crossposts", "theme_decisions", "themes"]
