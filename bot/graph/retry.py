"""Retry of Graph calls: honour Retry-After, else exponential backoff with full jitter; name the failure.

msgraph-sdk's own RetryHandler is switched off in `client.py` so that one policy covers whole requests
and the items of a `$batch` alike, with the pacer told about every 429.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from azure.core.exceptions import AzureError
from kiota_abstractions.api_error import APIError

from bot.graph.errors import (
    GraphConflict,
    GraphCredentialError,
    GraphError,
    GraphForbidden,
    GraphNotFound,
    GraphThrottled,
    GraphUnavailable,
)
from bot.outbound.retry import retry_after_seconds as parse_retry_after

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry a Graph call."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 300.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based): Retry-After if given, else jittered backoff."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return self.rng.uniform(self.base / 2, min(self.cap, self.base * 2**attempt))


def retry_after_seconds(headers: Mapping[str, Any] | None, now: datetime | None = None) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date); None if absent or unreadable."""
    return parse_retry_after(header(headers, "retry-after"), now)


def header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    """A header by case-insensitive name from httpx headers or a plain dict."""
    if not headers:
        return None
    for key, value in headers.items():
        if str(key).lower() == name:
            return str(value[0] if isinstance(value, list | tuple) and value else value).strip()
    return None


def translate(error: APIError, what: str) -> GraphError:
    """The named error for a failed Graph answer."""
    status = error.response_status_code
    odata = getattr(error, "error", None)
    code = getattr(odata, "code", None)
    message = f"{what}: Graph answered {status} {code or ''} {getattr(odata, 'message', '') or ''}".strip()
    if status == 404:
        return GraphNotFound(message, status, code)
    if status in (401, 403):
        return GraphForbidden(message, status, code)
    if status == 409:
        return GraphConflict(message, status, code)
    if status == 429:
        return GraphThrottled(message, retry_after_seconds(error.response_headers))
    if status is not None and status >= 500:
        return GraphUnavailable(message, status, code)
    return GraphError(message, status, code)


async def call_with_retry(
    operation: Callable[[], Awaitable[T]],
    what: str,
    policy: RetryPolicy,
    *,
    before: Callable[[], Awaitable[None]] | None = None,
    on_throttled: Callable[[float], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run one Graph call, paced by `before`, retried on 429/5xx/timeouts; raise a GraphError when it cannot succeed."""
    for attempt in range(policy.attempts):
        if before is not None:
            await before()
        try:
            return await operation()
        except APIError as error:
            status = error.response_status_code
            if status not in RETRY_STATUSES:
                raise translate(error, what) from error
            retry_after = retry_after_seconds(error.response_headers)
            failure: Exception = error
        except httpx.TransportError as error:  # timeouts, refused or dropped connections
            status, retry_after, failure = None, None, error
        except AzureError as error:
            # The token request (azure-identity, under kiota's auth provider) failed. azure-identity
            # already retried it; the call itself never reached Graph.
            problem = _token_problem(error)
            raise GraphCredentialError(f"{what}: no access token for Microsoft Graph ({problem})", problem) from error
        if attempt + 1 == policy.attempts:
            if status == 429:
                raise GraphThrottled(
                    f"{what}: still throttled after {policy.attempts} attempts", retry_after
                ) from failure
            raise GraphUnavailable(
                f"{what}: gave up after {policy.attempts} attempts ({failure!r})", status
            ) from failure
        wait = policy.delay(attempt, retry_after)
        if status == 429 and on_throttled is not None:
            on_throttled(wait)
        logger.info("%s: attempt %d answered %s, retrying in %.2f s", what, attempt + 1, status or failure, wait)
        await sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _token_problem(error: AzureError) -> str:
    """What went wrong with the token request, in one line (azure-identity's messages span several)."""
    first = " ".join(str(error.message or error).split("\n", 1)[0].split())
    return f"{type(error).__name__}: {first}"
