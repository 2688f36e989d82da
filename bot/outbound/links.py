"""Deep links into Teams."""

from __future__ import annotations

from urllib.parse import quote


def message_link(team_id: str, conversation_id: str | None, message_id: str | None) -> str:
    """A deep link that opens a channel message (thread root) in Teams."""
    channel_id = (conversation_id or "").partition(";")[0]
    return (
        f"https://teams.microsoft.com/l/message/{quote(channel_id)}/{message_id}"
        f"?parentMessageId={message_id}&groupId={quote(team_id)}"
    )
