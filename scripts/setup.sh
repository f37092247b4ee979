#!/usr/bin/env bash
# Set up cip-analysis on a fresh Debian/Ubuntu machine with Python 3.11:
#   system libraries for the briefs (apt-get, when run as root), a virtual environment in .venv
#   with the pinned packages of requirements.lock, the project installed editable, the
#   project's Jupyter kernel, and axe-core (npm) for the accessibility tests.
#   With --run YEAR it then runs that year's whole pipeline on the bundled synthetic sample.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_YEAR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --run) RUN_YEAR="$2"; shift 2 ;;
    *) echo "usage: bash scripts/setup.sh [--run YEAR]" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  PYTHON=python3
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "Python 3.11 is needed (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

# Libraries WeasyPrint needs for the PDF briefs, the house fonts, Chromium for the
# accessibility checks, poppler-utils to look at PDF pages, faketime for the other-day
# byte-identical test, and npm for axe-core.
APT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core chromium poppler-utils faketime"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# Debian's own Python needs its venv package for `python3.11 -m venv`.
"$PYTHON" -c 'import ensurepip' >/dev/null 2>&1 || missing="$missing python3.11-venv"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing system packages:$missing"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  else
    echo "These system packages are needed and missing:$missing" >&2
    echo "Install them as root:  sudo apt-get install$missing" >&2
    echo "then run this script again." >&2
    exit 1
  fi
fi


if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> installing pinned packages from requirements.lock"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.lock
.venv/bin/python -m pip install -q --no-deps -e .
.venv/bin/python -m ipykernel install --sys-prefix --name cip-analysis --display-name "Python (cip-analysis)" >/dev/null

if [ -f package-lock.json ]; then
  echo "==> installing axe-core (npm ci)"
  npm ci --silent --no-audit --no-fund
fi
echo "==> set-up complete"

if [ -n "$RUN_YEAR" ]; then
  .venv/bin/cip-analysis run --year "$RUN_YEAR"
fi
