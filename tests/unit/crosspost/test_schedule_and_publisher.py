"""The weekly job's slot, and the Teams publisher's thread replies."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.outbound.theme_publisher import TeamsThemePublisher, escape_markdown, thread_of
from i18n.catalog import Catalog
from rkk.crosspost.model import Growth
from rkk.model import ChannelTarget
from rkk.ports import Posted
from scheduler.crosspost import JOB_ID, add_crosspost_job, weekly_slot
from tests.unit.crosspost.doubles import SERVICE_URL, FakeConnector

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_the_job_runs_half_an_hour_after_the_last_round_closes() -> None:
    """The latest close of the week plus 30 minutes, wrapping past midnight and Sunday."""
    assert weekly_slot([(4, 17, 0), (3, 12, 0)]) == (4, 17, 30)
    assert weekly_slot([(6, 23, 45)]) == (0, 0, 15)


async def test_the_job_is_added_to_an_existing_scheduler() -> None:
    """One cron job with a fixed id, in the given time zone."""
    scheduler = AsyncIOScheduler(timezone=BRUSSELS)

    async def run() -> None:
        return None

    add_crosspost_job(scheduler, run, [(4, 17, 0)], BRUSSELS)
    [job] = scheduler.get_jobs()
    assert job.id == JOB_ID
    assert str(job.trigger) == "cron[day_of_week='fri', hour='17', minute='30']"


def test_names_in_a_markdown_reply_cannot_format() -> None:
    """Formatting characters in names are escaped."""
    assert escape_markdown("Gemeente *Vet* [x](y)") == "Gemeente \\*Vet\\* \\[x\\]\\(y\\)"


def test_a_reply_goes_to_the_cards_thread() -> None:
    """The reply's conversation is the channel with the card's message id."""
    assert thread_of(Posted("19:rode@thread.tacv2;messageid=17", "17")) == "19:rode@thread.tacv2;messageid=17"
    assert thread_of(Posted("19:rode@thread.tacv2", "17")) == "19:rode@thread.tacv2;messageid=17"


async def test_the_growth_reply_says_what_changed(texts: Catalog) -> None:
    """The theme's name (Markdown escaped), counts, new RKKs and new besturen, in Dutch."""
    connector = FakeConnector()
    publisher = TeamsThemePublisher(connector, texts)
    target = ChannelTarget(SERVICE_URL, "t", "19:over", "19:rode")
    growth = Growth(("RKK Oost",), ("Deinze", "Zulte"), 4, 8, returned=False, name="Valse *mails*")
    await publisher.announce_growth(target, Posted("19:rode;messageid=17", "17"), growth)
    [(conversation, activity)] = connector.sent
    assert conversation == "19:rode;messageid=17"
    assert activity.text == (
        "De rode draad “Valse \\*mails\\*” groeit: nu 4 RKK's en 8 besturen.\n\n"
        "Nieuwe RKK's: RKK Oost.\n\n"
        "Nieuwe besturen: Deinze, Zulte."
    )
