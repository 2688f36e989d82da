"""The report as PDF: the same HTML page printed by Debian's `chromium` package in headless mode.

No PDF library is needed (the page is already laid out for print); without Chromium on the machine
`--format pdf` says how to install it. Chromium runs with a fresh profile and without background
networking, so printing a page that fetches nothing stays offline.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

BROWSERS = ("chromium", "chromium-browser")
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PRINT_TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    """No Chromium on this machine."""


class PdfFailed(Exception):
    """Chromium ran but made no PDF."""


def chromium() -> str | None:
    """The path of the Chromium binary, if installed."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_pdf(page: Path, pdf: Path) -> None:
    """Print an HTML file to a PDF file (A4, no header or footer)."""
    binary = chromium()
    if binary is None:
        raise PdfUnavailable("chromium not found")
    with tempfile.TemporaryDirectory(prefix="rkk-pdf-") as profile:
        command = [
            binary,
            *HEADLESS_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf.resolve()}",
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfFailed(f"no PDF after {PRINT_TIMEOUT_SECONDS} s") from error
    if done.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        raise PdfFailed(done.stderr.strip()[-500:] or f"exit status {done.returncode}")
    logger.info("printed %s to %s", page, pdf)
