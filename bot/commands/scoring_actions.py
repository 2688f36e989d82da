"""Teams-facing side of the scoring round's buttons: start from the setup card, score on a ballot, close.

The handler routes the invoke verbs in VERBS here. Every button is authorised again on the server
before anything is read: starting and closing need a global coordinator; a ballot button must come
from the thread of the ballot its data names (see `rkk.scoring.ballot_for_action`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from botbuilder.core import TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot import activity_facts as facts
from bot.commands.scoring_setup import setup_request
from bot.outbound.scoring_publisher import results_link
from bot.roster import TeamRoster
from cards.scoring_ballot import ballot_card
from i18n.calendar import format_moment
from i18n.catalog import Catalog
from rkk.access import Coordinators, Person
from rkk.answers import UNKNOWN_BESTUUR
from rkk.crosspost import UmbrellaMissing
from rkk.errors import RkkError
from rkk.scoring import (
    Actor,
    ForeignScoringAction,
    InvalidScores,
    InvalidSetup,
    NoScoringRound,
    ScoreSet,
    Scoring,
    ScoringAlreadyOpen,
    ScoringClosed,
    ScoringRound,
    UnknownBestuur,
    Voter,
    ballot_for_action,
    base_view,
    close_scoring,
    input_id,
    repost_ballot,
    results_link_post,
    start_scoring,
    submit_scores,
    viewer_view,
)

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
START, SUBMIT, VIEW, REFRESH = "scoring_start", "score_submit", "score_view", "score_refresh"
CLOSE_CONFIRM, CLOSE_CANCEL = "scoring_close_confirm", "scoring_close_cancel"
REPOST = "scoring_repost"  # on `scoring status`: post an uncertain ballot again
VERBS = (START, SUBMIT, VIEW, REFRESH, CLOSE_CONFIRM, CLOSE_CANCEL, REPOST)


@dataclass(frozen=True)
class ScoringDeps:
    """What the scoring commands and buttons are built from (composed in app.py)."""

    scoring: Scoring
    texts: Catalog
    coordinators: Coordinators
    roster: TeamRoster
    clock: Callable[[], datetime]
    kick: Callable[[], None]  # run the scoring step now in the background (post ballots or results)


def actor_of(turn: TurnContext, person: Person, name: str) -> Actor:
    """Who acts, for the audit log: Entra object id (else the Teams user id), name, conversation."""
    activity = turn.activity
    sender_id = getattr(activity.from_property, "id", None) or "?"
    conversation = activity.conversation.id if activity.conversation else None
    return Actor(person.aad_object_id or person.upn or sender_id, name, conversation)


def refusal(error: RkkError, texts: Catalog, lang: str, timezone: ZoneInfo) -> str:
    """The Dutch (or English) text for a refused scoring action, its moments in Brussels time."""
    params = {
        k: format_moment(v.astimezone(timezone), lang) if isinstance(v, datetime) else v
        for k, v in error.params.items()
    }
    if isinstance(error, InvalidSetup):
        return texts.text(f"scoring_setup_{params.pop('reason', 'no_topics')}", lang, **params)
    if isinstance(error, InvalidScores):
        return texts.text(f"scoring_invalid_scores_{params.pop('reason', 'empty')}", lang, **params)
    return texts.text(error.code, lang, **params)


class ScoringActions:
    """Handles the setup card's start button, the ballot's buttons and the close confirmation."""

    def __init__(self, deps: ScoringDeps) -> None:
        self.deps = deps

    async def on_action(
        self, turn: TurnContext, verb: str, data: Mapping[str, Any], person: Person, name: str, lang: str
    ) -> AdaptiveCardInvokeResponse:
        """Answer one button: a card for the presser, or a message that changes nothing."""
        d = self.deps
        try:
            if verb == START:
                return _message(await self._start(turn, data, person, name, lang))
            if verb in (CLOSE_CONFIRM, CLOSE_CANCEL):
                return _message(await self._close(turn, verb, data, person, name, lang))
            if verb in (SUBMIT, VIEW, REFRESH):
                return await self._ballot(turn, verb, data, lang)
            if verb == REPOST:
                return _message(await self._repost(turn, data, person, name, lang))
        except ForeignScoringAction as error:
            logger.warning("scoring action %s refused: %s", verb, error)
            return _message(d.texts.text("scoring_foreign", lang))
        except UmbrellaMissing:
            return _message(d.texts.text("theme_no_umbrella", lang))
        except (InvalidSetup, ScoringAlreadyOpen, NoScoringRound) as error:
            return _message(refusal(error, d.texts, lang, d.scoring.settings.timezone))
        return _message(d.texts.text("action_unknown", lang))

    async def _start(self, turn: TurnContext, data: Mapping[str, Any], person: Person, name: str, lang: str) -> str:
        d = self.deps
        if not d.coordinators.may_steer(person, None):
            return d.texts.text("scoring_not_global", lang, command=d.texts.text("scoring_setup_start", lang))
        request = setup_request(data, d.scoring.settings)
        round_ = await start_scoring(d.scoring, request, actor_of(turn, person, name), d.clock())
        d.kick()
        return started_text(round_, d.texts, lang, d.scoring.settings.timezone)

    async def _close(
        self, turn: TurnContext, verb: str, data: Mapping[str, Any], person: Person, name: str, lang: str
    ) -> str:
        d = self.deps
        if not d.coordinators.may_steer(person, None):
            return d.texts.text("scoring_not_global", lang, command=d.texts.text("scoring_close_confirm_button", lang))
        if verb == CLOSE_CANCEL:
            return d.texts.text("scoring_close_cancelled", lang)
        closed = await close_scoring(d.scoring, actor_of(turn, person, name), d.clock(), data.get("scoringId", -1))
        d.kick()
        return d.texts.text("scoring_closed_now", lang, id=closed.id)

    async def _repost(self, turn: TurnContext, data: Mapping[str, Any], person: Person, name: str, lang: str) -> str:
        """A coordinator of the ballot's RKK says an uncertain ballot is not in the channel: post it again."""
        d, rkk_key = self.deps, data.get("rkk")
        if not isinstance(rkk_key, str) or not d.coordinators.may_steer(person, rkk_key):
            return d.texts.text("not_coordinator", lang, command=d.texts.text("scoring_repost", lang))
        actor = actor_of(turn, person, name)
        if not await repost_ballot(d.scoring, actor, data.get("scoringId"), rkk_key, d.clock()):
            return d.texts.text("scoring_repost_none", lang)
        d.kick()
        return d.texts.text("scoring_reposted", lang)

    async def _ballot(
        self, turn: TurnContext, verb: str, data: Mapping[str, Any], lang: str
    ) -> AdaptiveCardInvokeResponse:
        d, s, now = self.deps, self.deps.scoring, self.deps.clock()
        activity = turn.activity
        conversation = activity.conversation.id if activity.conversation else None
        round_, rkk = await ballot_for_action(
            s, data.get("scoringId"), data.get("rkk"), facts.team_of(activity)[0], conversation, now
        )
        if not round_.accepts(now):
            if verb == SUBMIT:
                return _message(await self._closed_text(round_, rkk.key, lang))
            link = await self._link(round_, rkk.key)
            return _card(ballot_card(await base_view(s, round_, rkk), d.texts, lang, results_link=link))
        member = await d.roster.member(turn)
        bestuur = None if member.bestuur == UNKNOWN_BESTUUR else member.bestuur
        teams_id = activity.from_property.id
        notice = error = ""
        drafts: dict[str, str] | None = None
        if verb == SUBMIT:
            voter = Voter(member.aad_object_id, teams_id, member.name, member.bestuur)
            try:
                submitted = await submit_scores(s, round_, rkk, voter, data, now)
            except ScoringClosed:
                return _message(await self._closed_text(round_, rkk.key, lang))
            except (InvalidScores, UnknownBestuur) as refused:
                error = refusal(refused, d.texts, lang, s.settings.timezone)
                drafts = {input_id(t): str(data[input_id(t)]) for t in round_.topics if input_id(t) in data}
            else:
                notice = self._saved_text(submitted.saved.bestuur, submitted.replaced, lang)
        elif verb == VIEW:
            await s.repo.add_viewer(round_.id, rkk.key, teams_id, now)
        view = await viewer_view(s, round_, rkk, bestuur)
        return _card(ballot_card(view, d.texts, lang, notice=notice, error=error, drafts=drafts))

    def _saved_text(self, bestuur: str, replaced: ScoreSet | None, lang: str) -> str:
        texts = self.deps.texts
        if replaced is None:
            return texts.text("scoring_saved", lang, bestuur=bestuur)
        moment = format_moment(replaced.submitted_at.astimezone(self.deps.scoring.settings.timezone), lang)
        return texts.text("scoring_replaced", lang, bestuur=bestuur, name=replaced.member_name, moment=moment)

    async def _link(self, round_: ScoringRound, rkk_key: str) -> str:
        return results_link(await results_link_post(self.deps.scoring, round_, rkk_key))

    async def _closed_text(self, round_: ScoringRound, rkk_key: str, lang: str) -> str:
        """Scores after closing are refused with a link to the results (once they are posted)."""
        link = await self._link(round_, rkk_key)
        texts = self.deps.texts
        return texts.text("scoring_closed", lang, link=link) if link else texts.text("scoring_closed_no_link", lang)


def started_text(round_: ScoringRound, texts: Catalog, lang: str, timezone: ZoneInfo) -> str:
    """The confirmation that a round started."""
    deadline = format_moment(round_.deadline.astimezone(timezone), lang)
    return texts.text(
        "scoring_started", lang, id=round_.id, topics=len(round_.topics), rkks=len(round_.audience), deadline=deadline
    )


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
