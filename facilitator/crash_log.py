"""The last resort: an error nobody foresaw is written to a log a developer can read, never
shown as a traceback, and the log holds no PHI.

An exception's message can quote anything it touched (a name, a note, a path with a name in
it), so the log keeps only what the code is made of: the time, the version, the command, the
exception's type and the stack's files, lines and functions.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_log_dir

from facilitator import __version__

LOG_FILENAME = "errors.log"
MAX_LOG_BYTES = 1_000_000  # a log that large is started afresh


def log_unexpected(error: BaseException, command: str, data_dir: Path) -> Path | None:
    """Append `error` (type and stack only) to the error log; its path, or None when no log
    could be written. Tried in the data folder's logs/, then the user's log folder."""
    entry = _entry(error, command)
    for folder in (data_dir / "logs", Path(user_log_dir("Facilitator", False))):
        path = folder / LOG_FILENAME
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                path.unlink()
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as file:
                file.write(entry)
        except OSError:
            continue
        return path
    return None


def _entry(error: BaseException, command: str) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    stack = "".join(
        f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}\n" for frame in frames
    )
    cause = error.__cause__ or error.__context__
    caused = f"  after {type(cause).__module__}.{type(cause).__qualname__}\n" if cause else ""
    return (
        f"{datetime.now(UTC).isoformat(timespec='seconds')} Facilitator {__version__}, "
        f"command {command}: {type(error).__module__}.{type(error).__qualname__}\n"
        f"{stack}{caused}"
    )
