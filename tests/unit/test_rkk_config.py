"""The RKK configuration file: shipped examples load, broken files name file, line and setting."""

from __future__ import annotations

import textwrap
from datetime import date, time
from pathlib import Path

import pytest

from config.rkk_config import ConfigError, load_config, load_questions
from config.yaml_nodes import setting_name

ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = """\
questions:
  - key: magda
    text: "Gebruiken jullie de MAGDA-documentendienst al?"
  - key: phishing
    text: "Hoe vaak organiseren jullie een phishingsimulatie?"
"""

CONFIG = """\
timezone: Europe/Brussels
schedule:
  weekday: maandag
  time: "09:00"
rkks:
  - key: antwerpen
    name: RKK Antwerpen
    team: RKK Antwerpen
    channel: Vraag van de week
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
    channel: Algemeen
domains:
  brasschaat.be: Gemeente Brasschaat
"""


def write(tmp_path: Path, config: str, questions: str = QUESTIONS) -> Path:
    """Write a config file and its questions.yaml next to it; the config's path."""
    (tmp_path / "questions.yaml").write_text(textwrap.dedent(questions), encoding="utf-8")
    file = tmp_path / "rkks.yaml"
    file.write_text(textwrap.dedent(config), encoding="utf-8")
    return file


def line_of(file: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the n-th occurrence of `needle`."""
    hits = [n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def config_error(file: Path) -> ConfigError:
    """The ConfigError that loading the file raises."""
    with pytest.raises(ConfigError) as caught:
        load_config(file)
    return caught.value


def test_example_config_loads() -> None:
    """config/rkks.example.yaml is valid and says what it shows."""
    config = load_config(ROOT / "config" / "rkks.example.yaml")
    assert [rkk.key for rkk in config.rkks] == ["antwerpen", "kempen"]
    assert config.rkks[1].schedule is not None and config.rkks[1].schedule.at == time(8, 30)
    assert config.rkks[1].pauses[0].start == date(2026, 12, 21)
    assert config.domains["brasschaat.be"] == "Gemeente Brasschaat"
    assert config.coordinators == ("coordinator@v-ict-or.be",)
    assert len(config.questions) >= 10


def test_demo_config_loads_as_demo_without_rkks() -> None:
    """config/demo.yaml turns demo mode on and needs no RKKs."""
    config = load_config(ROOT / "config" / "demo.yaml")
    assert config.demo
    assert config.rkks == ()


def test_valid_config_gets_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    """Closing time, themes and channel lists fall back to their defaults."""
    config = load_config(write(tmp_path, CONFIG))
    assert (config.schedule.weekday, config.schedule.at, config.schedule.close_weekday) == (0, time(9, 0), 4)
    assert (config.themes.min_besturen, config.themes.min_rkks, config.themes.window_weeks) == (5, 2, 8)
    assert config.rkks[0].channel == "Vraag van de week"
    assert config.questions[0] == ("magda", "Gebruiken jullie de MAGDA-documentendienst al?")


def test_english_weekday_names_are_accepted(tmp_path: Path) -> None:
    """ "tuesday" means dinsdag."""
    config = load_config(write(tmp_path, CONFIG.replace("weekday: maandag", "weekday: Tuesday")))
    assert config.schedule.weekday == 1


def test_domains_are_lower_cased(tmp_path: Path) -> None:
    """A domain written with capitals matches lower-case mail domains."""
    config = load_config(write(tmp_path, CONFIG.replace("brasschaat.be:", "Brasschaat.BE:")))
    assert "brasschaat.be" in config.domains


def test_setting_name_reads_like_the_file() -> None:
    """A path of keys and indexes is written as rkks[1].channel."""
    assert setting_name(("rkks", 1, "channel")) == "rkks[1].channel"
    assert setting_name(("questions", 0, "text")) == "questions[0].text"
    assert setting_name(()) == ""


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    """A YAML syntax error is a ConfigError at the line where parsing failed."""
    file = write(tmp_path, CONFIG.replace("    channel: Algemeen", '    channel: "Algemeen'))
    error = config_error(file)
    assert str(file) in str(error)
    assert "not valid YAML" in str(error)
    assert error.line is not None and error.line >= line_of(file, '"Algemeen')


def test_bad_indentation_names_the_line(tmp_path: Path) -> None:
    """A mapping key at the wrong indentation is reported at its line."""
    file = write(tmp_path, CONFIG.replace("    team: RKK Kempen", "     team: RKK Kempen"))
    error = config_error(file)
    assert f"{file}:{line_of(file, 'team: RKK Kempen')}:" in str(error)


def test_unknown_setting_names_file_line_and_path(tmp_path: Path) -> None:
    """A misspelt setting inside the second RKK is reported as rkks[1].chanel at its line."""
    file = write(tmp_path, CONFIG.replace("    channel: Algemeen", "    chanel: Algemeen"))
    error = config_error(file)
    assert str(error).startswith(f"{file}:{line_of(file, 'chanel:')}: rkks[1].chanel: unknown setting")
    assert "channel" in str(error)


def test_empty_channel_names_the_channel_setting(tmp_path: Path) -> None:
    """An empty channel name in the second RKK is reported as rkks[1].channel."""
    file = write(tmp_path, CONFIG.replace("    channel: Algemeen", '    channel: ""'))
    error = config_error(file)
    assert (error.file, error.line, error.setting) == (file, line_of(file, 'channel: ""'), "rkks[1].channel")
    assert f"{file}:{error.line}: rkks[1].channel:" in str(error)


def test_unknown_top_level_setting_is_refused(tmp_path: Path) -> None:
    """A setting the bot does not know is an error, not silently ignored."""
    file = write(tmp_path, CONFIG + "tijdzone: Europe/Brussels\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "tijdzone"), "tijdzone")


def test_setting_written_twice_is_refused(tmp_path: Path) -> None:
    """The same key twice in one mapping is an error naming the setting."""
    file = write(tmp_path, CONFIG + "timezone: Europe/Amsterdam\n")
    error = config_error(file)
    assert error.setting == "timezone"
    assert "timezone: appears twice" in str(error)


def test_setting_written_twice_points_at_the_second_occurrence(tmp_path: Path) -> None:
    """The line given for a duplicated key is the line of the duplicate."""
    file = write(tmp_path, CONFIG + "timezone: Europe/Amsterdam\n")
    assert config_error(file).line == line_of(file, "timezone", 2)


def test_bad_weekday_names_the_line_and_setting(tmp_path: Path) -> None:
    """A weekday that does not exist is reported at schedule.weekday."""
    file = write(tmp_path, CONFIG.replace("weekday: maandag", "weekday: maandagochtend"))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "weekday:"), "schedule.weekday")
    assert "maandagochtend" in str(error)


def test_unquoted_time_that_yaml_reads_as_a_number_is_refused(tmp_path: Path) -> None:
    """time: 10:30 without quotes is a base-60 number to YAML; the error asks for quotes."""
    file = write(tmp_path, CONFIG.replace('time: "09:00"', "time: 10:30"))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "time:"), "schedule.time")
    assert "in quotes" in str(error)


@pytest.mark.parametrize("value", ['"25:00"', '"9u00"', '"09:60"', '"nu"'])
def test_invalid_time_is_refused(tmp_path: Path, value: str) -> None:
    """A time that is not HH:MM on a 24-hour clock is refused at its setting."""
    file = write(tmp_path, CONFIG.replace('"09:00"', value))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "time:"), "schedule.time")


def test_duplicate_rkk_key_points_at_the_second_key(tmp_path: Path) -> None:
    """Two RKKs with the same key: the error names rkks[1].key at the second one's line."""
    file = write(tmp_path, CONFIG.replace("key: kempen", "key: antwerpen"))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "key: antwerpen", 2), "rkks[1].key")
    assert "'antwerpen' is used twice" in str(error)


def test_bad_rkk_key_is_refused(tmp_path: Path) -> None:
    """RKK keys are lower-case letters, digits and hyphens."""
    file = write(tmp_path, CONFIG.replace("key: kempen", "key: RKK Kempen"))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "key: RKK Kempen"), "rkks[1].key")


def test_missing_rkk_name_is_required(tmp_path: Path) -> None:
    """An RKK without a name is refused at that RKK."""
    file = write(tmp_path, CONFIG.replace("    name: RKK Kempen\n", ""))
    error = config_error(file)
    assert error.setting == "rkks[1].name"
    assert error.line == line_of(file, "key: kempen")
    assert "is required" in str(error)


def test_pause_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    """A pause whose "to" lies before its "from" is reported at pauses[0].to."""
    file = write(tmp_path, CONFIG + "pauses:\n  - from: 2027-07-01\n    to: 2027-06-30\n    reason: zomer\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "to: 2027-06-30"), "pauses[0].to")
    assert "ends before it starts" in str(error)


def test_pause_date_given_as_text_is_refused(tmp_path: Path) -> None:
    """A quoted date is text, not a date, and the error says how to write it."""
    file = write(tmp_path, CONFIG + 'pauses:\n  - from: "1 juli"\n    to: 2027-08-31\n')
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "from:"), "pauses[0].from")
    assert "YYYY-MM-DD" in str(error)


def test_pause_of_one_rkk_names_its_path(tmp_path: Path) -> None:
    """A broken pause inside an RKK is reported as rkks[1].pauses[0].to."""
    rkk_pause = "    pauses:\n      - from: 2026-12-21\n        to: 2026-12-01\n"
    file = write(tmp_path, CONFIG.replace("    channel: Algemeen\n", "    channel: Algemeen\n" + rkk_pause))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "to: 2026-12-01"), "rkks[1].pauses[0].to")


@pytest.mark.parametrize("domain", ["brasschaat", "brass chaat.be", "jan@brasschaat.be"])
def test_bad_domain_is_refused_at_its_line(tmp_path: Path, domain: str) -> None:
    """A key under domains that is not a mail domain is reported at its line."""
    file = write(tmp_path, CONFIG.replace("brasschaat.be: Gemeente", f"{domain}: Gemeente"))
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "Gemeente Brasschaat"), f"domains.{domain}")
    assert "not a mail domain" in str(error)


def test_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    """A time zone that does not exist is reported at timezone."""
    file = write(tmp_path, CONFIG.replace("Europe/Brussels", "Europe/Brussel"))
    error = config_error(file)
    assert (error.line, error.setting) == (1, "timezone")


def test_config_without_rkks_outside_demo_is_refused(tmp_path: Path) -> None:
    """Outside demo mode at least one RKK is needed."""
    error = config_error(write(tmp_path, "timezone: Europe/Brussels\nrkks: []\n"))
    assert (error.line, error.setting) == (2, "rkks")


def test_theme_rule_out_of_range_is_refused(tmp_path: Path) -> None:
    """Theme thresholds are whole numbers in range."""
    file = write(tmp_path, CONFIG + "themes:\n  min_besturen: 1\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "min_besturen"), "themes.min_besturen")


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    """A config file that does not exist is a ConfigError naming it."""
    error = config_error(tmp_path / "bestaat-niet.yaml")
    assert str(error) == f"{tmp_path / 'bestaat-niet.yaml'}: file not found"


def test_missing_questions_file_names_that_file(tmp_path: Path) -> None:
    """A questions setting pointing at a missing file names that file in the error."""
    error = config_error(write(tmp_path, CONFIG + "questions: vragen.yaml\n"))
    assert str(tmp_path / "vragen.yaml") in str(error)
    assert "not found" in str(error)


def test_missing_questions_file_names_the_config_line_that_refers_to_it(tmp_path: Path) -> None:
    """The error for a missing questions file also points at the `questions:` line of the config."""
    file = write(tmp_path, CONFIG + "questions: vragen.yaml\n")
    error = config_error(file)
    assert f"{file}:{line_of(file, 'questions: vragen.yaml')}: questions" in str(error)


def test_question_too_short_names_questions_file_line_and_path(tmp_path: Path) -> None:
    """A question under 10 characters is reported in the questions file at questions[1].text."""
    questions = QUESTIONS.replace("Hoe vaak organiseren jullie een phishingsimulatie?", "Phishing?")
    error = config_error(write(tmp_path, CONFIG, questions))
    questions_file = tmp_path / "questions.yaml"
    assert (error.file, error.line, error.setting) == (
        questions_file,
        line_of(questions_file, "Phishing?"),
        "questions[1].text",
    )
    assert str(error).startswith(f"{questions_file}:{error.line}: questions[1].text:")


def test_question_too_long_is_refused(tmp_path: Path) -> None:
    """A question over 500 characters is refused."""
    file = tmp_path / "q.yaml"
    file.write_text(f'questions:\n  - key: lang\n    text: "{"a" * 501}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_questions(file)
    assert (caught.value.line, caught.value.setting) == (3, "questions[0].text")


def test_question_text_whitespace_is_collapsed(tmp_path: Path) -> None:
    """A folded question keeps single spaces between its words."""
    file = tmp_path / "q.yaml"
    file.write_text("questions:\n  - key: lang\n    text: >\n      Hoe doen\n      jullie   dat?\n", encoding="utf-8")
    assert load_questions(file) == (("lang", "Hoe doen jullie dat?"),)


def test_duplicate_question_key_is_refused(tmp_path: Path) -> None:
    """Question keys are unique; the second one is reported."""
    error = config_error(write(tmp_path, CONFIG, QUESTIONS.replace("key: phishing", "key: magda")))
    assert (error.line, error.setting) == (line_of(tmp_path / "questions.yaml", "key: magda", 2), "questions[1].key")


def test_impossible_pause_date_is_a_config_error(tmp_path: Path) -> None:
    """A pause on 30 February is reported as a ConfigError at its line, not as a traceback."""
    file = write(tmp_path, CONFIG + "pauses:\n  - from: 2026-02-30\n    to: 2026-03-05\n")
    error = config_error(file)
    assert error.line == line_of(file, "2026-02-30")


def test_pause_with_a_time_of_day_is_a_config_error(tmp_path: Path) -> None:
    """A pause "from" written as a timestamp is refused as not being a YYYY-MM-DD date."""
    file = write(tmp_path, CONFIG + "pauses:\n  - from: 2026-12-21 10:00:00\n    to: 2027-01-03\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "from:"), "pauses[0].from")


def test_unknown_yaml_tag_is_a_config_error(tmp_path: Path) -> None:
    """A value with a tag SafeLoader cannot build is reported as a ConfigError at its line."""
    file = write(tmp_path, CONFIG.replace("name: RKK Kempen", "name: !kempen RKK Kempen"))
    error = config_error(file)
    assert error.line == line_of(file, "!kempen")


def test_retention_defaults_to_24_months_and_can_be_set(tmp_path: Path) -> None:
    """Without `retention:` answers are kept 24 months; `retention: {months: 36}` keeps them 36."""
    assert load_config(write(tmp_path, CONFIG)).retention_months == 24
    assert load_config(write(tmp_path, CONFIG + "retention:\n  months: 36\n")).retention_months == 36


@pytest.mark.parametrize("value", ["0", "zes", "2.5", "true", "241"])
def test_bad_retention_names_file_line_and_setting(tmp_path: Path, value: str) -> None:
    """A retention that is not a whole number of months from 1 to 240 is refused at its line."""
    file = write(tmp_path, CONFIG + f"retention:\n  months: {value}\n")
    error = config_error(file)
    assert (error.line, error.setting) == (line_of(file, "months:"), "retention.months")
    assert "whole number of months from 1 to 240" in str(error)


def test_unknown_retention_setting_is_named(tmp_path: Path) -> None:
    """A misspelt key under `retention:` is reported with the keys that exist."""
    file = write(tmp_path, CONFIG + "retention:\n  maanden: 12\n")
    error = config_error(file)
    assert error.setting == "retention.maanden" and "known: months" in str(error)
