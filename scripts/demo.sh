#!/usr/bin/env bash
# Set everything up, create a demo clinic in the user's data folder (once), and open the app.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh" runtime
"$root/.venv/bin/facilitator" demo --if-missing
exec "$root/.venv/bin/facilitator" "$@"
