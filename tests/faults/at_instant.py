"""Run one `app.py` command the moment a file appears, so that several processes hit the database together.

    python -m tests.faults.at_instant GO_FILE COMMAND [ARGS...]

The imports (the slow part of starting) happen first; then the process writes GO_FILE.ready.<pid>,
waits until GO_FILE exists and calls `app.main` with the command, exactly as `python app.py COMMAND ...`
would, and exits with its status. The test creates GO_FILE once every process is ready.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import app


def main() -> int:
    """Say ready, wait for the go, then run the command."""
    go = Path(sys.argv[1])
    go.with_name(f"{go.name}.ready.{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.001)
    return app.main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
