"""Teams' file flow in a personal chat: the consent card, the upload to the user's OneDrive, the file card.

The bot offers a file with a FileConsentCard; when the person accepts, Teams sends a `fileConsent/invoke`
with a pre-authenticated OneDrive upload URL. The bytes go there with PUTs carrying Content-Range (one PUT
up to 4 MiB, above that fragments of a multiple of 320 KiB as OneDrive's upload sessions require), and a
file info card in the chat then points at the file. The upload URL is itself the credential: no bot token
is ever sent to it, and it is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from botbuilder.schema import Attachment
from botbuilder.schema.teams import FileConsentCard, FileInfoCard

from bot.outbound.retry import retry_after_seconds

logger = logging.getLogger(__name__)

FILE_CONSENT_INVOKE = "fileConsent/invoke"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
SINGLE_PUT_BYTES = 4 * 1024 * 1024
FRAGMENT_BYTES = 10 * 320 * 1024  # 3.2 MiB: OneDrive wants fragments in multiples of 320 KiB
UPLOAD_TIMEOUT_SECONDS = 30.0  # the whole upload, retries included
RETRY_AFTER_LIMIT_SECONDS = 5.0  # a longer Retry-After fails the upload: the person is waiting


class UploadFailed(Exception):
    """OneDrive did not take the file (an error status, no answer in time, a broken connection)."""


@dataclass(frozen=True)
class UploadInfo:
    """Where Teams lets the bot put an accepted file (the invoke's `uploadInfo`)."""

    name: str
    upload_url: str
    content_url: str
    unique_id: str
    file_type: str


@dataclass(frozen=True)
class ConsentAnswer:
    """The person's answer to a consent card: accepted or not, the card's context, where to upload."""

    accepted: bool
    context: dict[str, Any]
    upload: UploadInfo | None


def consent_answer(value: object) -> ConsentAnswer | None:
    """The answer in a `fileConsent/invoke` value; None when it is malformed (or accepted without uploadInfo)."""
    if not isinstance(value, dict) or value.get("action") not in ("accept", "decline"):
        return None
    context = value.get("context")
    context = context if isinstance(context, dict) else {}
    if value["action"] == "decline":
        return ConsentAnswer(False, context, None)
    info = value.get("uploadInfo")
    keys = ("name", "uploadUrl", "contentUrl", "uniqueId", "fileType")
    if not isinstance(info, dict) or not all(isinstance(info.get(key), str) and info[key] for key in keys):
        return None
    if not info["uploadUrl"].lower().startswith(("https://", "http://")):
        return None
    return ConsentAnswer(True, context, UploadInfo(*(info[key] for key in keys)))


def consent_attachment(name: str, description: str, size: int, accept_context: dict[str, Any]) -> Attachment:
    """The card asking the person to let the bot put a file of `size` bytes in their OneDrive."""
    card = FileConsentCard(
        description=description, size_in_bytes=size, accept_context=accept_context, decline_context={}
    )
    return Attachment(content_type=FILE_CONSENT_CARD, name=name, content=card.serialize())


def file_info_attachment(upload: UploadInfo) -> Attachment:
    """The card in the chat that opens the uploaded file."""
    card = FileInfoCard(unique_id=upload.unique_id, file_type=upload.file_type)
    return Attachment(
        content_type=FILE_INFO_CARD, content_url=upload.content_url, name=upload.name, content=card.serialize()
    )


@dataclass(frozen=True)
class FileUploader:
    """Puts bytes at a OneDrive upload URL with aiohttp, without any Authorization header."""

    timeout: float = UPLOAD_TIMEOUT_SECONDS
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)

    async def put(self, upload_url: str, data: bytes) -> None:
        """Upload all of `data`; raise UploadFailed when OneDrive does not take it."""
        size = len(data)
        step = size if size <= SINGLE_PUT_BYTES else FRAGMENT_BYTES
        try:
            async with asyncio.timeout(self.timeout), aiohttp.ClientSession() as http:
                for start in range(0, size, step):
                    await self._put_range(http, upload_url, data[start : start + step], start, size)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise UploadFailed(type(error).__name__) from error

    async def _put_range(self, http: aiohttp.ClientSession, url: str, chunk: bytes, start: int, size: int) -> None:
        headers = {"Content-Length": str(len(chunk)), "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{size}"}
        for attempt in range(2):  # a throttled PUT is repeated once, after a short Retry-After
            async with http.put(url, data=chunk, headers=headers, allow_redirects=False) as response:
                if 200 <= response.status < 300:
                    return
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                throttled = attempt == 0 and response.status in (429, 503)
                if not throttled or wait is None or wait > RETRY_AFTER_LIMIT_SECONDS:
                    raise UploadFailed(f"HTTP {response.status}")
            logger.info("OneDrive answered %d; retrying the upload in %.1f s", response.status, wait)
            await self.sleep(wait)
