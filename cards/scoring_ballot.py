"""The ballot card of a scoring round: the base card, a viewer's own view, and the closed card.

Topic labels and descriptions (from themes or typed by a coordinator) and names only go into
TextRuns (see cards/literal.py). Each topic's score is an Input.ChoiceSet `s{topic id}`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from cards.literal import literal
from cards.template import expand, load_template
from i18n.calendar import format_moment
from i18n.catalog import Catalog
from rkk.scoring import NOT_SCORED, SCORE_MAX, SCORE_MIN, BallotView, Topic, input_id

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")


def choices(texts: Catalog, lang: str) -> list[dict[str, str]]:
    """ "Not scored", then 0 to 10 with the ends named."""
    ends = {SCORE_MIN: "scoring_scale_min", SCORE_MAX: "scoring_scale_max"}
    out = [{"title": texts.text("scoring_not_scored_choice", lang), "value": NOT_SCORED}]
    for score in range(SCORE_MIN, SCORE_MAX + 1):
        title = texts.text(ends[score], lang) if score in ends else str(score)
        out.append({"title": title, "value": str(score)})
    return out


def topic_meta(topic: Topic, texts: Catalog, lang: str) -> str:
    """Who raised the topic, and whether it has lokale impact."""
    origin = (
        texts.text("scoring_topic_spread", lang, besturen=topic.besturen, rkks=topic.rkks)
        if topic.theme_key
        else texts.text("scoring_topic_manual", lang)
    )
    impact = texts.text("scoring_local" if topic.local_impact else "scoring_not_local", lang)
    return f"{origin} · {impact}"


def ballot_card(
    view: BallotView,
    texts: Catalog,
    lang: str,
    *,
    results_link: str = "",
    notice: str = "",
    error: str = "",
    drafts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ballot (Adaptive Card 1.5) for this view; `drafts` puts typed values back after a refusal."""
    viewer = view.viewer
    known = viewer is not None and viewer.bestuur is not None
    current = viewer.current if viewer is not None else None
    can_submit = not view.closed and (viewer is None or known)
    values = dict(drafts or {})
    if current is not None and drafts is None:
        values = {f"s{t}": NOT_SCORED if s is None else str(s) for t, s in current.scores.items()}
    topics = [_topic(t, view, texts, lang, can_submit, values) for t in view.topics]
    deadline = format_moment(view.deadline.astimezone(BRUSSELS), lang)
    data = {
        "scoringId": view.scoring_id,
        "rkk": view.rkk_key,
        "isOpen": not view.closed,
        "userIds": list(view.user_ids),
        "title": texts.text("scoring_ballot_title", lang),
        "meta": literal(texts.text("scoring_ballot_meta", lang, rkk=view.rkk_name, deadline=deadline)),
        "intro": "" if view.closed else texts.text("scoring_ballot_intro", lang),
        "notice": notice,
        "error": error,
        "mine": literal(_mine(view, texts, lang)),
        "warning": texts.text("scoring_unknown_bestuur", lang) if viewer is not None and not known else "",
        "topics": topics,
        "closedText": texts.text("scoring_ballot_closed", lang) if view.closed else "",
        "countText": texts.text("scoring_ballot_count", lang, scored=view.scored, known=view.known),
        "canSubmit": can_submit,
        "submitTitle": texts.text("scoring_submit", lang),
        "viewTitle": texts.text("scoring_view", lang),
        "resultsUrl": results_link if view.closed else "",
        "resultsTitle": texts.text("scoring_results_open", lang),
    }
    card: dict[str, Any] = expand(load_template("scoring_ballot")["card"], data)
    return card


def _mine(view: BallotView, texts: Catalog, lang: str) -> str:
    """Which scores count for the viewer's bestuur, who submitted them and when (or that none do yet)."""
    viewer = view.viewer
    if viewer is None or viewer.bestuur is None:
        return ""
    if viewer.current is None:
        return texts.text("scoring_mine_none", lang, bestuur=viewer.bestuur)
    moment = format_moment(viewer.current.submitted_at.astimezone(BRUSSELS), lang)
    return texts.text("scoring_mine", lang, bestuur=viewer.bestuur, name=viewer.current.member_name, moment=moment)


def _topic(topic: Topic, view: BallotView, texts: Catalog, lang: str, inputs: bool, values: Mapping[str, str]) -> Any:
    current = view.viewer.current if view.viewer is not None else None
    shown = ""
    if current is not None and current.scores.get(topic.id) is None:
        shown = texts.text("scoring_topic_not_scored", lang, bestuur=current.bestuur)
    data = {
        "label": literal(topic.label),
        "description": literal(topic.description),
        "meta": topic_meta(topic, texts, lang),
        "input": input_id(topic) if inputs else "",
        "scale": texts.text("scoring_scale", lang),
        "placeholder": texts.text("scoring_placeholder", lang),
        "value": values.get(input_id(topic), ""),  # nothing chosen yet: the placeholder shows
        "choices": choices(texts, lang),
        "shown": literal(shown),
    }
    return expand(load_template("scoring_ballot")["topic"], data)
