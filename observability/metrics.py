"""The bot's Prometheus metrics: the named series on one registry, which app.py creates and passes in.

Nothing here uses prometheus-client's global default registry, so every runtime (and every test) counts
on its own. Label values come from small fixed sets, never from what a caller sends, so a stranger cannot
grow the number of series.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

logger = logging.getLogger(__name__)

# The Bot Framework's activity types (written out, so that only bot/ depends on the SDK); others count as "other".
ACTIVITY_TYPES = frozenset(
    {
        "message",
        "invoke",
        "conversationUpdate",
        "installationUpdate",
        "messageReaction",
        "messageUpdate",
        "messageDelete",
        "event",
        "typing",
        "endOfConversation",
        "command",
        "commandResult",
        "contactRelationUpdate",
        "deleteUserData",
        "handoff",
        "invokeResponse",
        "suggestion",
        "trace",
    }
)
ANSWER_SOURCES = ("card", "reply", "harvest")  # reply: a thread reply that reached the bot itself (RSC)
POST_KINDS = ("thread", "message", "update")  # a new channel thread, a message into a conversation, a card update
JOBS = ("weekly-post", "round-keeper", "harvest-replies", "weekly-crosspost", "team-owners")
JOB_DURATION_BUCKETS = (0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600)
_INSTANCE_SUFFIX = re.compile(r"-\d+$")  # weekly-post-0, weekly-post-1: one job per distinct schedule


def job_family(job_id: str) -> str:
    """The job a scheduler job id belongs to: one series for all weekly-post-N jobs."""
    return _INSTANCE_SUFFIX.sub("", job_id)


class Metrics:
    """Every series the bot exports, on one registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.activities = Counter(
            "rkkbot_activities_received",
            "Activities posted to /api/messages, by type and HTTP status answered",
            ["type", "outcome"],
            registry=r,
        )
        self.answers = Counter(
            "rkkbot_answers_stored",
            "Answers written, by source (card, reply through RSC, harvest) and change",
            ["source", "change"],
            registry=r,
        )
        self.posts = Counter(
            "rkkbot_posts",
            "Bot Connector calls by kind (thread, message, update) and outcome (sent, failed)",
            ["kind", "outcome"],
            registry=r,
        )
        self.posts_throttled = Counter(
            "rkkbot_posts_throttled",
            "429 answers from the Bot Connector (each is retried after Retry-After)",
            ["kind"],
            registry=r,
        )
        self.graph_requests = Counter(
            "rkkbot_graph_requests",
            "Microsoft Graph calls (their retries included) by outcome",
            ["outcome"],
            registry=r,
        )
        self.graph_throttled = Counter("rkkbot_graph_throttled", "429 answers from Microsoft Graph", registry=r)
        self.job_runs = Counter(
            "rkkbot_job_runs",
            "Scheduler job runs by job and outcome (success, error, missed)",
            ["job", "outcome"],
            registry=r,
        )
        self.job_duration = Histogram(
            "rkkbot_job_duration_seconds", "How long a job run took", ["job"], buckets=JOB_DURATION_BUCKETS, registry=r
        )
        self.job_last_success = Gauge(
            "rkkbot_job_last_success_timestamp_seconds",
            "When a job last ran without an error (Unix time)",
            ["job"],
            registry=r,
        )
        self.themes_found = Gauge("rkkbot_themes_found", "Themes found by the last themes run", registry=r)
        self.rode_draden = Gauge("rkkbot_rode_draden", "Rode draden (recurring themes) after the last run", registry=r)
        self.themes_last_run = Gauge(
            "rkkbot_themes_last_run_timestamp_seconds",
            "When this process last ran the themes engine (Unix time)",
            registry=r,
        )
        self.crossposts = Counter(
            "rkkbot_crossposts",
            "Rode-draad cards in RKK Overkoepelend by outcome (posted, updated, failed)",
            ["outcome"],
            registry=r,
        )
        self._zeroes()

    def _zeroes(self) -> None:
        """Create the expected series at 0, so that an alert on "no increase" has a series to look at."""
        for source in ANSWER_SOURCES:
            for change in ("added", "updated"):
                self.answers.labels(source, change)
        for kind in POST_KINDS:
            self.posts_throttled.labels(kind)
            for outcome in ("sent", "failed"):
                self.posts.labels(kind, outcome)
        for job in JOBS:
            for outcome in ("success", "error", "missed"):
                self.job_runs.labels(job, outcome)
        for outcome in ("posted", "updated", "failed"):
            self.crossposts.labels(outcome)

    def activity(self, activity_type: str | None, status: int) -> None:
        """One activity answered with an HTTP status; unknown and unreadable types count as "other"."""
        kind = "other" if activity_type not in ACTIVITY_TYPES else activity_type
        self.activities.labels(kind, str(status)).inc()

    def answer_stored(self, source: str, change: str) -> None:
        """An answer was added or updated (source: card, reply or harvest)."""
        self.answers.labels(source, change).inc()

    def post(self, kind: str, sent: bool) -> None:
        """A Bot Connector call ended: taken by Teams, or failed after its retries."""
        self.posts.labels(kind, "sent" if sent else "failed").inc()

    def post_throttled(self, kind: str) -> None:
        """Teams answered 429 to one attempt."""
        self.posts_throttled.labels(kind).inc()

    def graph_call(self, outcome: str) -> None:
        """A Graph call ended: "ok" or the name of the error it ended with."""
        self.graph_requests.labels(outcome).inc()

    def graph_throttle(self) -> None:
        """Graph answered 429 to one attempt."""
        self.graph_throttled.inc()

    def job_finished(self, job: str, ok: bool, seconds: float, at: datetime) -> None:
        """A scheduler job run ended after `seconds`."""
        self.job_runs.labels(job, "success" if ok else "error").inc()
        self.job_duration.labels(job).observe(seconds)
        if ok:
            self.job_last_success.labels(job).set(at.timestamp())

    def job_missed(self, job: str) -> None:
        """A scheduler job run was missed (the process was down or busy past its grace time)."""
        self.job_runs.labels(job, "missed").inc()

    def themes_run(self, found: int, recurring: int, posted: int, updated: int, failed: int, at: datetime) -> None:
        """The themes engine ran: how many themes and rode draden it found, and what became of the cards."""
        self.themes_found.set(found)
        self.rode_draden.set(recurring)
        self.themes_last_run.set(at.timestamp())
        for outcome, count in (("posted", posted), ("updated", updated), ("failed", failed)):
            self.crossposts.labels(outcome).inc(count)
