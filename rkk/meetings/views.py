"""What an announcement card shows, and which card an action may act on."""

from __future__ import annotations

import logging
from datetime import datetime

from rkk.crosspost import same_thread
from rkk.meetings.context import MeetingPorts
from rkk.meetings.errors import ForeignMeetingAction
from rkk.meetings.model import Announcement, Meeting, MeetingView, Viewer

logger = logging.getLogger(__name__)

MAX_REFRESH_USERS = 60  # Teams refreshes a card per user for at most 60 listed users


async def meeting_view(
    ports: MeetingPorts, meeting: Meeting, now: datetime, viewer: Viewer | None = None
) -> MeetingView:
    """The card's content: the meeting, who comes, the RKKs that asked, whose card refreshes."""
    repo = ports.meetings
    rkks = {rkk.key: rkk.name for rkk in await repo.rkks(meeting.subject.rkk_keys)}
    return MeetingView(
        meeting=meeting,
        attendance=await repo.attendance(meeting.id),
        rkk_names=tuple(sorted(rkks.get(key, key) for key in meeting.subject.rkk_keys)),
        refresh_user_ids=tuple(await repo.recent_responders(meeting.id, MAX_REFRESH_USERS)),
        now=now,
        viewer=viewer,
    )


async def meeting_on_card(
    ports: MeetingPorts, meeting_id: object, conversation_id: str | None
) -> tuple[Meeting, Announcement]:
    """The meeting a button names, checked against the announcement it sits on; ForeignMeetingAction if not."""
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        raise ForeignMeetingAction("card data has no meeting id")
    meeting = await ports.meetings.get_meeting(meeting_id)
    if meeting is None:
        raise ForeignMeetingAction(f"meeting {meeting_id} does not exist")
    for announcement in await ports.meetings.announcements(meeting.id):
        if announcement.state == "posted" and same_thread(
            announcement.conversation_id, announcement.message_id, conversation_id
        ):
            return meeting, announcement
    raise ForeignMeetingAction(f"meeting {meeting_id} is not announced in {conversation_id}")


async def viewer_of(ports: MeetingPorts, meeting: Meeting, member_id: str, coordinator: bool) -> Viewer:
    """The viewer's own answer and role."""
    rsvp = await ports.meetings.rsvp_of(meeting.id, member_id)
    return Viewer(going=rsvp.going if rsvp is not None else None, coordinator=coordinator)
