"""SQL of RKK Overkoepelend: ThemeStore, the ThemeRepository (features, themes, leases, cards, decisions, forwards)."""

from rkk.store.crosspost.repository import ThemeStore

__all__ = ["ThemeStore"]
