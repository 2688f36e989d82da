"""The Teams activity handler: translates activities into use cases and answers with one reply or card."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from http import HTTPStatus
from typing import Any

from botbuilder.core import ActivityHandler, CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot import activity_facts as facts
from bot.commands import COMMANDS, MAX_COMMAND_CHARS, CommandSpec, parse_command
from bot.roster import TeamRoster
from cards.help import help_card
from cards.question import QuestionView, question_card
from i18n.catalog import Catalog, language_for
from rkk.access import Coordinators, Person
from rkk.answering import AnswerContext, answer_by_card, load_round_for_action
from rkk.errors import ForeignAction, InvalidAnswer, NoQuestionLeft, NotInstalled, PostFailed, RoundClosed
from rkk.installs import RkkSpec, register_installation
from rkk.ports import Publisher, Store
from rkk.rounds import PostOutcome, post_question

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"


@dataclass(frozen=True)
class BotDeps:
    """What the handler is built from (composed in app.py)."""

    store: Store
    publisher: Publisher
    texts: Catalog
    roster: TeamRoster
    coordinators: Coordinators
    rkk_specs: tuple[RkkSpec, ...]
    demo: bool
    clock: Callable[[], datetime]


class RkkBot(ActivityHandler):
    """Installation, commands and card actions of the RKK bot."""

    def __init__(self, deps: BotDeps) -> None:
        self._d = deps

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """The bot was added to a team: register it and greet once."""
        if facts.bot_was_added(turn_context.activity):
            await self._installed(turn_context)

    async def on_installation_update_activity(self, turn_context: TurnContext) -> None:
        """Teams' own install notice; registration is idempotent, the greeting comes once."""
        if facts.bot_was_added(turn_context.activity):
            await self._installed(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A typed command (or an old-style card submit, which this bot does not use)."""
        activity = turn_context.activity
        lang = language_for(activity.locale)
        if activity.value is not None and not (activity.text or "").strip():
            await turn_context.send_activity(self._d.texts.text("action_unknown", lang))
            return
        text = TurnContext.remove_recipient_mention(activity) if activity.entities else (activity.text or "")
        parsed = parse_command(text or "")
        if parsed.too_long:
            await turn_context.send_activity(self._d.texts.text("command_too_long", lang, limit=MAX_COMMAND_CHARS))
            return
        if parsed.command is None:
            key = "unknown_command" if parsed.suggestion else "unknown_command_no_suggestion"
            await turn_context.send_activity(self._d.texts.text(key, lang, suggestion=parsed.suggestion))
            return
        await self._command(turn_context, parsed.command, lang)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Card actions (Action.Execute). Overridden, not on_adaptive_card_invoke: in botbuilder
        4.17.1 that path serialises the body twice and CloudAdapter answers HTTP 500."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        lang = language_for(activity.locale)
        verb, data = facts.action_payload(activity)
        try:
            body = await self._card_action(turn_context, verb, data, lang)
        except ForeignAction as error:
            logger.warning("refused card action %s: %s", verb, error)
            body = _message(self._d.texts.text("answer_foreign", lang))
        except RoundClosed:
            body = _message(self._d.texts.text("answer_closed", lang))
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)

    async def _installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        team_id, _, _ = facts.team_of(activity)
        if team_id is None:
            return  # personal install: nothing to register
        installation = facts.installation_of(activity, await self._d.roster.channels(turn_context, team_id))
        assert installation is not None
        result = await register_installation(
            self._d.store, installation, self._d.rkk_specs, self._d.demo, self._d.clock()
        )
        if not result.greet:
            return
        texts, name = self._d.texts, installation.team_name
        message = texts.text("greeting", team=name) if result.rkk else texts.text("greeting_not_rkk", team=name)
        if result.channel_missing:
            message += "\n\n" + texts.text("greeting_channel_missing", channel=result.channel_missing)
        await turn_context.send_activity(MessageFactory.text(message))

    async def _command(self, turn_context: TurnContext, command: CommandSpec, lang: str) -> None:
        activity = turn_context.activity
        team_id, _, _ = facts.team_of(activity)
        rkk = await self._d.store.rkk_for_team(team_id) if team_id else None
        person = await self._person(turn_context)
        rkk_key = rkk.key if rkk else None
        if command.coordinators_only and not self._d.coordinators.may_steer(person, rkk_key):
            await turn_context.send_activity(self._d.texts.text("not_coordinator", lang, command=command.phrases[0]))
            return
        if command.name == "help":
            await self._help(turn_context, person, rkk_key, lang)
        elif command.name == "post_now":
            if rkk is None:
                key = "not_rkk_team" if team_id else "choose_rkk"
                await turn_context.send_activity(self._d.texts.text(key, lang))
                return
            await turn_context.send_activity(await self._post_now(rkk.key, rkk.name, lang))

    async def _help(self, turn_context: TurnContext, person: Person, rkk_key: str | None, lang: str) -> None:
        texts = self._d.texts
        steer = self._d.coordinators.may_steer(person, rkk_key)
        everyone = [(c.phrases[0], texts.text(c.help_key, lang)) for c in COMMANDS if not c.coordinators_only]
        coordinators = [(c.phrases[0], texts.text(c.help_key, lang)) for c in COMMANDS if c.coordinators_only and steer]
        card = help_card(everyone, coordinators, texts, lang)
        await turn_context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _post_now(self, rkk_key: str, rkk_name: str, lang: str) -> str:
        texts = self._d.texts
        try:
            result = await post_question(self._d.store, self._d.publisher, rkk_key, self._d.clock())
        except NoQuestionLeft:
            return texts.text("no_question_left", lang, rkk=rkk_name)
        except NotInstalled:
            return texts.text("not_installed", lang, rkk=rkk_name)
        except PostFailed:
            return texts.text("post_failed", lang, rkk=rkk_name)
        round_ = result.round
        if result.outcome is PostOutcome.POSTED:
            return texts.text("posted", lang, week=round_.week, rkk=rkk_name)
        if result.outcome is PostOutcome.ALREADY_POSTED:
            rkk = await self._d.store.get_rkk(rkk_key)
            link = message_link(
                rkk.target.team_id if rkk and rkk.target else "", round_.conversation_id, round_.message_id
            )
            return texts.text("already_posted", lang, week=round_.week, rkk=rkk_name, link=link)
        return texts.text("in_progress", lang, week=round_.week, rkk=rkk_name)

    async def _card_action(self, turn_context: TurnContext, verb: str | None, data: dict[str, Any], lang: str) -> Any:
        activity = turn_context.activity
        team_id, _, _ = facts.team_of(activity)
        context = AnswerContext(team_id, activity.conversation.id if activity.conversation else None)
        texts, store = self._d.texts, self._d.store
        if verb not in ("answer", "edit", "refresh"):
            return _message(texts.text("action_unknown", lang))
        round_ = await load_round_for_action(store, data.get("roundId"), context)
        rkk = await store.get_rkk(round_.rkk_key)
        rkk_name = rkk.name if rkk else round_.rkk_key
        base = QuestionView(
            round_.id, rkk_name, round_.week, round_.question_text, await store.count_answers(round_.id)
        )
        member_id = facts.person_of(activity).aad_object_id or activity.from_property.id
        mine = await store.card_answer(round_.id, member_id)
        if verb == "answer":
            member = await self._d.roster.member(turn_context)
            try:
                result = await answer_by_card(store, round_.id, context, member, data.get("answer"), self._d.clock())
            except InvalidAnswer as error:
                key = "answer_too_long" if error.params.get("reason") == "too_long" else "answer_empty"
                draft = data.get("answer") if isinstance(data.get("answer"), str) else ""
                view = replace(
                    base,
                    answer=mine.text if mine else None,
                    editing=True,
                    error=texts.text(key, lang, **error.params),
                    draft=(draft or "")[:4000],
                )
                return _card(question_card(view, texts, lang))
            notice = texts.text("card_saved" if result.is_new else "card_updated", lang)
            view = replace(base, count=result.count, answer=result.answer.text, notice=notice)
        elif verb == "edit":
            view = replace(base, answer=mine.text if mine else None, editing=True)
        else:
            view = replace(base, answer=mine.text if mine else None)
        return _card(question_card(view, texts, lang))

    async def _person(self, turn_context: TurnContext) -> Person:
        """The acting person with their UPN when coordinator lists need it."""
        person = facts.person_of(turn_context.activity)
        if self._d.coordinators.everyone:
            return person
        member = await self._d.roster.member(turn_context)
        return Person(person.aad_object_id or member.aad_object_id, member.email)


def message_link(team_id: str, conversation_id: str | None, message_id: str | None) -> str:
    """A deep link that opens a channel message in Teams."""
    channel_id = (conversation_id or "").partition(";")[0]
    return f"https://teams.microsoft.com/l/message/{channel_id}/{message_id}?parentMessageId={message_id}&groupId={team_id}"


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
