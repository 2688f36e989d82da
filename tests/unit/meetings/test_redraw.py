"""Redrawing announcement cards after answers: a burst costs one round of updates, never an error for the member."""

from __future__ import annotations

import asyncio

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from rkk.meetings import Rsvp, plan_meeting, subject_of_theme
from rkk.rounds.weeks import BRUSSELS
from scheduler.meetings import JOB_ID, CardRedraw, MeetingFollowUp, add_meetings_job
from tests.unit.meetings.fakes import FORM, GLOBAL, NOW, World, world


async def answered(w: World, count: int) -> int:
    """A planned meeting with `count` answers stored (as the buttons store them); its id."""
    outcome = await plan_meeting(w.ports, w.settings, subject_of_theme(w.themes.themes["t-1"]), FORM, GLOBAL, True, NOW)
    meeting = outcome.meeting
    for n in range(count):
        rsvp = Rsvp(meeting.id, f"aad-{n}", f"29:{n}", f"Lid {n}", f"Bestuur {n}", "kempen", True)
        await w.meetings.save_rsvp(rsvp, NOW)
    return meeting.id


async def test_a_burst_of_answers_redraws_each_card_once() -> None:
    """Ten answers in a row: every announcement card is updated once, with all ten counted."""
    w = world()
    meeting_id = await answered(w, 10)
    redraw = CardRedraw(w.ports, lambda: NOW, delay=0.01)
    for _ in range(10):
        redraw.changed(meeting_id)
    await asyncio.sleep(0.1)
    assert len(w.publisher.updates) == 3
    assert {view.attendance.members for _, view in w.publisher.updates} == {10}


async def test_a_failing_redraw_is_logged_and_the_next_change_redraws_again() -> None:
    """A broken store does not end the redraws."""
    w = world()
    meeting_id = await answered(w, 1)
    redraw = CardRedraw(w.ports, lambda: NOW, delay=0.0)
    original = w.meetings.get_meeting

    async def broken(_: int) -> None:
        raise RuntimeError("database gone")

    w.meetings.get_meeting = broken  # type: ignore[assignment,method-assign]
    redraw.changed(meeting_id)
    await asyncio.sleep(0.05)
    w.meetings.get_meeting = original  # type: ignore[method-assign]
    redraw.changed(meeting_id)
    await asyncio.sleep(0.05)
    assert len(w.publisher.updates) == 3


async def test_closing_cancels_pending_redraws() -> None:
    """Shutdown does not wait for the gathering delay."""
    w = world()
    meeting_id = await answered(w, 1)
    redraw = CardRedraw(w.ports, lambda: NOW, delay=60)
    redraw.changed(meeting_id)
    await asyncio.wait_for(redraw.close(), 1)
    assert w.publisher.updates == []


async def test_the_follow_up_job_runs_every_five_minutes() -> None:
    """One interval job with a fixed id."""
    scheduler = AsyncIOScheduler(timezone=BRUSSELS)
    w = world()
    add_meetings_job(scheduler, MeetingFollowUp(w.ports, w.settings, lambda: NOW))
    [job] = scheduler.get_jobs()
    assert job.id == JOB_ID and str(job.trigger) == "interval[0:05:00]"
