"""The container's HEALTHCHECK: exit 0 when the bot on this host answers GET /healthz with 200, else 1.

Python's standard library only, because the slim image has no curl. The port is `PORT` (default 3978).
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    """Ask /healthz once, within 4 seconds."""
    url = f"http://127.0.0.1:{os.environ.get('PORT', '3978')}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"healthcheck: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
