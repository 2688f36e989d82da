"""Reading the facts the bot needs out of Teams activities, tolerating missing pieces."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from rkk.access import Person
from rkk.model import Installation

GENERAL = "General"
MAX_ID_CHARS = 200  # the width of the team and channel id columns
MAX_GROUP_ID_CHARS = 100  # a Graph group id is a GUID; its column holds 100
MAX_NAME_CHARS = 300  # a team's display name column


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def _is_id(value: object) -> bool:
    """Whether a value from channelData can be a Teams id (a short non-empty string)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS


def team_of(activity: Activity) -> tuple[str | None, str | None, str | None]:
    """The team's id (General's channel id), display name and Graph group id, if in a team."""
    team = _channel_data(activity).get("team")
    if not isinstance(team, dict) or not _is_id(team.get("id")):
        return None, None, None
    name, group = team.get("name"), team.get("aadGroupId")
    group_id = group if isinstance(group, str) and 0 < len(group) <= MAX_GROUP_ID_CHARS else None
    return team["id"], name[:MAX_NAME_CHARS] if isinstance(name, str) else None, group_id


def tenant_of(activity: Activity) -> str | None:
    """The tenant the activity comes from."""
    tenant = _channel_data(activity).get("tenant")
    if isinstance(tenant, dict) and _is_id(tenant.get("id")):
        return str(tenant["id"])
    conversation = activity.conversation
    return getattr(conversation, "tenant_id", None) if conversation else None


def person_of(activity: Activity) -> Person:
    """The acting person's Entra object id (UPN comes later, from the member lookup)."""
    sender = activity.from_property
    return Person(getattr(sender, "aad_object_id", None) if sender else None, None)


def member_key(activity: Activity) -> str:
    """The key a member's answers are stored under: their Entra object id, else their Teams user id."""
    sender = activity.from_property
    return str(getattr(sender, "aad_object_id", None) or sender.id)


def bot_was_added(activity: Activity) -> bool:
    """Whether this conversationUpdate/installationUpdate means the bot was just added to a team."""
    if activity.type == "installationUpdate":
        return activity.action in ("add", "add-upgrade")
    recipient = activity.recipient.id if activity.recipient else None
    return any(member.id == recipient for member in activity.members_added or [])


def installation_of(activity: Activity, channels: list[tuple[str, str]]) -> Installation | None:
    """The installation an activity announces, with the channels known for the team."""
    team_id, team_name, group_id = team_of(activity)
    if team_id is None:
        return None
    if not any(channel_id == team_id for channel_id, _ in channels):
        channels = [(team_id, GENERAL), *channels]
    return Installation(
        team_id=team_id,
        team_name=team_name or team_id,
        aad_group_id=group_id,
        tenant_id=tenant_of(activity) or "",
        service_url=activity.service_url or "",
        bot_id=activity.recipient.id if activity.recipient else "",
        channels=tuple(channels),
    )


def action_payload(activity: Activity) -> tuple[str | None, dict[str, Any]]:
    """The verb and data of an Action.Execute invoke; (None, {}) when the value is malformed."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    if not isinstance(action, dict):
        return None, {}
    verb = action.get("verb")
    data = action.get("data")
    return (verb if isinstance(verb, str) else None), (data if isinstance(data, dict) else {})


def in_personal_chat(activity: Activity) -> bool:
    """Whether the activity comes from a one-to-one chat with the bot (not a channel or a group chat)."""
    conversation = activity.conversation
    return conversation is not None and conversation.conversation_type == "personal"
