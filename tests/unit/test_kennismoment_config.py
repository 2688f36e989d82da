"""The `kennismoment:` section of the config: the organiser mailbox and the reminder time, errors with their line."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from config.rkk_config import load_config
from tests.unit.test_rkk_config import CONFIG, config_error, line_of, write


def test_the_organiser_and_reminder_time_are_read(tmp_path: Path) -> None:
    """A mailbox (lower-cased, like coordinators) and a reminder time."""
    file = write(tmp_path, CONFIG + 'kennismoment:\n  organizer: Kennis@V-ICT-OR.be\n  reminder_time: "08:30"\n')
    config = load_config(file)
    assert (config.kennismoment.organizer, config.kennismoment.reminder_at) == ("kennis@v-ict-or.be", time(8, 30))


def test_without_the_section_the_link_is_typed_by_hand(tmp_path: Path) -> None:
    """No organiser: planning asks for the Teams link; the reminder goes out at 9:00."""
    config = load_config(write(tmp_path, CONFIG))
    assert (config.kennismoment.organizer, config.kennismoment.reminder_at) == (None, time(9, 0))


def test_an_organiser_that_is_no_mailbox_is_refused_at_its_line(tmp_path: Path) -> None:
    """A name, or a guest UPN, is not a mailbox to create meetings in."""
    for value in ("Kennismomenten", "kennis_v-ict-or.be#EXT#@victor.onmicrosoft.com"):
        file = write(tmp_path, CONFIG + f"kennismoment:\n  organizer: {value}\n")
        error = config_error(file)
        assert (error.line, error.setting) == (line_of(file, "organizer:"), "kennismoment.organizer")
        assert "is not a mailbox" in str(error)


def test_an_unknown_setting_and_a_bad_time_name_their_line(tmp_path: Path) -> None:
    """Typos in the section fail at start-up with the line."""
    file = write(tmp_path, CONFIG + "kennismoment:\n  organiser: kennis@v-ict-or.be\n")
    assert config_error(file).setting == "kennismoment.organiser"
    file = write(tmp_path, CONFIG + "kennismoment:\n  reminder_time: 9u\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "reminder_time"), "kennismoment.reminder_time")
