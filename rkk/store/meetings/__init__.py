"""SQL of kennismomenten: MeetingStore (the MeetingRepository) and the tables other stores read."""

from rkk.store.meetings.repository import MeetingStore
from rkk.store.meetings.tables import meeting_rsvps, meetings

__all__ = ["MeetingStore", "meeting_rsvps", "meetings"]
