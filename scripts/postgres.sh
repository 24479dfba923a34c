#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for trying the clinic-server back end by hand (the tests start
# their own). It lives in FOLDER, listens on a socket there only (no TCP), trusts local
# connections; as root it runs as the postgres system user.
# Usage: scripts/postgres.sh start FOLDER   (prints the SQLAlchemy URL of its postgres database)
#        scripts/postgres.sh url FOLDER
#        scripts/postgres.sh stop FOLDER    (stops it and removes FOLDER)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python="$root/.venv/bin/python"
[ -x "$python" ] || python=python3
cd "$root"
exec "$python" -m tests.postgres_cluster "$@"
