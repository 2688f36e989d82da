"""Guards in front of botbuilder's inbound authentication.

botbuilder 4.17.1 has three faults here: a malformed token raises an uncaught
`jwt.DecodeError` (HTTP 500), so does a well-formed one without an issuer (`KeyError: 'iss'`), and
the OpenID key refresh calls the blocking `requests.get` inside the event loop, stalling every other
request while Microsoft's key endpoint answers.
`credentials_problem` rejects malformed credentials before botbuilder sees them, and
`move_key_refresh_off_loop` makes the key refresh run in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import jwt
import requests
from botframework.connector.auth import jwt_token_extractor

logger = logging.getLogger(__name__)

KEY_FETCH_TIMEOUT_SECONDS = 10


def credentials_problem(header: str | None) -> str | None:
    """Why an Authorization header cannot be a Bot Framework token, or None if it may be one."""
    if not header:
        return "missing Authorization header"
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "Authorization is not a Bearer token"
    try:
        jwt.get_unverified_header(token.strip())
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return "Bearer token is not a well-formed JWT"
    # botbuilder reads the issuer with token["iss"] before verifying anything: without it, a 500.
    if not isinstance(claims.get("iss"), str) or not claims["iss"]:
        return "Bearer token names no issuer"
    return None


def move_key_refresh_off_loop() -> None:
    """Make botbuilder's OpenID metadata refresh run in a worker thread with a timeout."""
    metadata_class: Any = getattr(jwt_token_extractor, "_OpenIdMetadata", None)
    if metadata_class is None or getattr(metadata_class, "_rkkbot_off_loop", False):
        return

    def fetch(url: str) -> tuple[list[dict[str, Any]], datetime]:
        response = requests.get(url, timeout=KEY_FETCH_TIMEOUT_SECONDS)
        response.raise_for_status()
        keys = requests.get(response.json()["jwks_uri"], timeout=KEY_FETCH_TIMEOUT_SECONDS)
        keys.raise_for_status()
        return keys.json()["keys"], datetime.now()

    async def refresh(self: Any) -> None:
        self.keys, self.last_updated = await asyncio.to_thread(fetch, self.url)

    metadata_class._refresh = refresh  # the one upstream method we replace; see module docstring
    metadata_class._rkkbot_off_loop = True
