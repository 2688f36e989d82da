"""SQL of RKK Overkoepelend: ThemeStore (the ThemeRepository), and the theme tables that the answers export and
the insight aggregates (rkk/store/insights) read."""

from rkk.store.crosspost.repository import ThemeStore
from rkk.store.crosspost.tables import theme_answers, theme_crossposts, theme_decisions, theme_features, themes

__all__ = ["ThemeStore", "theme_answers", "theme_crossposts", "theme_decisions", "theme_features", "themes"]
