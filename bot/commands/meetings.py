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
from cards.meetings import FormSpec, FormValues, form_card, meeting_card, move_spec
from i18n.catalog import Catalog
from rkk.access import Coordinators, Person
from rkk.crosspost import theme_on_card, theme_view
from rkk.errors import RkkError
from rkk.meetings import (
    CalendarError,
    InvalidMeeting,
    Meeting,
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


@dataclass(frozen=True)
class _Press:
    """One button press: who, where, with what data, when."""

    turn: TurnContext
    verb: str
    data: Mapping[str, Any]
    person: Person
    coordinator: bool  # a global coordinator: plans, moves and cancels
    conversation: str | None
    lang: str
    now: datetime

    @property
    def member_id(self) -> str:
        """The presser's Entra object id (else their Teams id), the key of their answer."""
        return facts.person_of(self.turn.activity).aad_object_id or self.turn.activity.from_property.id


class MeetingActions:
    """Handles "Plan een kennismoment" and every button of the form and the announcement card."""

    def __init__(self, deps: MeetingActionDeps) -> None:
        self._d = deps

    async def on_action(
        self, turn: TurnContext, verb: str, data: Mapping[str, Any], person: Person, lang: str
    ) -> AdaptiveCardInvokeResponse:
        """Answer one button: a card for the presser, or a refusal that changed nothing."""
        conversation = turn.activity.conversation.id if turn.activity.conversation else None
        coordinator = self._d.coordinators.may_steer(person, None)
        press = _Press(turn, verb, data, person, coordinator, conversation, lang, self._d.clock())
        try:
            if verb in ("theme_plan", "meeting_plan", "meeting_plan_back"):
                return _card(await self._plan(press))
            return _card(await self._announcement(press))
        except _Refused as refused:
            return _message(refused.text)
        except RkkError as error:
            logger.info("meeting action %s refused: %s", verb, error)
            return _message(refusal(error, self._d.texts, lang, self._d.settings.timezone))

    async def _plan(self, press: _Press) -> dict[str, Any]:
        """The form from the theme card, its submit, and "back" to the theme card."""
        d, lang = self._d, press.lang
        if not press.coordinator:  # authorise before reading anything
            raise _Refused(d.texts.text("meeting_not_coordinator", lang))
        theme, _ = await theme_on_card(d.ports.themes, press.data.get("themeId"), press.conversation)
        if press.verb == "meeting_plan_back":
            return theme_card(await theme_view(d.ports.themes, theme, show_names=False), d.texts, lang)
        subject = subject_of_theme(theme)
        if press.verb == "theme_plan":
            local = press.now.astimezone(d.settings.timezone) + timedelta(days=DEFAULT_DAYS_AHEAD)
            values = FormValues(
                title=theme.label[:150], date=local.date().isoformat(), description=theme_description(theme)
            )
            return self._form(press, theme.key, subject.label, values)
        actor = actor_of(press.turn.activity, press.person)
        try:
            outcome = await plan_meeting(d.ports, d.settings, subject, press.data, actor, press.coordinator, press.now)
        except RkkError as error:
            if not _shown_in_form(error):
                raise
            text = refusal(error, d.texts, lang, d.settings.timezone, created=True)
            return self._form(press, theme.key, subject.label, FormValues.typed(dict(press.data)), text)
        details = outcome.meeting.details
        await d.audit(self._entry(press, "meeting_plan", f"{details.title} ({details.starts_at})"))
        view = await theme_view(d.ports.themes, await d.ports.themes.get_theme(theme.key) or theme, show_names=False)
        names = {rkk.key: rkk.name for rkk in await d.ports.meetings.rkks(subject.rkk_keys)}
        return theme_card(view, d.texts, lang, notice=planned_notice(outcome.report, names, d.texts, lang))

    async def _announcement(self, press: _Press) -> dict[str, Any]:
        """The announcement card's buttons: answers, the viewer's refresh, move and cancel."""
        d, verb, now, meeting_id = self._d, press.verb, press.now, press.data.get("meetingId")
        conversation, coordinator = press.conversation, press.coordinator
        if verb in MANAGE_VERBS and not coordinator:
            raise _Refused(d.texts.text("meeting_not_coordinator", press.lang))
        if verb == "meeting_rsvp":
            going = press.data.get("going")
            if not isinstance(going, bool):
                raise _Refused(d.texts.text("meeting_foreign", press.lang))
            # Stored under the same key the card's refresh looks the answer up by.
            member = replace(await d.roster.member(press.turn), aad_object_id=press.member_id)
            user_id = press.turn.activity.from_property.id
            view = await answer_rsvp(d.ports, meeting_id, conversation, member, user_id, going, coordinator, now)
            d.cards_changed(view.meeting.id)
            return self._card(press, view, "meeting_saved_going" if going else "meeting_saved_not_going")
        if verb == "meeting_move":
            meeting = await changeable(d.ports, meeting_id, conversation, coordinator, now)
            return self._move_form(press, meeting)
        if verb == "meeting_move_submit":
            try:
                meeting = await move_meeting(
                    d.ports, d.settings, meeting_id, conversation, press.data, coordinator, now
                )
            except RkkError as error:
                if not _shown_in_form(error):
                    raise
                meeting = await changeable(d.ports, meeting_id, conversation, coordinator, now)
                return self._move_form(press, meeting, refusal(error, d.texts, press.lang, d.settings.timezone))
            await d.audit(self._entry(press, "meeting_move", f"{meeting.details.title} ({meeting.details.starts_at})"))
            return await self._viewer_card(press, meeting.id, "meeting_moved_done")
        if verb == "meeting_cancel":
            await changeable(d.ports, meeting_id, conversation, coordinator, now)
            view = await view_for(d.ports, meeting_id, conversation, press.member_id, coordinator, now)
            return meeting_card(view, d.texts, press.lang, d.settings.timezone, confirm_cancel=True)
        if verb == "meeting_cancel_confirm":
            cancelled = await cancel_meeting(d.ports, meeting_id, conversation, coordinator, now)
            await d.audit(self._entry(press, "meeting_cancel", cancelled.details.title))
            return await self._viewer_card(press, cancelled.id, "meeting_cancelled_done")
        return await self._viewer_card(press, meeting_id, "")  # meeting_refresh: the viewer's own card

    async def _viewer_card(self, press: _Press, meeting_id: object, notice: str) -> dict[str, Any]:
        d = self._d
        view = await view_for(d.ports, meeting_id, press.conversation, press.member_id, press.coordinator, press.now)
        return self._card(press, view, notice)

    def _card(self, press: _Press, view: MeetingView, notice: str) -> dict[str, Any]:
        text = self._d.texts.text(notice, press.lang) if notice else ""
        return meeting_card(view, self._d.texts, press.lang, self._d.settings.timezone, notice=text)

    def _form(self, press: _Press, theme_key: str, label: str, values: FormValues, error: str = "") -> dict[str, Any]:
        d, calendar, lang = self._d, self._d.ports.calendar, press.lang
        if calendar is None:
            hint = d.texts.text("meeting_form_link_hint", lang)
        else:
            hint = d.texts.text("meeting_form_graph_hint", lang, organizer=calendar.organizer)
        about = d.texts.text("meeting_form_about", lang, label=label)
        data = {"themeId": theme_key}
        spec = FormSpec(
            about, values, ("meeting_plan", data), ("meeting_plan_back", data), True, calendar is None, hint, error
        )
        return form_card(spec, d.texts, lang, press.now, d.settings.timezone)

    def _move_form(self, press: _Press, meeting: Meeting, error: str = "") -> dict[str, Any]:
        d, details = self._d, meeting.details
        local = details.starts_at.astimezone(d.settings.timezone)
        values = FormValues(date=local.date().isoformat(), time=f"{local:%H:%M}", minutes=str(details.minutes))
        if error:  # show what was typed, so the coordinator corrects rather than retypes
            values = replace(FormValues.typed(dict(press.data)), title=details.title)
        spec = move_spec(details.title, values, meeting.id, error)
        return form_card(spec, d.texts, press.lang, press.now, d.settings.timezone)

    def _entry(self, press: _Press, action: str, detail: str) -> AuditEntry:
        actor = actor_of(press.turn.activity, press.person)
        return AuditEntry(press.now, actor.id, actor.name, action, None, detail[:500], press.conversation)


def _shown_in_form(error: RkkError) -> bool:
    """Refusals the coordinator fixes in the form (bad input, Graph): the form comes back with the reason."""
    return isinstance(error, InvalidMeeting | CalendarError)


class _Refused(Exception):
    """A refusal told to the presser as it is."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
