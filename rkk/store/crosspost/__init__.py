"""SQL of RKK Overkoepelend: ThemeStore (the ThemeRepository), and the theme tables the answers export joins."""

from rkk.store.crosspost.repository import ThemeStore
from rkk.store.crosspost.tables import theme_answers, theme_features, themes

__all__ = ["ThemeStore", "theme_answers", "theme_features", "themes"]
