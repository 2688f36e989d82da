"""In-memory doubles of the round ports: a guarded publisher and a messenger that remember everything."""

from __future__ import annotations

from dataclasses import dataclass, field

from rkk.errors import PostFailed
from rkk.model import Rkk, Round
from rkk.ports import Posted, SendGuard
from rkk.rounds.lifecycle import Notice, PostUncertain


@dataclass
class FakeTeams:
    """Posts cards (through the guard, like the real publisher), reminders, closed cards and notices."""

    cards: list[tuple[str, int]] = field(default_factory=list)  # (rkk key, round id)
    reminders: list[tuple[str, int, int]] = field(default_factory=list)  # (rkk, round id, count)
    closed: list[tuple[str, int, int]] = field(default_factory=list)
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # (rkk, kind, week)
    fail_next: list[str] = field(default_factory=list)  # "refuse", "unknown", "accept_then_unknown"

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Post without a guard."""
        return self._card(rkk, round_)

    async def publish_guarded(self, rkk: Rkk, round_: Round, guard: SendGuard) -> Posted:
        """Post, entering the guard first as the connector does."""
        if not await guard.enter():
            from rkk.rounds.lifecycle import Fenced

            raise Fenced("taken over")
        mode = self.fail_next.pop(0) if self.fail_next else ""
        if mode == "refuse":
            await guard.leave()
            raise PostFailed("Teams answered 403", rkk=rkk.name)
        if mode == "accept_then_unknown":
            self._card(rkk, round_)
            raise PostUncertain("timeout", rkk=rkk.name)
        if mode == "unknown":
            raise PostUncertain("timeout", rkk=rkk.name)
        return self._card(rkk, round_)

    async def remind(self, rkk: Rkk, round_: Round, answer_count: int) -> str | None:
        """Remember the reminder."""
        self.reminders.append((rkk.key, round_.id, answer_count))
        return f"reply-{len(self.reminders)}"

    async def close_card(self, rkk: Rkk, round_: Round, answer_count: int) -> None:
        """Remember the closed card, or refuse once when told to."""
        if self.fail_next and self.fail_next[0] == "close":
            self.fail_next.pop(0)
            raise PostFailed("Teams answered 503 six times", rkk=rkk.name)
        self.closed.append((rkk.key, round_.id, answer_count))

    async def notify_coordinators(self, rkk: Rkk, notice: Notice) -> None:
        """Remember the notice."""
        self.notices.append((rkk.key, notice.kind, notice.week))

    def _card(self, rkk: Rkk, round_: Round) -> Posted:
        self.cards.append((rkk.key, round_.id))
        message_id = f"{1800000000000 + len(self.cards)}"
        return Posted(f"{rkk.channel_id};messageid={message_id}", message_id)
