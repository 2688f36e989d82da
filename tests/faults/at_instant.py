"""Run one `app.py` command at a given moment, so that several processes hit the database at the same instant.

    python -m tests.faults.at_instant EPOCH_SECONDS COMMAND [ARGS...]

The imports (the slow part of starting) happen first; then the process sleeps until the moment and
calls `app.main` with the command, exactly as `python app.py COMMAND ...` would, and exits with its status.
"""

from __future__ import annotations

import sys
import time

import app


def main() -> int:
    """Wait for the moment, then run the command."""
    moment = float(sys.argv[1])
    time.sleep(max(0.0, moment - time.time()))
    return app.main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
