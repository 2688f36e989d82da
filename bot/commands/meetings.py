"""Teams-facing side of kennismomenten: the planning form, the announcement card's buttons.

The form is shown in place of the card that was pressed (an Action.Execute answer for the presser only)
rather than in a task module: Universal Actions work the same on desktop, web and mobile, and in the
Agents Playground, which does not run task modules. Each verb authorises, calls one use case of
rkk.meetings and answers with one card (or a refusal that changes nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot import activity_facts as facts
from bot.commands.meeting_texts import planned_notice, refusal
from bot.commands.themes import actor_of
from bot.roster import TeamRoster
from cards.crosspost import theme_card
from cards.meetings import FormValues, meeting_card, move_form, plan_form
from i18n.catalog import Catalog
from rkk.access import Coordinators, Person
from rkk.crosspost import theme_on_card, theme_view
from rkk.errors import RkkError
from rkk.meetings import (
    InvalidMeeting,
    MeetingPorts,
    MeetingSettings,
    MeetingView,
    answer_rsvp,
    cancel_meeting,
    changeable,
    move_meeting,
    plan_meeting,
    subject_of_theme,
    theme_description,
    view_for,
)
from rkk.model import AuditEntry

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
MEETING_VERBS = frozenset(
    {
        "theme_plan",
        "meeting_plan",
        "meeting_plan_back",
        "meeting_rsvp",
        "meeting_refresh",
        "meeting_move",
        "meeting_move_submit",
        "meeting_cancel",
        "meeting_cancel_confirm",
    }
)
MANAGE_VERBS = frozenset({"meeting_move", "meeting_move_submit", "meeting_cancel", "meeting_cancel_confirm"})
DEFAULT_DAYS_AHEAD = 14  # the form suggests a date two weeks ahead


@dataclass(frozen=True)
class MeetingActionDeps:
    """What the kennismoment buttons are built from (composed in app.py)."""

    ports: MeetingPorts
    settings: MeetingSettings
    texts: Catalog
    coordinators: Coordinators
    roster: TeamRoster
    clock: Callable[[], datetime]
    audit: Callable[[AuditEntry], Awaitable[None]]
    cards_changed: Callable[[int], None]  # redraw every announcement card of the meeting soon (after answers)


class MeetingActions:
    """Handles "Plan een kennismoment" and every button of the form and the announcement card."""

    def __init__(self, deps: MeetingActionDeps) -> None:
        self._d = deps

    async def on_action(
        self, turn: TurnContext, verb: str, data: Mapping[str, Any], person: Person, lang: str
    ) -> AdaptiveCardInvokeResponse:
        """Answer one button: a card for the presser, or a refusal that changed nothing."""
        activity = turn.activity
        conversation = activity.conversation.id if activity.conversation else None
        coordinator = self._d.coordinators.may_steer(person, None)
        try:
            if verb in ("theme_plan", "meeting_plan", "meeting_plan_back"):
                return _card(await self._plan(turn, verb, data, person, coordinator, conversation, lang))
            return _card(await self._announcement(turn, verb, data, person, coordinator, conversation, lang))
        except _Refused as refused:
            return _message(refused.text)
        except RkkError as error:
            logger.info("meeting action %s refused: %s", verb, error)
            return _message(refusal(error, self._d.texts, lang, self._d.settings.timezone))

    async def _plan(
        self,
        turn: TurnContext,
        verb: str,
        data: Mapping[str, Any],
        person: Person,
        coordinator: bool,
        conversation: str | None,
        lang: str,
    ) -> dict[str, Any]:
        """The form from the theme card, its submit, and "back" to the theme card."""
        d = self._d
        if not coordinator:  # authorise before reading anything
            raise _Refused(d.texts.text("meeting_not_coordinator", lang))
        theme, _ = await theme_on_card(d.ports.themes, data.get("themeId"), conversation)
        now = d.clock()
        if verb == "meeting_plan_back":
            return theme_card(await theme_view(d.ports.themes, theme, show_names=False), d.texts, lang)
        subject = subject_of_theme(theme)
        if verb == "theme_plan":
            day = (now.astimezone(d.settings.timezone) + timedelta(days=DEFAULT_DAYS_AHEAD)).date().isoformat()
            values = FormValues(title=theme.label[:150], date=day, description=theme_description(theme))
            return self._form(theme.key, subject.label, values, now, lang)
        actor = actor_of(turn.activity, person)
        try:
            outcome = await plan_meeting(d.ports, d.settings, subject, data, actor, coordinator, now)
        except (InvalidMeeting, RkkError) as error:
            if isinstance(error, InvalidMeeting) or error.code == "meeting_calendar_failed":
                text = refusal(error, d.texts, lang, d.settings.timezone, created=True)
                return self._form(theme.key, subject.label, FormValues.typed(dict(data)), now, lang, text)
            raise
        meeting = outcome.meeting
        await d.audit(
            self._entry(turn, person, "meeting_plan", f"{meeting.details.title} ({meeting.details.starts_at})")
        )
        fresh = await d.ports.themes.get_theme(theme.key) or theme
        view = await theme_view(d.ports.themes, fresh, show_names=False)
        names = {rkk.key: rkk.name for rkk in await d.ports.meetings.rkks(subject.rkk_keys)}
        return theme_card(view, d.texts, lang, notice=planned_notice(outcome.report, names, d.texts, lang))

    async def _announcement(
        self,
        turn: TurnContext,
        verb: str,
        data: Mapping[str, Any],
        person: Person,
        coordinator: bool,
        conversation: str | None,
        lang: str,
    ) -> dict[str, Any]:
        """The announcement card's buttons: answers, the viewer's refresh, move and cancel."""
        d, now, meeting_id = self._d, self._d.clock(), data.get("meetingId")
        if verb in MANAGE_VERBS and not coordinator:
            raise _Refused(d.texts.text("meeting_not_coordinator", lang))
        member_id = facts.person_of(turn.activity).aad_object_id or turn.activity.from_property.id
        if verb == "meeting_rsvp":
            going = data.get("going")
            if not isinstance(going, bool):
                raise _Refused(d.texts.text("meeting_foreign", lang))
            member = await d.roster.member(turn)
            user_id = turn.activity.from_property.id
            view = await answer_rsvp(d.ports, meeting_id, conversation, member, user_id, going, coordinator, now)
            d.cards_changed(view.meeting.id)
            return self._card(view, lang, notice="meeting_saved_going" if going else "meeting_saved_not_going")
        if verb == "meeting_refresh":
            return self._card(await view_for(d.ports, meeting_id, conversation, member_id, coordinator, now), lang)
        if verb == "meeting_move":
            meeting = await changeable(d.ports, meeting_id, conversation, coordinator, now)
            local = meeting.details.starts_at.astimezone(d.settings.timezone)
            values = FormValues(
                date=local.date().isoformat(), time=f"{local:%H:%M}", minutes=str(meeting.details.minutes)
            )
            return move_form(
                meeting.details.title, values, d.texts, lang, now, d.settings.timezone, meeting_id=meeting.id
            )
        if verb == "meeting_move_submit":
            return await self._move(turn, data, person, coordinator, conversation, member_id, lang)
        if verb == "meeting_cancel":
            await changeable(d.ports, meeting_id, conversation, coordinator, now)
            view = await view_for(d.ports, meeting_id, conversation, member_id, coordinator, now)
            return meeting_card(view, d.texts, lang, d.settings.timezone, confirm_cancel=True)
        cancelled = await cancel_meeting(d.ports, meeting_id, conversation, coordinator, now)
        await d.audit(self._entry(turn, person, "meeting_cancel", cancelled.details.title))
        view = await view_for(d.ports, cancelled.id, conversation, member_id, coordinator, now)
        return self._card(view, lang, notice="meeting_cancelled_done")

    async def _move(
        self,
        turn: TurnContext,
        data: Mapping[str, Any],
        person: Person,
        coordinator: bool,
        conversation: str | None,
        member_id: str,
        lang: str,
    ) -> dict[str, Any]:
        d, now, meeting_id = self._d, self._d.clock(), data.get("meetingId")
        try:
            moved = await move_meeting(d.ports, d.settings, meeting_id, conversation, data, coordinator, now)
        except (InvalidMeeting, RkkError) as error:
            if isinstance(error, InvalidMeeting) or error.code == "meeting_calendar_failed":
                meeting = await changeable(d.ports, meeting_id, conversation, coordinator, now)
                text = refusal(error, d.texts, lang, d.settings.timezone)
                values = replace(FormValues.typed(dict(data)), title=meeting.details.title)
                return move_form(
                    meeting.details.title,
                    values,
                    d.texts,
                    lang,
                    now,
                    d.settings.timezone,
                    meeting_id=meeting.id,
                    error=text,
                )
            raise
        await d.audit(self._entry(turn, person, "meeting_move", f"{moved.details.title} ({moved.details.starts_at})"))
        view = await view_for(d.ports, moved.id, conversation, member_id, coordinator, now)
        return self._card(view, lang, notice="meeting_moved_done")

    def _form(
        self, theme_key: str, label: str, values: FormValues, now: datetime, lang: str, error: str = ""
    ) -> dict[str, Any]:
        d, calendar = self._d, self._d.ports.calendar
        if calendar is None:
            hint = d.texts.text("meeting_form_link_hint", lang)
        else:
            hint = d.texts.text("meeting_form_graph_hint", lang, organizer=calendar.organizer)
        about = d.texts.text("meeting_form_about", lang, label=label)
        data = {"themeId": theme_key}
        return plan_form(
            about,
            values,
            d.texts,
            lang,
            now,
            d.settings.timezone,
            ask_link=calendar is None,
            hint=hint,
            submit=("meeting_plan", data),
            back=("meeting_plan_back", data),
            error=error,
        )

    def _card(self, view: MeetingView, lang: str, notice: str = "") -> dict[str, Any]:
        text = self._d.texts.text(notice, lang) if notice else ""
        return meeting_card(view, self._d.texts, lang, self._d.settings.timezone, notice=text)

    def _entry(self, turn: TurnContext, person: Person, action: str, detail: str) -> AuditEntry:
        actor = actor_of(turn.activity, person)
        conversation = turn.activity.conversation.id if turn.activity.conversation else None
        return AuditEntry(self._d.clock(), actor.id, actor.name, action, None, detail[:500], conversation)


class _Refused(Exception):
    """A refusal told to the presser as it is."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
