"""A OneDrive upload session double: the pre-authenticated upload URL Teams hands out when a file is accepted.

Strict like OneDrive: only PUT; no Authorization header (the URL is the credential: 401 otherwise);
Content-Range `bytes start-end/total` and Content-Length must match the body; fragments come in order,
and all but the last are a multiple of 320 KiB. A fragment is answered 202 with the next expected
range, the last one 201 with the driveItem. Faults (a status with headers, one per PUT) and a slow
answer are switched on through `UploadSession`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer

FRAGMENT_UNIT = 320 * 1024
CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
UNIQUE_ID = "01ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class Fault:
    """An answer given instead of taking a PUT."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class UploadSession:
    """What the upload URL received, and the faults it is told to answer with."""

    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0
    received: bytearray = field(default_factory=bytearray)
    ranges: list[str] = field(default_factory=list)  # the Content-Range of every fragment taken
    requests: int = 0


SESSION = web.AppKey("upload_session", UploadSession)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


async def _put(request: web.Request) -> web.Response:
    session = request.app[SESSION]
    session.requests += 1
    body = await request.read()
    if session.delay:
        await asyncio.sleep(session.delay)
    if "Authorization" in request.headers:
        return _error(401, "unauthenticated", "the upload URL is pre-authenticated; no Authorization header")
    if session.faults:
        fault = session.faults.pop(0)
        return _error(fault.status, "fault", "switched on by the test", fault.headers)
    match = CONTENT_RANGE.fullmatch(request.headers.get("Content-Range", ""))
    if not match:
        return _error(400, "invalidRequest", "Content-Range must be 'bytes start-end/total'")
    start, end, total = (int(part) for part in match.groups())
    if request.headers.get("Content-Length") != str(len(body)) or len(body) != end - start + 1 or end >= total:
        return _error(400, "invalidRequest", "Content-Length, Content-Range and the body disagree")
    if start != len(session.received):
        return _error(416, "invalidRange", f"expected the range starting at {len(session.received)}")
    if end + 1 < total and len(body) % FRAGMENT_UNIT:
        return _error(400, "invalidRequest", "fragments other than the last must be a multiple of 320 KiB")
    session.received += body
    session.ranges.append(request.headers["Content-Range"])
    if end + 1 < total:
        return web.json_response(
            {"expirationDateTime": "2026-11-30T09:00:00Z", "nextExpectedRanges": [f"{end + 1}-"]}, status=202
        )
    item = {"id": UNIQUE_ID, "name": "rkk-antwoorden-2026-11-23.csv", "size": total, "file": {"mimeType": "text/csv"}}
    return web.json_response(item, status=201)


@asynccontextmanager
async def upload_url(session: UploadSession) -> AsyncIterator[str]:
    """A running upload URL (with a tempauth token in it, as OneDrive's have) that records into `session`."""
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[SESSION] = session
    app.router.add_put("/up/{session}", _put)  # other methods: 405
    server = TestServer(app)
    await server.start_server()
    try:
        yield str(server.make_url("/up/export-1?tempauth=SECRET-TEMPAUTH"))
    finally:
        await server.close()
