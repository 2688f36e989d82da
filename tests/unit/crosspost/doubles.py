"""A Bot Connector double that records every call; nothing leaves the process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botbuilder.schema import Activity

from bot.outbound.retry import OutcomeUnknown
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard
from rkk.rounds import Fenced

SERVICE_URL = "http://127.0.0.1:9/teams/"  # loopback discard port: the double never connects anyway


def _local(service_url: str) -> None:
    assert urlsplit(service_url).hostname == "127.0.0.1", f"test tried to reach {service_url}"


@dataclass
class FakeConnector:
    """Records threads created, messages sent and activities updated; can be told to fail."""

    threads: list[tuple[ChannelTarget, Activity]] = field(default_factory=list)
    sent: list[tuple[str, Activity]] = field(default_factory=list)
    updates: list[tuple[str, str, Activity]] = field(default_factory=list)
    fail: list[Exception] = field(default_factory=list)  # raised one by one by the next calls

    def _maybe_fail(self) -> None:
        if self.fail:
            raise self.fail.pop(0)

    async def create_thread(self, target: ChannelTarget, activity: Activity, guard: SendGuard | None = None) -> Posted:
        """Remember the new thread and hand back Teams-like ids; a `guard` is entered (and left on a refusal)
        as the real connector does around its HTTP attempt."""
        _local(target.service_url)
        if guard is not None and not await guard.enter():
            raise Fenced("another process owns this card now")
        try:
            self._maybe_fail()
        except OutcomeUnknown:
            raise
        except Exception:
            if guard is not None:
                await guard.leave()
            raise
        self.threads.append((target, activity))
        message_id = f"{1800000000000 + len(self.threads)}"
        return Posted(f"{target.channel_id};messageid={message_id}", message_id)

    async def send(self, service_url: str, conversation_id: str, activity: Activity) -> str | None:
        """Remember a message sent into a conversation."""
        _local(service_url)
        self._maybe_fail()
        self.sent.append((conversation_id, activity))
        return f"reply-{len(self.sent)}"

    async def update(self, service_url: str, conversation_id: str, activity_id: str, activity: Activity) -> None:
        """Remember an update of an earlier activity."""
        _local(service_url)
        self._maybe_fail()
        self.updates.append((conversation_id, activity_id, activity))

    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards of every thread created, in order."""
        return [a.attachments[0].content for _, a in self.threads]
