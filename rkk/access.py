"""Who may steer the bot: coordinators per RKK and globally (demo mode: everyone)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """The identifiers Teams gives for the person acting."""

    aad_object_id: str | None
    upn: str | None


class TeamOwners:
    """The owners of each RKK's team (Entra object ids), refreshed from Microsoft Graph."""

    def __init__(self) -> None:
        self._by_rkk: dict[str, frozenset[str]] = {}

    def replace(self, rkk_key: str, owner_ids: Iterable[str]) -> None:
        """Set the owners of one RKK's team."""
        self._by_rkk[rkk_key] = frozenset(i.lower() for i in owner_ids)

    def of(self, rkk_key: str) -> frozenset[str]:
        """The owners known for one RKK (empty before the first refresh)."""
        return self._by_rkk.get(rkk_key, frozenset())

    def rkk_keys(self) -> set[str]:
        """The RKKs whose owners are known."""
        return set(self._by_rkk)


@dataclass(frozen=True)
class Coordinators:
    """Coordinator lists from the config, matched on Entra object id or user principal name."""

    global_ids: frozenset[str]
    per_rkk: Mapping[str, frozenset[str]]
    everyone: bool = False
    owners: TeamOwners | None = None  # set when team owners count as coordinators of their RKK

    @classmethod
    def build(
        cls,
        global_ids: Iterable[str],
        per_rkk: Mapping[str, Iterable[str]],
        everyone: bool,
        owners: TeamOwners | None = None,
    ) -> Coordinators:
        """Normalise the configured identifiers (case-insensitive)."""
        return cls(
            frozenset(i.lower() for i in global_ids),
            {key: frozenset(i.lower() for i in ids) for key, ids in per_rkk.items()},
            everyone,
            owners,
        )

    def may_steer(self, person: Person, rkk_key: str | None) -> bool:
        """Whether the person coordinates this RKK (or all of them)."""
        if self.everyone:
            return True
        ids = {value.lower() for value in (person.aad_object_id, person.upn) if value}
        allowed = self.global_ids | (self.per_rkk.get(rkk_key, frozenset()) if rkk_key else frozenset())
        if rkk_key and self.owners is not None:
            allowed |= self.owners.of(rkk_key)
        return bool(ids & allowed)

    def coordinates_any(self, person: Person) -> bool:
        """Whether the person coordinates at least one RKK (or all)."""
        if self.may_steer(person, None):
            return True
        return any(self.may_steer(person, key) for key in self._rkk_keys())

    def of_rkks(self, rkk_keys: Iterable[str]) -> frozenset[str]:
        """Who coordinates one of these RKKs or all of them: object ids and UPNs, lower case."""
        found = set(self.global_ids)
        for key in rkk_keys:
            found |= self.per_rkk.get(key, frozenset())
            if self.owners is not None:
                found |= self.owners.of(key)
        return frozenset(found)

    def rkks_of(self, person: Person) -> list[str]:
        """The RKK keys the person coordinates specifically (sorted)."""
        return sorted(key for key in self._rkk_keys() if self.may_steer(person, key))

    def _rkk_keys(self) -> set[str]:
        return set(self.per_rkk) | (self.owners.rkk_keys() if self.owners is not None else set())
