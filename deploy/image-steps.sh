#!/bin/sh
# The container image's build steps, in one place: the Dockerfile's RUN lines call them, and CI runs them in a
# fresh virtual environment (tests/deploy/test_image_steps.py), so the image and what is tested cannot drift.
#
#   deploy/image-steps.sh deps VENV        a virtual environment with the pinned runtime requirements (wheels
#                                          only: the image needs no compiler, and none is installed)
#   deploy/image-steps.sh app SRC DEST     the files the bot runs from: SRC without tests, benchmarks, docs and
#                                          the Node tools (the Agents Playground is for `make demo`, not the image)
#   deploy/image-steps.sh check VENV DIR   the installed bot imports everything and validates the demo config
set -eu

step="${1:-}"
case "$step" in
deps)
    venv="$2"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --no-cache-dir --disable-pip-version-check --quiet --only-binary=:all: \
        -r requirements.txt
    ;;
app)
    src="$2"
    dest="$3"
    mkdir -p "$dest"
    tar -C "$src" -cf - \
        --exclude=./.git --exclude=./.ci --exclude=./.venv --exclude=./node_modules --exclude=./data \
        --exclude=./dist --exclude=./tests --exclude=./bench --exclude=./docs --exclude='*/__pycache__' \
        --exclude=./.mypy_cache --exclude=./.pytest_cache --exclude=./.ruff_cache --exclude=./package.json \
        --exclude=./package-lock.json --exclude=./requirements-dev.txt --exclude=./Makefile \
        --exclude=./Dockerfile --exclude=./.dockerignore --exclude=./compose.yaml \
        . | tar -C "$dest" -xf -
    ;;
check)
    venv="$2"
    dir="$3"
    scratch="$(mktemp -d)"
    (cd "$dir" && RKKBOT_CONFIG=config/demo.yaml DATABASE_URL="sqlite+aiosqlite:///$scratch/check.db" \
        "$venv/bin/python" app.py check-config)
    rm -rf "$scratch"
    ;;
*)
    echo "usage: $0 deps VENV | app SRC DEST | check VENV DIR" >&2
    exit 2
    ;;
esac
