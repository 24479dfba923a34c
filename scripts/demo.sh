#!/usr/bin/env bash
# Set everything up, create a demo clinic in the user's data folder (once: it prints the demo
# accounts' passwords that one time), and open the app.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh" runtime
"$root/.venv/bin/facilitator" demo --if-missing
echo "Sign in as mreyes, sokafor, jlee or admin with the password printed when the demo was made."
exec "$root/.venv/bin/facilitator" "$@"
