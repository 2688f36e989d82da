"""Putting a file at a OneDrive upload URL: one PUT up to 4 MiB, fragments of a multiple of 320 KiB above."""

from __future__ import annotations

import pytest

from bot.outbound.file_upload import FRAGMENT_BYTES, SINGLE_PUT_BYTES, FileUploader, UploadFailed
from tests.doubles.onedrive import Fault, UploadSession, upload_url


async def test_a_file_of_4_mib_goes_up_in_one_put() -> None:
    """Up to 4 MiB the whole file is one PUT with the full range."""
    data = bytes(range(256)) * (SINGLE_PUT_BYTES // 256)
    session = UploadSession()
    async with upload_url(session) as url:
        await FileUploader().put(url, data)
    assert session.ranges == [f"bytes 0-{len(data) - 1}/{len(data)}"] and session.received == data


async def test_a_larger_file_goes_up_in_ordered_fragments_of_320_kib_multiples() -> None:
    """9 MiB goes up as 3.2 MiB, 3.2 MiB and the rest, each PUT with its own range; the bytes arrive intact."""
    data = bytes(i % 251 for i in range(9 * 1024 * 1024))
    session = UploadSession()
    async with upload_url(session) as url:
        await FileUploader().put(url, data)
    size = len(data)
    assert session.ranges == [
        f"bytes 0-{FRAGMENT_BYTES - 1}/{size}",
        f"bytes {FRAGMENT_BYTES}-{2 * FRAGMENT_BYTES - 1}/{size}",
        f"bytes {2 * FRAGMENT_BYTES}-{size - 1}/{size}",
    ]
    assert session.received == data


async def test_a_throttled_fragment_is_sent_again_after_its_retry_after() -> None:
    """A 429 with a short Retry-After on a fragment is waited out once; that fragment is sent again."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    data = bytes(5 * 1024 * 1024)
    session = UploadSession(faults=[Fault(429, {"Retry-After": "2"})])
    async with upload_url(session) as url:
        await FileUploader(sleep=sleep).put(url, data)
    assert waits == [2.0] and session.requests == 3 and len(session.ranges) == 2 and session.received == data


async def test_an_unreachable_upload_url_fails_the_upload() -> None:
    """A refused connection is an UploadFailed, not an unhandled error."""
    with pytest.raises(UploadFailed, match="ClientConnectorError"):
        await FileUploader(timeout=5).put("http://127.0.0.1:9/up/export-1", b"answer_id\r\n")
