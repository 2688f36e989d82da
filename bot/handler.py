"""The Teams activity handler: translates activities into commands and card actions, one reply each."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse

from bot import activity_facts as facts
from bot.commands import coordinator as coordinator
from bot.commands import export as export_command
from bot.commands import insights as insights_command
from bot.commands import member as member
from bot.commands import queue as queue
from bot.commands import scoring as scoring
from bot.commands.answers import VERBS as QUESTION_VERBS
from bot.commands.answers import question_action
from bot.commands.context import BotDeps, CommandContext
from bot.commands.meetings import MEETING_VERBS
from bot.commands.registry import COMMANDS, MAX_COMMAND_CHARS, CommandSpec, parse_command
from bot.commands.scoring_actions import VERBS as SCORING_VERBS
from bot.commands.status import UNCERTAIN_VERBS, status, uncertain_action
from bot.commands.theme_names import RENAME_VERBS
from bot.commands.themes import THEME_VERBS
from bot.direct_replies import mentions_bot
from bot.outbound.file_upload import FILE_CONSENT_INVOKE
from bot.outbound.links import message_link
from cards.listing import Row, execute, listing_card
from i18n.catalog import language_for
from observability.logs import bind_rkk
from rkk.access import Person
from rkk.errors import ForeignAction, RoundClosed
from rkk.model import Rkk
from rkk.rounds import open_round_instead, register_installation

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
CHOOSE_RKK = "choose_rkk"
MAX_KEY_CHARS = 100  # the width of an RKK key

RkkCommand = Callable[[CommandContext, Rkk], Awaitable[None]]
PlainCommand = Callable[[CommandContext], Awaitable[None]]

# Commands that act on one RKK: in a team its own, in a personal chat the one named or coordinated.
RKK_COMMANDS: dict[str, RkkCommand] = {
    "post_now": coordinator.post_now,
    "skip": coordinator.skip,
    "pause": coordinator.pause,
    "resume": coordinator.resume,
    "schedule": coordinator.schedule,
    "answers": member.week_answers,
    "add_question": queue.add_question,
    "queue": queue.show_queue,
    "forward": coordinator.forward,
}
PLAIN_COMMANDS: dict[str, PlainCommand] = {
    "help": member.show_help,
    "my_answers": member.my_answers,
    "delete_my_data": member.delete_my_data,
    "audit": coordinator.audit,
    "themes": coordinator.themes,
    "export": export_command.export,
    "scoring_start": scoring.start,
    "scoring_status": scoring.status,
    "scoring_close": scoring.close,
    "scoring_extend": scoring.extend,
    "scoring_results": scoring.results,
    "report": insights_command.report,
}
EXPORT = next(command for command in COMMANDS if command.name == "export")


class RkkBot(ActivityHandler):
    """Installation, commands and card actions of the RKK bot."""

    def __init__(self, deps: BotDeps, allowed_tenants: frozenset[str] = frozenset()) -> None:
        self._d = deps
        self._allowed_tenants = allowed_tenants

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Serve only the bot's own (and partner) tenants; everything else is refused before any work."""
        tenant = facts.tenant_of(turn_context.activity)
        if self._allowed_tenants and (tenant or "").lower() not in self._allowed_tenants:
            logger.warning("refused an activity from tenant %s", tenant)
            activity = turn_context.activity
            if activity.type == ActivityTypes.invoke:
                response = InvokeResponse(status=int(HTTPStatus.FORBIDDEN))
                await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
            elif activity.type == ActivityTypes.message:
                await turn_context.send_activity(self._d.texts.text("foreign_tenant", language_for(activity.locale)))
            return
        await super().on_turn(turn_context)

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
        if self._d.direct_replies is not None and (await self._d.direct_replies.receive(turn_context)).handled:
            return  # a reply in a round's thread: stored as an answer (or refused when closed), no reply
        if facts.team_of(activity)[0] is not None and not mentions_bot(activity):
            return  # with RSC every channel message arrives; only those that @mention the bot are for it
        verdict = self._d.rate_limit.check(facts.member_key(activity))
        if not verdict.allowed:
            if verdict.tell:
                limit = self._d.rate_limit.limit
                await turn_context.send_activity(self._d.texts.text("rate_limited", lang, limit=limit))
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
        await self._command(await self._context(turn_context, parsed.command, parsed.args, lang))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Card actions (Action.Execute) and answers to an export's file consent card. Overridden, not
        on_adaptive_card_invoke: in botbuilder 4.17.1 that path serialises the body twice and CloudAdapter
        answers HTTP 500. A file consent is always answered 200; what happened is told in the chat."""
        activity = turn_context.activity
        lang = language_for(activity.locale)
        if activity.name == FILE_CONSENT_INVOKE:
            await export_command.file_consent(await self._context(turn_context, EXPORT, "", lang))
            return InvokeResponse(status=int(HTTPStatus.OK))
        if activity.name != "adaptiveCard/action":
            # What Microsoft's Teams SDK answers for an invoke no handler takes: 200 without a body.
            logger.info("invoke %r is not handled by this bot", str(activity.name)[:100])
            return InvokeResponse(status=int(HTTPStatus.OK))
        verb, data = facts.action_payload(activity)
        try:
            body = await self._card_action(turn_context, verb, data, lang)
        except ForeignAction as error:
            logger.warning("refused card action %s: %s", verb, error)
            body = _message(self._d.texts.text("answer_foreign", lang))
        except RoundClosed:
            body = _message(await self._closed_text(data.get("roundId"), lang))
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)

    async def _closed_text(self, round_id: object, lang: str) -> str:
        """Answers to a closed round are refused with a link to the question that is open now."""
        current = await open_round_instead(self._d.store, round_id)
        rkk = await self._d.store.get_rkk(current.rkk_key) if current else None
        if current is None or rkk is None:
            return self._d.texts.text("answer_closed", lang)
        link = message_link(rkk.team_id or "", current.conversation_id, current.message_id)
        return self._d.texts.text("rounds_answer_closed_link", lang, link=link)

    async def _installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        team_id, _, _ = facts.team_of(activity)
        if team_id is None:
            return  # personal install: nothing to register
        installation = facts.installation_of(activity, await self._d.roster.channels(turn_context, team_id))
        assert installation is not None
        config = self._d.config
        result = await register_installation(
            self._d.store, installation, config.rkk_specs(), config.demo, self._d.clock()
        )
        if not result.greet:
            return
        texts, name = self._d.texts, installation.team_name
        message = texts.text("greeting", team=name) if result.rkk else texts.text("greeting_not_rkk", team=name)
        if result.channel_missing:
            message += "\n\n" + texts.text("greeting_channel_missing", channel=result.channel_missing)
        await turn_context.send_activity(MessageFactory.text(message))

    async def _context(self, turn_context: TurnContext, command: CommandSpec, args: str, lang: str) -> CommandContext:
        activity = turn_context.activity
        team_id, _, _ = facts.team_of(activity)
        rkk = await self._d.store.rkk_for_team(team_id) if team_id else None
        bind_rkk(rkk.key if rkk else None)
        person, name = await self._person(turn_context)
        return CommandContext(turn_context, self._d, lang, person, name, team_id, rkk, args, command)

    async def _command(self, ctx: CommandContext) -> None:
        command = ctx.command
        if command.name in PLAIN_COMMANDS:
            if command.coordinators_only and not ctx.deps.coordinators.coordinates_any(ctx.person):
                await ctx.say("not_coordinator", command=command.phrases[0])
                return
            await PLAIN_COMMANDS[command.name](ctx)
            return
        if command.name == "status":
            await self._status(ctx)
            return
        rkk = await self._rkk_for(ctx)
        if rkk is None:
            return
        if command.coordinators_only and not ctx.may_steer(rkk.key):
            await ctx.say("not_coordinator", command=command.phrases[0])
            return
        await RKK_COMMANDS[command.name](ctx, rkk)

    async def _status(self, ctx: CommandContext) -> None:
        """In an RKK's team: that RKK; elsewhere every RKK the person coordinates."""
        if ctx.rkk is not None:
            if not ctx.may_steer(ctx.rkk.key):
                await ctx.say("not_coordinator", command=ctx.command.phrases[0])
                return
            await status(ctx, ctx.rkk)
        elif ctx.deps.coordinators.coordinates_any(ctx.person):
            await status(ctx, None)
        else:
            await ctx.say("not_coordinator", command=ctx.command.phrases[0])

    async def _rkk_for(self, ctx: CommandContext) -> Rkk | None:
        """The RKK a command is about, or None after telling the person how to name one."""
        if ctx.rkk is not None:
            return ctx.rkk
        if ctx.team_id is not None:
            await ctx.say("not_rkk_team")
            return None
        rkks = {rkk.key: rkk for rkk in await ctx.deps.store.list_rkks()}
        first, _, rest = ctx.args.strip().partition(" ")
        if first.lower() in rkks:
            ctx.args = rest.strip()
            return rkks[first.lower()]
        options = [key for key in rkks if ctx.may_steer(key)] if ctx.command.coordinators_only else sorted(rkks)
        if len(options) == 1 and not ctx.may_steer(None):
            return rkks[options[0]]
        if not options:
            await ctx.say("not_coordinator", command=ctx.command.phrases[0])
            return None
        data = {"command": ctx.command.name, "args": ctx.args}
        rows = [
            Row(rkks[key].name, key, [execute(rkks[key].name, CHOOSE_RKK, {**data, "rkk": key})]) for key in options
        ]
        await ctx.show(listing_card(ctx.t("choose_rkk_title", command=ctx.command.phrases[0]), rows, ""))
        return None

    async def _chosen_rkk(self, turn_context: TurnContext, data: dict[str, Any], lang: str) -> str:
        """A button of the RKK chooser: authorised first (a forged or forwarded one reads nothing), then the
        command runs for that RKK as if typed; a refusal is the only answer, the card is not updated."""
        name, key, args = data.get("command"), data.get("rkk"), data.get("args")
        spec = next((c for c in COMMANDS if c.name == name), None)
        if spec is None or spec.name not in RKK_COMMANDS or not isinstance(key, str) or len(key) > MAX_KEY_CHARS:
            return self._d.texts.text("action_unknown", lang)
        if not isinstance(args, str) or len(args) > MAX_COMMAND_CHARS:
            return self._d.texts.text("action_unknown", lang)
        person, actor = await self._person(turn_context)
        if spec.coordinators_only and not self._d.coordinators.may_steer(person, key):
            return self._d.texts.text("not_coordinator", lang, command=spec.phrases[0])
        rkk = await self._d.store.get_rkk(key)
        if rkk is None:
            return self._d.texts.text("action_unknown", lang)
        team_id, _, _ = facts.team_of(turn_context.activity)
        ctx = CommandContext(turn_context, self._d, lang, person, actor, team_id, rkk, args, spec)
        await RKK_COMMANDS[spec.name](ctx, rkk)
        return f"{spec.phrases[0]} → {rkk.name}"

    async def _card_action(self, turn_context: TurnContext, verb: str | None, data: dict[str, Any], lang: str) -> Any:
        if verb in QUESTION_VERBS:
            return _card(await question_action(self._d, turn_context, verb, data, lang))
        if verb in (member.DELETE_CONFIRM, member.DELETE_CANCEL):
            return _message(await member.delete_action(self._d, turn_context, verb, lang))
        if verb in MEETING_VERBS and self._d.meeting_actions is not None:
            person, _ = await self._person(turn_context)
            return await self._d.meeting_actions.on_action(turn_context, verb, data, person, lang)
        if verb is not None and verb in THEME_VERBS and self._d.theme_actions is not None:
            person, _ = await self._person(turn_context)
            return await self._d.theme_actions.on_action(turn_context.activity, verb, data, person, lang)
        if verb in RENAME_VERBS and self._d.theme_names is not None:
            person, _ = await self._person(turn_context)
            return await self._d.theme_names.on_action(turn_context.activity, verb, data, person, lang)
        if verb is not None and verb in SCORING_VERBS and self._d.scoring is not None:
            person, name = await self._person(turn_context)
            return await self._d.scoring.on_action(turn_context, verb, data, person, name, lang)
        if verb in UNCERTAIN_VERBS:
            person, _ = await self._person(turn_context)
            return _message(await uncertain_action(self._d, person, verb, data, lang))
        if verb == CHOOSE_RKK:
            return _message(await self._chosen_rkk(turn_context, data, lang))
        if verb in queue.VERBS:
            person, name = await self._person(turn_context)
            result = await queue.queue_action(self._d, person, name, verb, data, lang)
            return _message(result) if isinstance(result, str) else _card(result)
        return _message(self._d.texts.text("action_unknown", lang))

    async def _person(self, turn_context: TurnContext) -> tuple[Person, str]:
        """The acting person with their UPN (coordinators are named by object id or UPN, never by mail) and
        display name."""
        sender = turn_context.activity.from_property
        person = facts.person_of(turn_context.activity)
        if self._d.coordinators.everyone:
            return person, sender.name or sender.id
        found = await self._d.roster.member(turn_context)
        return Person(person.aad_object_id or found.aad_object_id, found.upn), found.name


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
