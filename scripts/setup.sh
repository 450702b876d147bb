#!/usr/bin/env bash
# Idempotent set-up used by `make run` and `make test`: a virtualenv with the pinned packages,
# the front-end assets from npm (served by the app itself), compiled translations.
# With --test it also makes sure Debian's chromium and a CJK font are there for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi

if [ ! -f node_modules/.stamp ] || [ package-lock.json -nt node_modules/.stamp ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.stamp
fi

.venv/bin/safecommunity compiletranslations >/dev/null

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null
    else
      echo "browser tests need: sudo apt-get install -y chromium fonts-wqy-microhei poppler-utils" >&2
    fi
  fi
fi
