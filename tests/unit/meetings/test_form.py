"""The planning form's rules: Brussels time, a future start, a positive duration, https links only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rkk.meetings import InvalidMeeting, Mode, parse_details, parse_moment
from rkk.rounds.weeks import BRUSSELS
from tests.unit.meetings.fakes import FORM, NOW


def details(link_required: bool = True, **changes: object) -> object:
    """The form with some fields changed, parsed at NOW."""
    return parse_details({**FORM, **changes}, NOW, BRUSSELS, link_required=link_required)


def reason(**changes: object) -> str:
    """Why the changed form is refused."""
    with pytest.raises(InvalidMeeting) as refused:
        details(**changes)
    return str(refused.value.params["reason"])


def test_a_complete_form_gives_the_meeting_in_brussels_time() -> None:
    """14:00 on 3 December is 13:00 UTC (winter time), 90 minutes long, with the typed link."""
    parsed = details()
    assert parsed.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert parsed.ends_at == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    assert (parsed.title, parsed.mode, parsed.join_url) == (FORM["title"], Mode.ONLINE, FORM["link"])


def test_summer_time_is_taken_into_account() -> None:
    """14:00 on 4 June 2027 is 12:00 UTC."""
    starts_at, _ = parse_moment({**FORM, "date": "2027-06-04"}, NOW, BRUSSELS)
    assert starts_at == datetime(2027, 6, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"date": "2026-11-20"}, "date_past"),
        ({"date": "2026-11-23", "time": "09:30"}, "date_past"),
        ({"date": "3/12/2026"}, "date_unreadable"),
        ({"date": "2026-02-30"}, "date_unreadable"),
        ({"date": "2029-01-01"}, "date_far"),
        ({"time": "25:00"}, "time_unreadable"),
        ({"date": "2027-03-28", "time": "02:30"}, "time_nonexistent"),
        ({"minutes": "0"}, "end_before_start"),
        ({"minutes": "-30"}, "end_before_start"),
        ({"minutes": "600"}, "duration"),
        ({"minutes": "een uur"}, "duration"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 151}, "title"),
        ({"link": ""}, "link_missing"),
        ({"link": "http://teams.microsoft.com/l/meetup-join/x"}, "link_not_https"),
        ({"link": "javascript:alert(1)"}, "link_not_https"),
        ({"link": "https://"}, "link_not_https"),
        ({"link": "https://teams.microsoft.com/a b"}, "link_invalid"),
        ({"mode": "hybride"}, "mode"),
        ({"mode": "onsite", "location": ""}, "location_missing"),
        ({"description": "x" * 2001}, "too_long"),
    ],
)
def test_bad_input_is_refused_with_a_named_reason(changes: dict[str, object], expected: str) -> None:
    """Each broken rule has its own reason, so the coordinator reads what to fix."""
    assert reason(**changes) == expected


def test_forged_values_that_are_not_text_count_as_empty() -> None:
    """A list or a dict where text belongs is no title."""
    assert reason(title=["MAGDA"]) == "title"


def test_with_graph_no_link_is_asked() -> None:
    """The Teams meeting comes from Graph: a link in the data is ignored."""
    assert details(link_required=False, link="http://evil.example").join_url == ""


def test_on_site_needs_no_link_even_without_graph() -> None:
    """A meeting on site has a location instead of a link."""
    parsed = details(mode="onsite", location="Provinciehuis Antwerpen", link="")
    assert (parsed.mode, parsed.location, parsed.join_url) == (Mode.ONSITE, "Provinciehuis Antwerpen", "")


def test_control_characters_and_extra_spaces_are_removed() -> None:
    """Titles come out on one clean line."""
    assert details(title="  MAGDA\u0000  in\tde praktijk ").title == "MAGDA in de praktijk"
