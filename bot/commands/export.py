"""The coordinator's `export`: the answers of their RKKs, names included, as a CSV file in a personal chat.

The consent card's context holds only the RKK keys and the moment of the export, never data. When the
person accepts, they are authorised again for those RKKs and the file is rebuilt from the store, so a
forged or forwarded accept exports nothing to someone who is not (or no longer) their coordinator.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import datetime

from botbuilder.core import MessageFactory

from bot import activity_facts as facts
from bot.commands.context import CommandContext
from bot.commands.registry import normalise
from bot.outbound.file_upload import UploadFailed, consent_answer, consent_attachment, file_info_attachment
from i18n.calendar import format_moment
from rkk.answers import write_export
from rkk.model import ExportRow, Rkk

logger = logging.getLogger(__name__)

MAX_CONTEXT_RKKS = 200  # more keys than any configuration has: the context was not made by this bot


async def export(ctx: CommandContext) -> None:
    """Offer the answers of the RKKs the person coordinates (or of the one named) as a CSV file."""
    if not facts.in_personal_chat(ctx.turn.activity):
        await ctx.say("export_personal_only")
        return
    rkks = await _rkks(ctx)
    if not rkks:
        return
    until = ctx.deps.clock()
    rows = await _rows(ctx, rkks, until)
    if not rows:
        await ctx.say("export_nothing", rkks=_names(rkks))
        return
    moment = format_moment(until.astimezone(ctx.deps.timezone), ctx.lang)
    description = ctx.t("export_description", answers=_answers(ctx, len(rows)), rkks=_names(rkks), until=moment)
    context = {"rkks": [rkk.key for rkk in rkks], "until": until.isoformat()}
    attachment = consent_attachment(_file_name(ctx, until), description, len(_csv(rows)), context)
    await ctx.turn.send_activity(MessageFactory.attachment(attachment))


async def file_consent(ctx: CommandContext) -> None:
    """The person's answer to the consent card: on accept, authorise again, rebuild, upload, show the file."""
    answer = consent_answer(ctx.turn.activity.value)
    if answer is None or not facts.in_personal_chat(ctx.turn.activity):
        await ctx.say("action_unknown")
        return
    if not answer.accepted:
        await ctx.say("export_declined")
        return
    request = _request(answer.context)
    if request is None or answer.upload is None:
        await ctx.say("action_unknown")
        return
    keys, until = request
    if not all(ctx.may_steer(key) for key in keys):  # authorised before anything is read
        logger.warning("refused an accepted export of %d RKKs: not their coordinator", len(keys))
        await ctx.say("not_coordinator", command=ctx.command.phrases[0])
        return
    rkks = [rkk for rkk in await ctx.deps.store.list_rkks() if rkk.key in keys]
    if len(rkks) != len(keys):
        await ctx.say("action_unknown")
        return
    rows = await _rows(ctx, rkks, until)
    if not rows:
        await ctx.say("export_nothing", rkks=_names(rkks))
        return
    try:
        await ctx.deps.uploader.put(answer.upload.upload_url, _csv(rows))
    except UploadFailed as error:
        logger.warning("an export of %d answers did not reach OneDrive: %s", len(rows), error)
        await ctx.say("export_upload_failed")
        return
    detail = f"CSV met {len(rows)} antwoorden uit {', '.join(sorted(keys))}, tot {until.isoformat()}"
    await ctx.deps.admin.record(ctx.entry("export", detail, rkks[0].key if len(rkks) == 1 else None))
    reply = MessageFactory.text(ctx.t("export_done", name=answer.upload.name, answers=_answers(ctx, len(rows))))
    reply.attachments = [file_info_attachment(answer.upload)]
    await ctx.turn.send_activity(reply)


async def _rkks(ctx: CommandContext) -> list[Rkk]:
    """The RKKs to export: the one named after the command, else every RKK the person coordinates."""
    every = await ctx.deps.store.list_rkks()
    wanted = normalise(ctx.args)
    named = [rkk for rkk in every if wanted in (normalise(rkk.key), normalise(rkk.name))] if wanted else every
    allowed = [rkk for rkk in named if ctx.may_steer(rkk.key)]
    if wanted and not named:
        known = ", ".join(rkk.key for rkk in every if ctx.may_steer(rkk.key)) or "-"
        await ctx.say("unknown_rkk", rkk=ctx.args.strip()[:100], known=known)
    elif not allowed:
        await ctx.say("not_coordinator", command=ctx.command.phrases[0])
    return allowed


def _request(context: dict[str, object]) -> tuple[frozenset[str], datetime] | None:
    """The RKK keys and the moment an accepted consent card names; None if this bot did not make it."""
    keys, until = context.get("rkks"), context.get("until")
    if not isinstance(keys, list) or not 0 < len(keys) <= MAX_CONTEXT_RKKS or not isinstance(until, str):
        return None
    if not all(isinstance(key, str) for key in keys):
        return None
    try:
        moment = datetime.fromisoformat(until)
    except ValueError:
        return None
    return (frozenset(keys), moment) if moment.tzinfo is not None else None


async def _rows(ctx: CommandContext, rkks: Sequence[Rkk], until: datetime) -> list[ExportRow]:
    """The store's export rows of these RKKs, given up to `until`."""
    return list(await ctx.deps.store.export_rows([rkk.key for rkk in rkks], until))


def _csv(rows: Sequence[ExportRow]) -> bytes:
    """The rows as Excel in nl-BE opens them with a double click: semicolons, and a BOM for UTF-8 accents."""
    out = io.StringIO(newline="")
    write_export(rows, out, "csv", delimiter=";")
    return out.getvalue().encode("utf-8-sig")


def _file_name(ctx: CommandContext, until: datetime) -> str:
    return f"rkk-antwoorden-{until.astimezone(ctx.deps.timezone).date().isoformat()}.csv"


def _names(rkks: Sequence[Rkk]) -> str:
    return ", ".join(rkk.name for rkk in rkks)


def _answers(ctx: CommandContext, count: int) -> str:
    return ctx.deps.texts.count("export_answers", count, ctx.lang)
