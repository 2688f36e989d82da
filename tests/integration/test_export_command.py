"""`export`: the coordinator's answers as a CSV file through Teams' file consent flow, with a real store and
a strict OneDrive upload URL on localhost."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from botbuilder.core import InvokeResponse
from botbuilder.schema import Activity

from bot.handler import RkkBot
from bot.outbound.file_upload import FILE_CONSENT_CARD, FILE_INFO_CARD, FileUploader
from i18n.catalog import Catalog
from rkk.answers.export import COLUMNS
from rkk.crosspost import ThemeChanges
from rkk.model import AuditEntry, Member
from rkk.store.crosspost import ThemeStore
from rkk.store.rounds.sql_store import SqlStore
from rkk.themes import Theme
from tests.doubles.onedrive import UNIQUE_ID, Fault, UploadSession, upload_url
from tests.doubles.rounds import posted_round
from tests.doubles.teams import TEAM_ID, channel_message, file_consent, installed
from tests.integration.test_commands import COORDINATOR, GLOBAL, MEMBER, Bot

AN = Member("aad-an", "An Peeters", "an@brasschaat.be", "Gemeente Brasschaat")
JAN = Member("aad-jan", "Jan Coördinator", "jan@kempen.be", "Stad Geel")
LIES = Member("aad-lies", "Lies Maes", "lies@genk.be", "Stad Genk")
LIMBURG_TEAM = "19:limburg-general@thread.tacv2"


@pytest.fixture
def waits() -> list[float]:
    """The Retry-After waits of the uploader (recorded, not slept)."""
    return []


@pytest.fixture
async def bot(store: SqlStore, texts: Catalog, now: datetime, waits: list[float]) -> Bot:
    """Installed in Kempen; uploads record their waits instead of sleeping and give up after 1 s."""
    await store.sync_question_bank((("q1", "Hoe beheren jullie laptops: Intune of iets anders?"),))
    harness = Bot(store, texts, now)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    harness.deps = replace(harness.deps, uploader=FileUploader(timeout=1.0, sleep=sleep))
    harness.bot = RkkBot(harness.deps)
    await harness.send(installed())
    return harness


async def _give(store: SqlStore, round_id: int, member: Member, text: str, at: datetime) -> None:
    """A member's card answer, stored as the answering flow stores it."""
    await store.save_card_answer(round_id, member, text, at)


@pytest.fixture
async def answers(bot: Bot, store: SqlStore, now: datetime) -> None:
    """Two answers in Kempen, one in Limburg (an RKK the Kempen coordinator does not coordinate)."""
    kempen = await posted_round(store, "kempen", "2026-W48", now, TEAM_ID, "1700000000001")
    await _give(store, kempen.id, AN, "Intune, sinds maart; één beheerder.", now - timedelta(hours=1))
    await _give(store, kempen.id, JAN, 'Nog manueel, "binnenkort" Intune.', now)
    await store.upsert_rkk("limburg", "RKK Limburg", LIMBURG_TEAM, LIMBURG_TEAM)
    limburg = await posted_round(store, "limburg", "2026-W48", now, LIMBURG_TEAM, "1700000000002")
    await _give(store, limburg.id, LIES, "Workspace ONE.", now)


@pytest.fixture
async def onedrive() -> AsyncIterator[tuple[str, UploadSession]]:
    """The upload URL Teams hands out on accept, and what it received."""
    session = UploadSession()
    async with upload_url(session) as url:
        yield url, session


async def _export(bot: Bot, text: str = "export", sender: Any = COORDINATOR, locale: str = "nl-BE") -> list[Activity]:
    """What the bot answers to `text` typed in the personal chat."""
    activity = channel_message(text, sender, team_id=None)
    activity.locale = locale
    return await bot.send(activity)


def _consent_card(activities: list[Activity]) -> dict[str, Any]:
    [activity] = activities
    [attachment] = activity.attachments
    assert attachment.content_type == FILE_CONSENT_CARD
    assert attachment.name == "rkk-antwoorden-2026-11-23.csv"
    content: dict[str, Any] = attachment.content
    return content


async def _answer(
    bot: Bot, action: str, context: dict[str, Any], url: str, sender: Any = COORDINATOR
) -> list[Activity]:
    """The person presses Allow (or Decline): the invoke is answered 200, the messages are returned."""
    activities = await bot.send(file_consent(action, context, url, sender))
    [response] = [a for a in activities if a.type == "invokeResponse"]
    assert isinstance(response.value, InvokeResponse) and response.value.status == 200
    return [a for a in activities if a.type == "message"]


def _csv_rows(session: UploadSession) -> list[dict[str, str]]:
    data = bytes(session.received)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel shows the accents"
    assert data.decode("utf-8-sig").startswith(";".join(COLUMNS[:2])), "semicolons, as nl-BE Excel splits on them"
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


async def test_export_in_a_channel_says_to_use_a_personal_chat(bot: Bot, answers: None) -> None:
    """In the team's channel the coordinator is told how to open a personal chat; no file is offered."""
    [reply] = await bot.send(channel_message("export", COORDINATOR))
    assert "Exporteren kan alleen in een persoonlijke chat met mij" in reply.text
    assert "kies **Chat**" in reply.text and not reply.attachments
    english = channel_message("exporteer", COORDINATOR)
    english.locale = "en-US"
    [reply] = await bot.send(english)
    assert "Export only works in a personal chat with me" in reply.text


async def test_group_chat_is_not_a_personal_chat(bot: Bot, answers: None) -> None:
    """A group chat with the bot gets the same explanation."""
    activity = channel_message("export", COORDINATOR, team_id=None)
    activity.conversation.conversation_type, activity.conversation.is_group = "groupChat", True
    [reply] = await bot.send(activity)
    assert "alleen in een persoonlijke chat" in reply.text and not reply.attachments


async def test_coordinator_gets_a_consent_card_for_their_rkk(bot: Bot, answers: None, now: datetime) -> None:
    """The card says in Dutch how many answers of which RKK, up to when, and that names and the GDPR apply."""
    card = _consent_card(await _export(bot))
    description = card["description"]
    assert "CSV met 2 antwoorden uit RKK Kempen, tot en met maandag 23 november 2026 om 10:00" in description
    assert "namen en andere persoonsgegevens" in description and "AVG/GDPR" in description
    assert "Limburg" not in description
    assert card["acceptContext"] == {"rkks": ["kempen"], "until": now.isoformat()}
    assert card["declineContext"] == {}
    english = _consent_card(await _export(bot, locale="en-GB"))["description"]
    assert english.startswith("CSV with 2 answers from RKK Kempen") and "GDPR" in english


async def test_accepted_export_is_uploaded_and_shown_as_a_file(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession], store: SqlStore, now: datetime
) -> None:
    """After Allow the CSV (names, only the coordinator's RKK, up to the card's moment) lands in OneDrive."""
    url, session = onedrive
    card = _consent_card(await _export(bot))
    kempen = await store.round_for_week("kempen", "2026-W48")
    assert kempen is not None
    late = Member("aad-late", "Laat Antwoord", None, "OCMW Mol")
    await _give(store, kempen.id, late, "Na de export gegeven.", now + timedelta(minutes=5))
    [reply] = await _answer(bot, "accept", card["acceptContext"], url)
    assert "Klaar: het bestand **rkk-antwoorden-2026-11-23.csv** met 2 antwoorden staat in je OneDrive" in reply.text
    [file_card] = reply.attachments
    assert file_card.content_type == FILE_INFO_CARD and file_card.name == "rkk-antwoorden-2026-11-23.csv"
    assert file_card.content_url.startswith("https://victor-my.sharepoint.com/")
    assert file_card.content == {"uniqueId": UNIQUE_ID, "fileType": "csv"}
    assert len(session.received) == card["sizeInBytes"] and session.ranges == [
        f"bytes 0-{len(session.received) - 1}/{len(session.received)}"
    ]
    rows = _csv_rows(session)
    assert [(r["rkk"], r["member_name"], r["bestuur"], r["text"]) for r in rows] == [
        ("kempen", "An Peeters", "Gemeente Brasschaat", "Intune, sinds maart; één beheerder."),
        ("kempen", "Jan Coördinator", "Stad Geel", 'Nog manueel, "binnenkort" Intune.'),
    ]
    [entry] = await bot.deps.admin.audit_entries()
    assert (entry.action, entry.actor_name, entry.rkk_key) == ("export", "Coördinator Kempen", "kempen")
    assert entry.detail.startswith("CSV met 2 antwoorden uit kempen")


async def test_the_csv_names_each_answers_theme_and_its_description(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession], store: SqlStore, now: datetime
) -> None:
    """The last two columns are the theme, as coordinators named it, and its description; empty outside themes."""
    url, session = onedrive
    [first, second] = [row.answer_id for row in await store.export_rows(["kempen"])]
    repo = ThemeStore(store.engine)
    intune = Theme(
        "t-intune",
        "Intune",
        ("intune",),
        (),
        ("kempen",),
        ("Gemeente Brasschaat",),
        "2026-W48",
        "2026-W48",
        recurring=False,
        description="1 bestuur uit 1 RKK; “Intune, sinds maart”.",
    )
    await repo.save_changes(ThemeChanges([intune], {str(first): intune.key}, [], {}, [], [], []), now)
    entry = AuditEntry(now, "aad-global", "Griet", "theme_rename", None, "t-intune", None)
    await repo.rename_theme(intune.key, "Laptops; beheer met Intune", entry)
    card = _consent_card(await _export(bot))
    await _answer(bot, "accept", card["acceptContext"], url)
    assert COLUMNS[-4:] == ("theme", "theme_description", "theme_state", "kennismoment")
    rows = _csv_rows(session)
    assert [(r["answer_id"], r["theme"], r["theme_description"]) for r in rows] == [
        (str(first), "Laptops; beheer met Intune", "1 bestuur uit 1 RKK; “Intune, sinds maart”."),
        (str(second), "", ""),
    ]


async def test_global_coordinator_exports_every_rkk_or_the_one_named(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession]
) -> None:
    """A global coordinator gets all RKKs; `export limburg` (key) or `export RKK Limburg` (name) narrows it."""
    url, session = onedrive
    every = _consent_card(await _export(bot, sender=GLOBAL))
    assert "3 antwoorden uit RKK Kempen, RKK Limburg" in every["description"]
    for text in ("export limburg", "exporteer RKK Limburg"):
        card = _consent_card(await _export(bot, text, GLOBAL))
        assert "CSV met 1 antwoord uit RKK Limburg" in card["description"]
    await _answer(bot, "accept", card["acceptContext"], url, GLOBAL)
    assert [(r["rkk"], r["member_name"]) for r in _csv_rows(session)] == [("limburg", "Lies Maes")]


async def test_named_rkk_must_be_known_and_coordinated(bot: Bot, answers: None) -> None:
    """A coordinator cannot export another RKK; an unknown RKK is named with the ones they may export."""
    [refused] = await _export(bot, "export limburg")
    assert "Alleen coördinatoren kunnen **export** gebruiken" in refused.text and not refused.attachments
    [unknown] = await _export(bot, "export gent")
    assert "Ik ken geen RKK 'gent'. Bekende RKK's: kempen." in unknown.text


async def test_member_cannot_export(bot: Bot, answers: None) -> None:
    """A member who coordinates nothing is refused in the personal chat and gets no card."""
    [reply] = await _export(bot, sender=MEMBER)
    assert "Alleen coördinatoren" in reply.text and not reply.attachments


async def test_nothing_to_export_gives_a_sentence_not_a_card(bot: Bot) -> None:
    """Without answers there is no consent card, just a Dutch sentence."""
    [reply] = await _export(bot)
    assert reply.text == "Er is nog niets om te exporteren: er zijn nog geen antwoorden in RKK Kempen."
    assert not reply.attachments


@pytest.mark.parametrize(
    "context",
    [
        {"rkks": ["kempen"], "until": "2026-11-23T09:00:00+00:00"},  # a member presses a forwarded card
        {"rkks": ["kempen", "limburg"], "until": "2026-11-23T09:00:00+00:00"},  # a context widened by hand
    ],
)
async def test_forged_accept_exports_nothing(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession], context: dict[str, Any]
) -> None:
    """Accepting a card for RKKs one does not coordinate is refused on the server: nothing is uploaded."""
    url, session = onedrive
    sender = MEMBER if context["rkks"] == ["kempen"] else COORDINATOR
    [reply] = await _answer(bot, "accept", context, url, sender)
    assert "Alleen coördinatoren kunnen **export** gebruiken" in reply.text and not reply.attachments
    assert session.requests == 0 and await bot.deps.admin.audit_entries() == []


@pytest.mark.parametrize(
    "context",
    [{}, {"rkks": "kempen", "until": "2026-11-23T09:00:00+00:00"}, {"rkks": ["kempen"], "until": "gisteren"}],
)
async def test_accept_with_a_context_the_bot_did_not_make_is_refused(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession], context: dict[str, Any]
) -> None:
    """A context without RKK keys or with an unreadable moment uploads nothing."""
    url, session = onedrive
    [reply] = await _answer(bot, "accept", context, url)
    assert "Deze knop ken ik niet (meer)" in reply.text and session.requests == 0


async def test_decline_uploads_nothing(bot: Bot, answers: None, onedrive: tuple[str, UploadSession]) -> None:
    """Declining gets a short Dutch acknowledgement; OneDrive is not contacted and nothing is audited."""
    url, session = onedrive
    [reply] = await _answer(bot, "decline", {}, url)
    assert reply.text == "Goed, ik heb niets geüpload."
    assert session.requests == 0 and await bot.deps.admin.audit_entries() == []


@pytest.mark.parametrize(
    "fault",
    [Fault(500), Fault(403), Fault(429, {"Retry-After": "120"}), Fault(503, {"Retry-After": "3600"})],
)
async def test_failed_upload_is_told_in_dutch_and_logged_without_secrets(
    bot: Bot,
    answers: None,
    onedrive: tuple[str, UploadSession],
    fault: Fault,
    waits: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An error status (or a Retry-After too long to wait for) fails the upload with a clear Dutch message."""
    url, session = onedrive
    session.faults = [fault]
    with caplog.at_level(logging.DEBUG):
        [reply] = await _answer(bot, "accept", {"rkks": ["kempen"], "until": "2026-11-23T09:00:00+00:00"}, url)
    assert reply.text == "Het uploaden naar OneDrive lukte niet; probeer opnieuw met **export**."
    assert not reply.attachments and session.received == bytearray() and session.requests == 1
    assert waits == []
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "aiohttp.access")  # not OneDrive's log
    assert f"HTTP {fault.status}" in logged
    assert "SECRET-TEMPAUTH" not in logged and "An Peeters" not in logged and "Intune" not in logged
    assert await bot.deps.admin.audit_entries() == []


async def test_throttled_upload_waits_for_a_short_retry_after_once(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession], waits: list[float]
) -> None:
    """429 with Retry-After: 1 is honoured once, then the file goes up and the file card follows."""
    url, session = onedrive
    session.faults = [Fault(429, {"Retry-After": "1"})]
    [reply] = await _answer(bot, "accept", {"rkks": ["kempen"], "until": "2026-11-23T09:00:00+00:00"}, url)
    assert waits == [1.0]
    assert reply.attachments[0].content_type == FILE_INFO_CARD and len(_csv_rows(session)) == 2


async def test_upload_that_times_out_is_told_in_dutch(
    bot: Bot, answers: None, onedrive: tuple[str, UploadSession]
) -> None:
    """OneDrive answering later than the upload's time limit fails the upload, and the invoke is still 200."""
    url, session = onedrive
    session.delay = 3.0
    [reply] = await _answer(bot, "accept", {"rkks": ["kempen"], "until": "2026-11-23T09:00:00+00:00"}, url)
    assert reply.text == "Het uploaden naar OneDrive lukte niet; probeer opnieuw met **export**."
    assert not reply.attachments


async def test_help_lists_export_for_coordinators_only(bot: Bot) -> None:
    """`help` shows `export` with its Dutch explanation to coordinators, not to members."""
    assert "Alle antwoorden van jouw RKK's als CSV-bestand" in await bot.say("help", team=False)
    assert "CSV-bestand" not in await bot.say("help", MEMBER, team=False)
