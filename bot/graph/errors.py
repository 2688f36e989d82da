"""Named errors of the Graph adapter; every third-party failure is wrapped in one of them."""

from __future__ import annotations


class GraphError(Exception):
    """Graph did not do what was asked (after retries where retrying makes sense)."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class GraphNotFound(GraphError):
    """The team, channel, message or user does not exist (or the app may not see it)."""


class GraphForbidden(GraphError):
    """Graph refused the token or the permission (401/403): an administrator must grant something."""


class GraphConflict(GraphError):
    """The resource already exists (409), e.g. the app is already installed."""


class GraphThrottled(GraphError):
    """Graph kept answering 429 after every retry; `retry_after` is its last advice in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, 429, "TooManyRequests")
        self.retry_after = retry_after


class GraphUnavailable(GraphError):
    """Graph kept failing with 5xx or timing out after every retry."""


class GraphCredentialError(GraphError):
    """No access token: Entra ID could not be reached, or it refused the app's credential."""

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem  # what the token request said, in one line
