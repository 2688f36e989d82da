"""The kennismoment cards: the announcement (everyone's view and each viewer's own) and the planning form.

Titles, descriptions, locations and speakers are typed by coordinators and theme labels come from
members' words: they only ever go into TextRuns (see cards/literal.py) or input values. The join link
is used as a button's URL only after rkk.meetings checked it is https.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cards.literal import literal
from cards.template import expand, load_template
from i18n.calendar import format_day
from i18n.catalog import Catalog
from rkk.meetings import DURATIONS, Details, MeetingState, MeetingView, Mode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FormValues:
    """What the planning form shows in its inputs (prefilled, or what was typed before a refusal)."""

    title: str = ""
    date: str = ""  # YYYY-MM-DD
    time: str = "14:00"
    minutes: str = "60"
    description: str = ""
    mode: str = Mode.ONLINE.value
    location: str = ""
    speaker: str = ""
    link: str = ""

    @classmethod
    def typed(cls, data: dict[str, Any]) -> FormValues:
        """The values a submit carried, as text (anything else is dropped)."""
        names = cls.__dataclass_fields__
        return cls(**{name: str(data[name])[:2000] for name in names if isinstance(data.get(name), str | int)})


def when_text(details: Details, tz: ZoneInfo, texts: Catalog, lang: str) -> str:
    """ "donderdag 3 december 2026 van 14:00 tot 15:30 (Brusselse tijd)"."""
    start, end = details.starts_at.astimezone(tz), details.ends_at.astimezone(tz)
    return texts.text(
        "meeting_when", lang, day=format_day(start.date(), lang), start=f"{start:%H:%M}", end=f"{end:%H:%M}"
    )


def coming_text(members: int, besturen: int, texts: Catalog, lang: str) -> str:
    """ "3 leden van 2 besturen komen" (or that nobody said "Ik kom" yet)."""
    if members == 0:
        return texts.text("meeting_coming_nobody", lang)
    people = texts.count("meeting_members", members, lang)
    if besturen == 0:
        return texts.text("meeting_coming_one" if members == 1 else "meeting_coming_many", lang, who=people)
    who = texts.text(
        "meeting_members_of", lang, members=people, besturen=texts.count("meeting_besturen", besturen, lang)
    )
    return texts.text("meeting_coming_one" if members == 1 else "meeting_coming_many", lang, who=who)


def why_text(view: MeetingView, texts: Catalog, lang: str) -> str:
    """ "5 besturen uit 3 RKK's vroegen hiernaar: RKK A, RKK B, RKK C"."""
    subject = view.meeting.subject
    besturen = texts.count("meeting_besturen", subject.bestuur_count, lang)
    rkks = texts.count("meeting_rkks", len(subject.rkk_keys), lang)
    key = "meeting_why_one" if subject.bestuur_count == 1 else "meeting_why_many"
    return texts.text(key, lang, besturen=besturen, rkks=rkks, names=", ".join(view.rkk_names))


def meeting_card(
    view: MeetingView,
    texts: Catalog,
    lang: str,
    tz: ZoneInfo,
    *,
    notice: str = "",
    error: str = "",
    confirm_cancel: bool = False,
) -> dict[str, Any]:
    """The announcement card (Adaptive Card 1.5): everyone's view, or the viewer's own when `view.viewer` is set."""
    meeting, details, viewer = view.meeting, view.meeting.details, view.viewer
    cancelled = meeting.state is MeetingState.CANCELLED
    ended = not cancelled and meeting.ended(view.now)
    open_ = meeting.open_for_answers(view.now)
    going = viewer.going if viewer is not None else None
    closed = texts.text("meeting_card_cancelled", lang) if cancelled else ""
    if ended:
        closed = texts.text("meeting_card_ended", lang)
    elif not cancelled and view.now >= details.starts_at:
        closed = texts.text("meeting_card_running", lang)  # answers are over; joining is still possible
    mine = ""
    if viewer is not None and going is not None:
        mine = texts.text("meeting_you_come" if going else "meeting_you_dont", lang)
    where = texts.text("meeting_where_online", lang) if details.mode is Mode.ONLINE else details.location
    data = {
        "meetingId": meeting.id,
        "kicker": texts.text("meeting_card_cancelled_kicker" if cancelled else "meeting_card_kicker", lang),
        "kickerColor": "Attention" if cancelled else "Accent",
        "headline": literal(details.title),
        "closedText": closed,
        "whenLabel": texts.text("meeting_card_when", lang),
        "when": when_text(details, tz, texts, lang),
        "whereLabel": texts.text("meeting_card_where", lang),
        "where": literal(where),
        "speakerLabel": texts.text("meeting_card_speaker", lang),
        "speaker": literal(details.speaker),
        "description": literal(details.description),
        "why": literal(why_text(view, texts, lang)),
        "count": "" if cancelled else coming_text(view.attendance.members, view.attendance.besturen, texts, lang),
        "mine": mine,
        "mineColor": "Good" if going else "Default",
        "notice": notice,
        "error": error,
        "confirmCancel": confirm_cancel and open_,
        "confirmText": texts.text("meeting_confirm_cancel", lang),
        "confirmYes": texts.text("meeting_confirm_yes", lang),
        "confirmNo": texts.text("meeting_confirm_no", lang),
        "joinUrl": details.join_url if details.mode is Mode.ONLINE and not cancelled and not ended else "",
        "joinTitle": texts.text("meeting_button_join", lang),
        "showGoing": open_ and going is not True,
        "showNotGoing": open_ and going is not False,
        "goingTitle": texts.text("meeting_button_going", lang),
        "notGoingTitle": texts.text("meeting_button_not_going", lang),
        "showManage": open_ and viewer is not None and viewer.coordinator and not confirm_cancel,
        "moveTitle": texts.text("meeting_button_move", lang),
        "cancelTitle": texts.text("meeting_button_cancel", lang),
    }
    card: dict[str, Any] = expand(load_template("meeting"), data)
    if open_:  # each viewer's card refreshes to their own view (their answer, coordinators' buttons)
        action = {"type": "Action.Execute", "verb": "meeting_refresh", "data": {"meetingId": meeting.id}}
        card["refresh"] = {"action": action}
        if view.refresh_user_ids:
            card["refresh"]["userIds"] = list(view.refresh_user_ids)
    if not card.get("actions"):
        card.pop("actions", None)
    return card


def meeting_summary(view: MeetingView, texts: Catalog, lang: str) -> str:
    """The notification preview of an announcement."""
    return texts.text("meeting_summary", lang, title=view.meeting.details.title)


def duration_choices(texts: Catalog, lang: str) -> list[dict[str, str]]:
    """The durations the form offers: "30 minuten" ... "4 uur"."""
    return [{"title": duration_text(minutes, texts, lang), "value": str(minutes)} for minutes in DURATIONS]


def duration_text(minutes: int, texts: Catalog, lang: str) -> str:
    """A duration as people say it: whole hours in hours, the rest in minutes."""
    if minutes % 60 == 0:
        return texts.count("meeting_hours", minutes // 60, lang)
    return texts.text("meeting_minutes", lang, minutes=minutes)


@dataclass(frozen=True)
class FormSpec:
    """One form: what it is about, its values, its buttons (verb, data), and what it asks."""

    about: str
    values: FormValues
    submit: tuple[str, dict[str, Any]]
    back: tuple[str, dict[str, Any]]
    full: bool = True  # every field; False: only date, start and duration (a move)
    ask_link: bool = False  # without Graph the coordinator pastes the Teams link
    hint: str = ""
    error: str = ""


def move_spec(about: str, values: FormValues, meeting_id: int, error: str = "") -> FormSpec:
    """The form to move a kennismoment: date, start and duration only."""
    data = {"meetingId": meeting_id}
    return FormSpec(about, values, ("meeting_move_submit", data), ("meeting_refresh", data), full=False, error=error)


def form_card(spec: FormSpec, texts: Catalog, lang: str, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The form shown in place of the card that was pressed (the inline "dialog")."""
    full, values = spec.full, spec.values
    modes = [
        {"title": texts.text("meeting_form_online", lang), "value": Mode.ONLINE.value},
        {"title": texts.text("meeting_form_onsite", lang), "value": Mode.ONSITE.value},
    ]
    data = {
        "heading": texts.text("meeting_form_heading" if full else "meeting_form_move_heading", lang),
        "about": literal(spec.about),
        "error": spec.error,
        "full": full,
        "askLink": spec.ask_link,
        "hint": spec.hint,
        "required": texts.text("meeting_form_required", lang),
        "titleLabel": texts.text("meeting_form_title", lang),
        "dateLabel": texts.text("meeting_form_date", lang),
        "timeLabel": texts.text("meeting_form_time", lang),
        "minutesLabel": texts.text("meeting_form_minutes", lang),
        "descriptionLabel": texts.text("meeting_form_description", lang),
        "modeLabel": texts.text("meeting_form_mode", lang),
        "locationLabel": texts.text("meeting_form_location", lang),
        "speakerLabel": texts.text("meeting_form_speaker", lang),
        "linkLabel": texts.text("meeting_form_link", lang),
        "linkPlaceholder": texts.text("meeting_form_link_placeholder", lang),
        "minDate": now.astimezone(tz).date().isoformat(),
        "durations": duration_choices(texts, lang),
        "modes": modes,
        "submitTitle": texts.text("meeting_form_submit" if full else "meeting_form_move_submit", lang),
        "submitVerb": spec.submit[0],
        "submitData": spec.submit[1],
        "backTitle": texts.text("meeting_form_back", lang),
        "backVerb": spec.back[0],
        "backData": spec.back[1],
        **values.__dict__,
    }
    card: dict[str, Any] = expand(load_template("meeting_form"), data)
    return card
