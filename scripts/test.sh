#!/usr/bin/env bash
# Set everything up and run the whole test suite with the linters. Arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/bootstrap.sh dev
bin=.venv/bin
# one command per line: under `set -e` a failure on the left of && would not stop the script
echo "== ruff"
"$bin/ruff" check .
"$bin/ruff" format --check .
echo "== mypy"; "$bin/mypy"
echo "== pytest"
# pytest runs in its own D-Bus session with an unlocked gnome-keyring in a throwaway HOME, so
# the tests marked secret_service use a real Secret Service and never the user's keyring.
keyring_home=$(mktemp -d)
# The PostgreSQL tests' cluster is made in here (tests/postgres_cluster.py) and stopped by the
# tests; the trap stops one a killed run left behind. 0711: the postgres user must reach it.
clusters=$(mktemp -d)
chmod 711 "$clusters"
trap '"$bin/python" -m tests.postgres_cluster stop-all "$clusters"; rm -rf "$keyring_home" "$clusters"' EXIT
mkdir -m 700 "$keyring_home/run"
export FACILITATOR_TEST_CLUSTERS="$clusters"
set +e
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    HOME="$keyring_home" XDG_RUNTIME_DIR="$keyring_home/run" \
    XDG_DATA_HOME="$keyring_home/data" FACILITATOR_REQUIRE_SECRET_SERVICE=1 \
        dbus-run-session -- bash -c \
        'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
        keyring-session "$bin/python" -m pytest "$@" 2> >(grep -v "^dbus-daemon\|^dbus\[" >&2)
else
    echo "No dbus-run-session or gnome-keyring-daemon: the Secret Service tests are skipped." >&2
    "$bin/python" -m pytest "$@"
fi
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure, not a pass." >&2
    exit 1
fi
exit "$status"
