"""Who may steer the bot: coordinators per RKK and globally (demo mode: everyone)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """The identifiers Teams gives for the person acting."""

    aad_object_id: str | None
    upn: str | None


@dataclass(frozen=True)
class Coordinators:
    """Coordinator lists from the config, matched on Entra object id or user principal name."""

    global_ids: frozenset[str]
    per_rkk: Mapping[str, frozenset[str]]
    everyone: bool = False

    @classmethod
    def build(cls, global_ids: Iterable[str], per_rkk: Mapping[str, Iterable[str]], everyone: bool) -> Coordinators:
        """Normalise the configured identifiers (case-insensitive)."""
        return cls(
            frozenset(i.lower() for i in global_ids),
            {key: frozenset(i.lower() for i in ids) for key, ids in per_rkk.items()},
            everyone,
        )

    def may_steer(self, person: Person, rkk_key: str | None) -> bool:
        """Whether the person coordinates this RKK (or all of them)."""
        if self.everyone:
            return True
        ids = {value.lower() for value in (person.aad_object_id, person.upn) if value}
        allowed = self.global_ids | (self.per_rkk.get(rkk_key, frozenset()) if rkk_key else frozenset())
        return bool(ids & allowed)

    def coordinates_any(self, person: Person) -> bool:
        """Whether the person coordinates at least one RKK (or all)."""
        if self.may_steer(person, None):
            return True
        return any(self.may_steer(person, key) for key in self.per_rkk)

    def rkks_of(self, person: Person) -> list[str]:
        """The RKK keys the person coordinates specifically (sorted)."""
        return sorted(key for key in self.per_rkk if self.may_steer(person, key))
