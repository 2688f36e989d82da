"""The RKK Overkoepelend cards: a recurring theme (with coordinator buttons and its rename view) and a forward.

Quotes, labels, descriptions, names and RKK names only ever go into TextRuns (see cards/literal.py): no member
text can add formatting, links or mentions. Links are built here from ids Teams gave the bot.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from cards.literal import literal
from cards.template import expand, load_template
from i18n.calendar import format_moment
from i18n.catalog import Catalog
from rkk.crosspost import MAX_NAME_CHARS, Decision, ForwardView, Quote, SourceThread, ThemeStatus, ThemeView
from rkk.rounds import week_number

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")
TEAMS_LINK = "https://teams.microsoft.com/l/message"


def thread_link(thread: SourceThread) -> str:
    """A deep link that opens a channel thread in Teams."""
    channel_id = thread.conversation_id.partition(";")[0]
    query = urlencode({"groupId": thread.group_id or thread.team_id, "parentMessageId": thread.message_id})
    return f"{TEAMS_LINK}/{quote(channel_id, safe='')}/{quote(thread.message_id, safe='')}?{query}"


def _quote(item: Quote, texts: Catalog, lang: str) -> Any:
    key = "theme_quote_by_name" if item.member_name else "theme_quote_by"
    by = texts.text(key, lang, name=item.member_name or "", bestuur=item.bestuur, rkk=item.rkk_name)
    return expand(load_template("crosspost")["quote"], {"text": literal(f"“{item.text}”"), "by": literal(by)})


def _source(thread: SourceThread, texts: Catalog, lang: str) -> Any:
    text = texts.text("theme_card_source", lang, rkk=thread.rkk_name, week_number=week_number(thread.week))
    return expand(load_template("crosspost")["source"], {"text": literal(text), "url": thread_link(thread)})


def _status(view: ThemeView, texts: Catalog, lang: str) -> tuple[str, str]:
    if view.meeting is not None:
        when = format_moment(view.meeting.starts_at.astimezone(BRUSSELS), lang)
        return texts.text("theme_card_meeting", lang, when=when, title=view.meeting.title), "Good"
    decision = view.decision
    if decision is None or view.status not in (ThemeStatus.PLANNED, ThemeStatus.DISMISSED):
        return "", "Default"
    day = decision.at.astimezone(BRUSSELS).strftime("%d-%m-%Y")
    if decision.decision is Decision.PLAN:
        return texts.text("theme_card_planned", lang, name=decision.by_name, date=day), "Good"
    return texts.text("theme_card_dismissed", lang, name=decision.by_name, date=day), "Attention"


def _card(data: dict[str, Any]) -> dict[str, Any]:
    defaults = {"showFrom": False, "showQuotes": False, "quotes": [], "showSources": False, "sources": []}
    defaults |= {"status": "", "statusColor": "Default", "showPlan": False, "showDismiss": False, "notice": ""}
    defaults |= {"planTitle": "", "dismissTitle": "", "themeId": "", "openUrl": "", "openTitle": ""}
    defaults |= {"description": "", "showRename": False, "editing": False}
    card: dict[str, Any] = expand(load_template("crosspost")["card"], defaults | data)
    if not card.get("actions"):
        card.pop("actions", None)
    return card


def _name_edit(draft: str | None, texts: Catalog, lang: str) -> dict[str, Any]:
    """The values of the "Naam aanpassen" edit view; `draft` None is the card's usual view."""
    if draft is None:
        return {"showRename": True, "renameTitle": texts.text("theme_card_rename", lang)}
    return {
        "editing": True,
        "nameLabel": texts.text("theme_card_name_label", lang),
        "nameDraft": draft,  # an input's value is never rendered as Markdown
        "nameLimit": MAX_NAME_CHARS,
        "nameHint": texts.text("theme_name_hint", lang, limit=MAX_NAME_CHARS),
        "saveTitle": texts.text("theme_card_name_save", lang),
        "cancelTitle": texts.text("theme_card_name_cancel", lang),
    }


def theme_card(
    view: ThemeView, texts: Catalog, lang: str, *, name_draft: str | None = None, notice: str = ""
) -> dict[str, Any]:
    """The theme card (Adaptive Card 1.5) for the umbrella channel; with `name_draft`, its rename view; `notice`
    tells the presser what happened."""
    status, color = _status(view, texts, lang)
    editing = name_draft is not None
    return _card(
        {
            "title": texts.text("theme_card_title", lang),
            "headline": literal(view.label),
            "description": literal(view.description),
            "meta": texts.text("theme_card_spread", lang, rkks=view.rkk_count, besturen=view.bestuur_count),
            "showFrom": bool(view.rkk_names),
            "from": literal(", ".join(view.rkk_names)),
            "showQuotes": bool(view.quotes),
            "quotesTitle": texts.text("theme_card_quotes", lang),
            "quotes": [_quote(q, texts, lang) for q in view.quotes],
            "showSources": bool(view.sources),
            "sourcesTitle": texts.text("theme_card_sources", lang),
            "sources": [_source(s, texts, lang) for s in view.sources],
            "status": literal(status),
            "statusColor": color,
            "notice": notice,
            "showPlan": view.status is not ThemeStatus.PLANNED and not editing,
            "showDismiss": view.status is not ThemeStatus.DISMISSED and view.meeting is None and not editing,
            "planTitle": texts.text("theme_card_plan", lang),
            "dismissTitle": texts.text("theme_card_dismiss", lang),
            "themeId": view.key,
        }
        | _name_edit(name_draft, texts, lang)
    )


def forward_card(view: ForwardView, texts: Catalog, lang: str) -> dict[str, Any]:
    """The card of a question thread forwarded by hand."""
    meta = texts.text(
        "forward_card_meta", lang, rkk=view.rkk_name, week_number=week_number(view.week), name=view.by_name
    )
    return _card(
        {
            "title": texts.text("forward_card_title", lang),
            "headline": literal(view.question),
            "meta": literal(meta),
            "showFrom": True,
            "from": texts.count("forward_card_answers", view.answer_count, lang),
            "openUrl": thread_link(view.source),
            "openTitle": texts.text("forward_card_open", lang),
        }
    )


def theme_summary(view: ThemeView, texts: Catalog, lang: str) -> str:
    """The notification preview of a theme card."""
    return texts.text("theme_card_summary", lang, label=view.label)
