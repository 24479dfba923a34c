"""A throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a temporary folder.

The server listens on a socket in that private folder only (no TCP), trusts local connections
and has one superuser, `owner`. PostgreSQL refuses to run as root, so as root (CI) the cluster
belongs to the `postgres` system user. Used by the `postgres_server` fixture
(tests/storage_backends.py) and by scripts/postgres.sh:

    python -m tests.postgres_cluster start FOLDER   # prints the SQLAlchemy URL
    python -m tests.postgres_cluster url FOLDER
    python -m tests.postgres_cluster stop FOLDER    # stops it and removes FOLDER
    python -m tests.postgres_cluster stop-all PARENT  # every cluster made under PARENT

With FACILITATOR_TEST_CLUSTERS set to a folder, the fixture's clusters are made in it, so
scripts/test.sh can stop whatever a killed test run left running.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CLUSTERS_VARIABLE = "FACILITATOR_TEST_CLUSTERS"
PORT = 55432  # names the socket file only: nothing listens on TCP
OWNER = "owner"
SYSTEM_USER = "postgres"


class ClusterUnavailableError(RuntimeError):
    """The PostgreSQL server binaries (or, as root, the postgres user) are not installed."""


def server_binaries() -> Path:
    """The folder holding initdb and pg_ctl, the newest installed version first."""
    versions = {
        Path(p).parents[1].name: Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
    }
    found = [versions[v] for v in sorted(versions, key=lambda v: int(v) if v.isdigit() else 0)]
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ClusterUnavailableError(
        "the PostgreSQL server is not installed (initdb not found): "
        "run scripts/bootstrap.sh dev, or apt-get install postgresql"
    )


@dataclass(frozen=True)
class Cluster:
    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the `postgres` database, as the superuser `owner`."""
        return f"postgresql+psycopg://{OWNER}@/postgres?host={self.folder}&port={PORT}"

    def database_url(self, name: str) -> str:
        return self.url.replace("@/postgres?", f"@/{name}?")

    def start(self) -> None:
        """initdb (once) and start the server; waits until it accepts connections."""
        binaries = server_binaries()
        owner = _system_user()
        if owner is not None:
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        os.chmod(self.folder, 0o700)
        if not self.data.exists():
            _run(
                owner,
                binaries / "initdb",
                "-D", str(self.data), "-U", OWNER, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
        options = f"-k {self.folder} -c listen_addresses='' -p {PORT} -c fsync=off"
        _run(
            owner,
            binaries / "pg_ctl",
            "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (immediately) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            _run(_system_user(), server_binaries() / "pg_ctl", "-D", str(self.data), "-m",
                 "immediate", "-w", "stop")  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def new_cluster() -> Cluster:
    """A cluster in a new temporary folder, started."""
    parent = os.environ.get(CLUSTERS_VARIABLE) or None
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="facilitator-pg-", dir=parent)))
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _system_user() -> pwd.struct_passwd | None:
    """The user the server runs as when we are root (it refuses root); None otherwise."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError as error:
        raise ClusterUnavailableError(
            f"running as root, but there is no {SYSTEM_USER} system user to run the server as"
        ) from error


def _run(user: pwd.struct_passwd | None, *command: str | Path) -> None:
    args = [str(part) for part in command]
    if user is not None:
        args = ["runuser", "-u", user.pw_name, "--", *args]
    result = subprocess.run(args, capture_output=True, text=True, check=False, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr or result.stdout}")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop", "url", "stop-all"):
        print(
            "usage: python -m tests.postgres_cluster start|stop|url FOLDER | stop-all PARENT",
            file=sys.stderr,
        )
        return 2
    action, folder = argv[0], Path(argv[1]).resolve()
    if action == "stop-all":
        for child in sorted(folder.glob("facilitator-pg-*")):
            Cluster(child).stop()
        return 0
    cluster = Cluster(folder)
    if action == "start":
        folder.mkdir(parents=True, exist_ok=True)
        cluster.start()
    elif action == "stop":
        cluster.stop()
        return 0
    print(cluster.url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
