"""Reading the facts the bot needs out of Teams activities, tolerating missing pieces."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from rkk.access import Person
from rkk.model import Installation

GENERAL = "General"


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def team_of(activity: Activity) -> tuple[str | None, str | None, str | None]:
    """The team's id (General's channel id), display name and Graph group id, if in a team."""
    team = _channel_data(activity).get("team")
    if not isinstance(team, dict) or not team.get("id"):
        return None, None, None
    return str(team["id"]), team.get("name"), team.get("aadGroupId")


def tenant_of(activity: Activity) -> str | None:
    """The tenant the activity comes from."""
    tenant = _channel_data(activity).get("tenant")
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    conversation = activity.conversation
    return getattr(conversation, "tenant_id", None) if conversation else None


def person_of(activity: Activity) -> Person:
    """The acting person's Entra object id (UPN comes later, from the member lookup)."""
    sender = activity.from_property
    return Person(getattr(sender, "aad_object_id", None) if sender else None, None)


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
